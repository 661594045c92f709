namespace Affetto.Models.Data;

/// <summary>
/// A CSV file with a header row: column names are trimmed (Emotify's header has a space after every comma),
/// every data row must have as many fields as the header.
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columnIndex;

    private CsvTable(string sourceName, IReadOnlyList<string> header, IReadOnlyList<CsvRecord> rows)
    {
        SourceName = sourceName;
        Header = header;
        Rows = rows;
        _columnIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int c = 0; c < header.Count; c++)
        {
            if (!_columnIndex.TryAdd(header[c], c))
                throw new CsvFormatException(sourceName, 1, $"the header names column '{header[c]}' twice");
        }
    }

    /// <summary>Name of the source (file path) used in error messages.</summary>
    public string SourceName { get; }

    /// <summary>The trimmed column names.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The data rows (header excluded), each with as many fields as <see cref="Header"/>.</summary>
    public IReadOnlyList<CsvRecord> Rows { get; }

    /// <summary>Reads a CSV file whose first record is the header.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The table.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CsvFormatException">Malformed CSV, no header, a duplicate column, or a row whose field count differs from the header's.</exception>
    public static CsvTable Load(string path) => FromRecords(CsvReader.ReadFile(path), path);

    /// <summary>Parses CSV text whose first record is the header.</summary>
    /// <param name="text">The CSV text.</param>
    /// <param name="sourceName">Name used in error messages.</param>
    /// <returns>The table.</returns>
    /// <exception cref="CsvFormatException">Malformed CSV, no header, a duplicate column, or a row whose field count differs from the header's.</exception>
    public static CsvTable Parse(string text, string sourceName = "<csv>") => FromRecords(CsvReader.Parse(text, sourceName), sourceName);

    private static CsvTable FromRecords(IReadOnlyList<CsvRecord> records, string sourceName)
    {
        if (records.Count == 0)
            throw new CsvFormatException(sourceName, 0, "the file is empty (no header row)");
        var header = records[0].Fields.Select(h => h.Trim()).ToArray();
        for (int r = 1; r < records.Count; r++)
        {
            if (records[r].Fields.Count != header.Length)
                throw new CsvFormatException(sourceName, records[r].LineNumber,
                    $"the row has {records[r].Fields.Count} fields but the header has {header.Length}");
        }
        return new CsvTable(sourceName, header, records.Skip(1).ToArray());
    }

    /// <summary>Whether a column exists (name compared trimmed, case-insensitively).</summary>
    /// <param name="name">Column name.</param>
    /// <returns>True when the header has the column.</returns>
    public bool HasColumn(string name) => _columnIndex.ContainsKey(name.Trim());

    /// <summary>The 0-based index of a column (name compared trimmed, case-insensitively).</summary>
    /// <param name="name">Column name.</param>
    /// <returns>The column index.</returns>
    /// <exception cref="CsvFormatException">The column does not exist; the message lists the columns that do.</exception>
    public int ColumnIndex(string name)
    {
        if (_columnIndex.TryGetValue(name.Trim(), out int index))
            return index;
        throw new CsvFormatException(SourceName, 1,
            $"required column '{name}' is missing; the header has: {string.Join(", ", Header.Select(h => $"'{h}'"))}");
    }
}
