using System.Text;
using Affetto.Models.Data;
using Affetto.Models.Tests.Support;

namespace Affetto.Models.Tests.Data;

public class CsvReaderTests
{
    public static TheoryData<string, string[][]> ValidInputs => new()
    {
        { "a,b\n1,2\n", [["a", "b"], ["1", "2"]] },
        { "a,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]] },
        { "a,b\r1,2", [["a", "b"], ["1", "2"]] },
        { "a,b\n1,2", [["a", "b"], ["1", "2"]] },
        { "\uFEFFSong,Quadrant\nMT1,Q1\n", [["Song", "Quadrant"], ["MT1", "Q1"]] },
        { "\"a,b\",c\n", [["a,b", "c"]] },
        { "\"say \"\"hi\"\"\",x\n", [["say \"hi\"", "x"]] },
        { "\"line1\nline2\",x\n", [["line1\nline2", "x"]] },
        { "\"line1\r\nline2\",x\r\n", [["line1\r\nline2", "x"]] },
        { "a,,c\n", [["a", "", "c"]] },
        { "a,b,\n", [["a", "b", ""]] },
        { ",\n", [["", ""]] },
        { "\"\"\n", [[""]] },
        { "\"\",\"\"\n", [["", ""]] },
        { "a\n\n\nb\n", [["a"], ["b"]] },
        { "", [] },
        { "\n\r\n", [] },
        { "5\" disk,x\n", [["5\" disk", "x"]] },
        { " a , b \n", [[" a ", " b "]] },
        { "\"Björk\",\"Jóga\"\n", [["Björk", "Jóga"]] },
        { "a,\"b\"", [["a", "b"]] },
        { "a,", [["a", ""]] },
    };

    [Theory]
    [MemberData(nameof(ValidInputs))]
    public void Parse_ValidText_ReturnsFields(string text, string[][] expected)
    {
        var records = CsvReader.Parse(text);
        Assert.Equal(expected.Length, records.Count);
        for (int r = 0; r < expected.Length; r++)
            Assert.Equal(expected[r], records[r].Fields);
    }

    [Fact]
    public void Parse_QuotedNewlines_ReportsStartLineOfEachRecord()
    {
        var records = CsvReader.Parse("h\n\"a\nb\nc\"\n\nz\n");
        Assert.Equal([1, 2, 6], records.Select(r => r.LineNumber));
    }

    [Theory]
    [InlineData("a,\"unterminated\n", 1)]
    [InlineData("x\ny\n\"abc", 3)]
    public void Parse_UnterminatedQuote_ThrowsWithLineOfOpeningQuote(string text, int line)
    {
        var e = Assert.Throws<CsvFormatException>(() => CsvReader.Parse(text, "test.csv"));
        Assert.Equal(line, e.LineNumber);
        Assert.Contains("test.csv", e.Message);
        Assert.Contains("not terminated", e.Message);
    }

    [Fact]
    public void Parse_TextAfterClosingQuote_ThrowsNamingFieldAndLine()
    {
        var e = Assert.Throws<CsvFormatException>(() => CsvReader.Parse("a,b\n1,\"2\"x\n", "f.csv"));
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("field 2", e.Message);
    }

    [Fact]
    public void Parse_RandomTablesWrittenWithRfc4180Quoting_RoundTrip()
    {
        var rng = new Random(42);
        const string alphabet = "ab ,\"\n\r\u00e9;x1";
        for (int table = 0; table < 300; table++)
        {
            int rows = rng.Next(1, 6), cols = rng.Next(1, 5);
            var expected = new string[rows][];
            var sb = new StringBuilder();
            for (int r = 0; r < rows; r++)
            {
                expected[r] = new string[cols];
                for (int c = 0; c < cols; c++)
                {
                    var field = new string(Enumerable.Range(0, rng.Next(0, 6)).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray());
                    // A lone empty field in a one-column row is a blank line, which the reader skips: keep it quoted.
                    expected[r][c] = field;
                    bool quote = field.Length == 0 && cols == 1 || field.IndexOfAny([',', '"', '\n', '\r']) >= 0 || rng.Next(4) == 0;
                    if (c > 0)
                        sb.Append(',');
                    sb.Append(quote ? "\"" + field.Replace("\"", "\"\"") + "\"" : field);
                }
                sb.Append(rng.Next(2) == 0 ? "\n" : "\r\n");
            }
            var records = CsvReader.Parse(sb.ToString());
            Assert.Equal(rows, records.Count);
            for (int r = 0; r < rows; r++)
                Assert.Equal(expected[r], records[r].Fields);
        }
    }

    [Fact]
    public void ReadFile_ArbitraryBytes_ParsesOrThrowsCsvFormatException()
    {
        using var dir = new TempDir();
        var rng = new Random(3);
        for (int i = 0; i < 300; i++)
        {
            var bytes = new byte[rng.Next(0, 64)];
            rng.NextBytes(bytes);
            if (i % 2 == 0)
            {
                for (int k = 0; k < bytes.Length; k++)
                    bytes[k] = (byte)"a,\"\n\r"[bytes[k] % 5];
            }
            var path = Path.Combine(dir.Path, $"f{i}.csv");
            File.WriteAllBytes(path, bytes);
            try
            {
                CsvReader.ReadFile(path);
            }
            catch (CsvFormatException e)
            {
                Assert.Contains(path, e.Message);
            }
        }
    }

    [Fact]
    public void ReadFile_Utf8WithBom_StripsBom()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "bom.csv");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("Song,Quadrant\nMT1,Q2\n")]);
        var records = CsvReader.ReadFile(path);
        Assert.Equal("Song", records[0].Fields[0]);
    }

    [Fact]
    public void ReadFile_InvalidUtf8_ThrowsNamingFile()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "latin1.csv");
        File.WriteAllBytes(path, [(byte)'a', (byte)',', 0xE9, (byte)'\n']);
        var e = Assert.Throws<CsvFormatException>(() => CsvReader.ReadFile(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void ReadFile_MissingFile_ThrowsFileNotFound()
    {
        var e = Assert.Throws<FileNotFoundException>(() => CsvReader.ReadFile("/nonexistent/affetto.csv"));
        Assert.Contains("/nonexistent/affetto.csv", e.Message);
    }

    [Fact]
    public void Table_HeaderWithSpacesAfterCommas_IsTrimmed()
    {
        var table = CsvTable.Parse("track id, genre, amazement\n1,classical,0\n");
        Assert.Equal(["track id", "genre", "amazement"], table.Header);
        Assert.Equal(1, table.ColumnIndex("genre"));
        Assert.Equal(2, table.ColumnIndex(" AMAZEMENT "));
        Assert.True(table.HasColumn("track id"));
        Assert.False(table.HasColumn("mood"));
    }

    [Fact]
    public void Table_MissingColumn_ThrowsListingColumns()
    {
        var table = CsvTable.Parse("Song,Quadrant\n", "ann.csv");
        var e = Assert.Throws<CsvFormatException>(() => table.ColumnIndex("Artist"));
        Assert.Contains("'Artist'", e.Message);
        Assert.Contains("'Song', 'Quadrant'", e.Message);
        Assert.Contains("ann.csv", e.Message);
    }

    [Fact]
    public void Table_RaggedRow_ThrowsNamingLine()
    {
        var e = Assert.Throws<CsvFormatException>(() => CsvTable.Parse("a,b\n1,2\n3\n", "r.csv"));
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("1 fields but the header has 2", e.Message);
    }

    [Fact]
    public void Table_DuplicateColumn_Throws()
    {
        var e = Assert.Throws<CsvFormatException>(() => CsvTable.Parse("a, A\n1,2\n"));
        Assert.Contains("twice", e.Message);
    }

    [Fact]
    public void Table_EmptyText_ThrowsNoHeader()
    {
        var e = Assert.Throws<CsvFormatException>(() => CsvTable.Parse("\n\n", "empty.csv"));
        Assert.Contains("no header", e.Message);
    }
}
