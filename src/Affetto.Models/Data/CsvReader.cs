using System.Text;

namespace Affetto.Models.Data;

/// <summary>
/// An RFC 4180 CSV reader: comma-separated fields, optional double quotes around a field, <c>""</c> for a quote
/// inside a quoted field, commas and line breaks (LF, CRLF or CR) inside quoted fields. A UTF-8 byte-order mark
/// is removed. Blank lines between records are skipped (RFC 4180 does not allow them; real files have them).
/// </summary>
/// <remarks>
/// Deviations chosen for real-world files: a quote inside an unquoted field is kept literally (as Python's csv
/// module does); text after a closing quote other than a comma or line break is an error, because it usually
/// means a broken quote and silently merging it would shift every later column.
/// </remarks>
public static class CsvReader
{
    // Strict UTF-8: invalid byte sequences must become a clear error, not U+FFFD silently.
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>Reads all records of a UTF-8 (with or without BOM) CSV file.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>Every record in file order, the header included.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CsvFormatException">The file is not valid UTF-8 or is malformed CSV.</exception>
    public static IReadOnlyList<CsvRecord> ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"CSV file not found: {path}", path);
        string text;
        try
        {
            text = s_strictUtf8.GetString(File.ReadAllBytes(path));
        }
        catch (DecoderFallbackException e)
        {
            throw new CsvFormatException(path, 0, "the file is not valid UTF-8 text", e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses CSV text.</summary>
    /// <param name="text">The whole CSV text; a leading U+FEFF (byte-order mark) is ignored.</param>
    /// <param name="sourceName">Name used in error messages (usually the file path).</param>
    /// <returns>Every record in order, the header included.</returns>
    /// <exception cref="CsvFormatException">An unterminated quoted field or text after a closing quote.</exception>
    public static IReadOnlyList<CsvRecord> Parse(string text, string sourceName = "<csv>")
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var state = State.FieldStart;
        bool recordStarted = false; // false only at the very start of a record: tells a blank line from an empty field
        int line = 1;
        int recordLine = 1;
        int quoteLine = 0;

        int i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        while (i < text.Length)
        {
            char c = text[i];
            bool isBreak = c == '\r' || c == '\n';
            int width = c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
            switch (state)
            {
                case State.FieldStart:
                    if (c == '"')
                    {
                        state = State.Quoted;
                        quoteLine = line;
                        recordStarted = true;
                    }
                    else if (c == ',')
                    {
                        EmitField();
                        recordStarted = true;
                    }
                    else if (isBreak)
                    {
                        if (recordStarted)
                        {
                            EmitField();
                            EmitRecord();
                        }
                        line++;
                        recordLine = line;
                    }
                    else
                    {
                        field.Append(c);
                        state = State.Unquoted;
                        recordStarted = true;
                    }
                    break;
                case State.Unquoted:
                    if (c == ',')
                    {
                        EmitField();
                        state = State.FieldStart;
                    }
                    else if (isBreak)
                    {
                        EmitField();
                        EmitRecord();
                        line++;
                        recordLine = line;
                        state = State.FieldStart;
                    }
                    else
                    {
                        field.Append(c);
                    }
                    break;
                case State.Quoted:
                    if (c == '"')
                    {
                        state = State.QuoteInQuoted;
                    }
                    else
                    {
                        field.Append(text, i, width);
                        if (isBreak)
                            line++;
                    }
                    break;
                case State.QuoteInQuoted:
                    if (c == '"')
                    {
                        field.Append('"');
                        state = State.Quoted;
                    }
                    else if (c == ',')
                    {
                        EmitField();
                        state = State.FieldStart;
                    }
                    else if (isBreak)
                    {
                        EmitField();
                        EmitRecord();
                        line++;
                        recordLine = line;
                        state = State.FieldStart;
                    }
                    else
                    {
                        throw new CsvFormatException(sourceName, line,
                            $"unexpected character '{c}' after the closing quote of field {fields.Count + 1}");
                    }
                    break;
            }
            i += width;
        }

        switch (state)
        {
            case State.Quoted:
                throw new CsvFormatException(sourceName, quoteLine, "a quoted field is not terminated (missing closing \")");
            case State.FieldStart when recordStarted:
            case State.Unquoted:
            case State.QuoteInQuoted:
                EmitField();
                EmitRecord();
                break;
        }
        return records;

        void EmitField()
        {
            fields.Add(field.ToString());
            field.Clear();
        }

        void EmitRecord()
        {
            records.Add(new CsvRecord(recordLine, fields.ToArray()));
            fields.Clear();
            recordStarted = false;
        }
    }
}
