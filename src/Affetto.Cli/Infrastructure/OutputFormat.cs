using System.CommandLine;
using System.Globalization;
using System.Text;

namespace Affetto.Cli.Infrastructure;

/// <summary>How a command prints its results.</summary>
public enum OutputFormat
{
    /// <summary>Aligned columns for people.</summary>
    Table,

    /// <summary>JSON for programs.</summary>
    Json,

    /// <summary>CSV (RFC 4180) for spreadsheets and pandas.</summary>
    Csv,
}

/// <summary>Helpers to print tables and CSV with invariant numbers.</summary>
public static class TextOutput
{
    /// <summary>The shared <c>--format</c> option.</summary>
    public static Option<OutputFormat> FormatOption() => new("--format", "-f")
    {
        Description = "Output format: table, json or csv",
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    /// <summary>Formats a number with invariant culture and up to <paramref name="digits"/> decimals.</summary>
    public static string Num(double value, int digits = 4) =>
        value.ToString("0." + new string('#', digits), CultureInfo.InvariantCulture);

    /// <summary>Writes rows as left-aligned columns separated by two spaces, with a header and a rule.</summary>
    public static void WriteTable(TextWriter w, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        var widths = header.Select(h => h.Length).ToArray();
        foreach (var r in all)
            for (int c = 0; c < widths.Length && c < r.Count; c++) widths[c] = Math.Max(widths[c], r[c].Length);
        void Line(IReadOnlyList<string> cells)
        {
            var sb = new StringBuilder();
            for (int c = 0; c < widths.Length; c++)
            {
                string cell = c < cells.Count ? cells[c] : "";
                sb.Append(c == widths.Length - 1 ? cell : cell.PadRight(widths[c] + 2));
            }
            w.WriteLine(sb.ToString().TrimEnd());
        }
        Line(header);
        w.WriteLine(string.Join("  ", widths.Select(x => new string('-', x))));
        foreach (var r in all) Line(r);
    }

    /// <summary>Quotes a CSV field when it needs it (RFC 4180).</summary>
    public static string CsvField(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <summary>Writes one CSV record.</summary>
    public static void WriteCsvRow(TextWriter w, IEnumerable<string> fields) =>
        w.WriteLine(string.Join(",", fields.Select(CsvField)));
}
