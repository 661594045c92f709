namespace Affetto.Plotting;

/// <summary>
/// The built-in 5×9 bitmap font for printable ASCII (32..126), designed for this project: capitals and digits are
/// 7 rows tall above the baseline, lower case has a 5-row x-height, and g j p q y , ; _ use two descender rows.
/// Each character advances 6 pixels; a line is 11 pixels (at scale 1).
/// </summary>
public static class BitmapFont
{
    /// <summary>Glyph width in pixels.</summary>
    public const int GlyphWidth = 5;

    /// <summary>Glyph height in pixels including descenders.</summary>
    public const int GlyphHeight = 9;

    /// <summary>Height of capitals and digits above the baseline.</summary>
    public const int CapHeight = 7;

    /// <summary>Horizontal advance per character (glyph plus one column of spacing).</summary>
    public const int Advance = 6;

    /// <summary>Distance between baselines of consecutive lines.</summary>
    public const int LineHeight = 11;

    private const char First = ' ';
    private const char Last = '~';

    // One string per glyph from ' ' to '~': rows separated by '|', '#' = ink. Rows 0..6 sit on the baseline,
    // optional rows 7..8 are descenders.
    private static readonly string[] s_glyphs =
    [
        ".....|.....|.....|.....|.....|.....|.....",          // ' '
        "..#..|..#..|..#..|..#..|..#..|.....|..#..",          // !
        ".#.#.|.#.#.|.#.#.|.....|.....|.....|.....",          // "
        ".#.#.|.#.#.|#####|.#.#.|#####|.#.#.|.#.#.",          // #
        "..#..|.####|#.#..|.###.|..#.#|####.|..#..",          // $
        "##...|##..#|...#.|..#..|.#...|#..##|...##",          // %
        ".##..|#..#.|#.#..|.#...|#.#.#|#..#.|.##.#",          // &
        "..#..|..#..|.#...|.....|.....|.....|.....",          // '
        "...#.|..#..|.#...|.#...|.#...|..#..|...#.",          // (
        ".#...|..#..|...#.|...#.|...#.|..#..|.#...",          // )
        ".....|..#..|#.#.#|.###.|#.#.#|..#..|.....",          // *
        ".....|..#..|..#..|#####|..#..|..#..|.....",          // +
        ".....|.....|.....|.....|.....|..##.|..##.|...#.|..#..", // ,
        ".....|.....|.....|#####|.....|.....|.....",          // -
        ".....|.....|.....|.....|.....|.##..|.##..",          // .
        "....#|....#|...#.|..#..|.#...|#....|#....",          // /
        ".###.|#...#|#..##|#.#.#|##..#|#...#|.###.",          // 0
        "..#..|.##..|..#..|..#..|..#..|..#..|.###.",          // 1
        ".###.|#...#|....#|...#.|..#..|.#...|#####",          // 2
        "#####|...#.|..#..|...#.|....#|#...#|.###.",          // 3
        "...#.|..##.|.#.#.|#..#.|#####|...#.|...#.",          // 4
        "#####|#....|####.|....#|....#|#...#|.###.",          // 5
        "..##.|.#...|#....|####.|#...#|#...#|.###.",          // 6
        "#####|....#|...#.|..#..|.#...|.#...|.#...",          // 7
        ".###.|#...#|#...#|.###.|#...#|#...#|.###.",          // 8
        ".###.|#...#|#...#|.####|....#|...#.|.##..",          // 9
        ".....|.##..|.##..|.....|.##..|.##..|.....",          // :
        ".....|..##.|..##.|.....|..##.|..##.|...#.|..#..",    // ;
        "...#.|..#..|.#...|#....|.#...|..#..|...#.",          // <
        ".....|.....|#####|.....|#####|.....|.....",          // =
        ".#...|..#..|...#.|....#|...#.|..#..|.#...",          // >
        ".###.|#...#|....#|...#.|..#..|.....|..#..",          // ?
        ".###.|#...#|#.###|#.#.#|#.###|#....|.####",          // @
        ".###.|#...#|#...#|#####|#...#|#...#|#...#",          // A
        "####.|#...#|#...#|####.|#...#|#...#|####.",          // B
        ".###.|#...#|#....|#....|#....|#...#|.###.",          // C
        "###..|#..#.|#...#|#...#|#...#|#..#.|###..",          // D
        "#####|#....|#....|####.|#....|#....|#####",          // E
        "#####|#....|#....|####.|#....|#....|#....",          // F
        ".###.|#...#|#....|#.###|#...#|#...#|.####",          // G
        "#...#|#...#|#...#|#####|#...#|#...#|#...#",          // H
        ".###.|..#..|..#..|..#..|..#..|..#..|.###.",          // I
        "..###|...#.|...#.|...#.|...#.|#..#.|.##..",          // J
        "#...#|#..#.|#.#..|##...|#.#..|#..#.|#...#",          // K
        "#....|#....|#....|#....|#....|#....|#####",          // L
        "#...#|##.##|#.#.#|#.#.#|#...#|#...#|#...#",          // M
        "#...#|#...#|##..#|#.#.#|#..##|#...#|#...#",          // N
        ".###.|#...#|#...#|#...#|#...#|#...#|.###.",          // O
        "####.|#...#|#...#|####.|#....|#....|#....",          // P
        ".###.|#...#|#...#|#...#|#.#.#|#..#.|.##.#",          // Q
        "####.|#...#|#...#|####.|#.#..|#..#.|#...#",          // R
        ".####|#....|#....|.###.|....#|....#|####.",          // S
        "#####|..#..|..#..|..#..|..#..|..#..|..#..",          // T
        "#...#|#...#|#...#|#...#|#...#|#...#|.###.",          // U
        "#...#|#...#|#...#|#...#|#...#|.#.#.|..#..",          // V
        "#...#|#...#|#...#|#.#.#|#.#.#|#.#.#|.#.#.",          // W
        "#...#|#...#|.#.#.|..#..|.#.#.|#...#|#...#",          // X
        "#...#|#...#|.#.#.|..#..|..#..|..#..|..#..",          // Y
        "#####|....#|...#.|..#..|.#...|#....|#####",          // Z
        ".###.|.#...|.#...|.#...|.#...|.#...|.###.",          // [
        "#....|#....|.#...|..#..|...#.|....#|....#",          // \
        ".###.|...#.|...#.|...#.|...#.|...#.|.###.",          // ]
        "..#..|.#.#.|#...#|.....|.....|.....|.....",          // ^
        ".....|.....|.....|.....|.....|.....|.....|#####",    // _
        ".#...|..#..|...#.|.....|.....|.....|.....",          // `
        ".....|.....|.###.|....#|.####|#...#|.####",          // a
        "#....|#....|####.|#...#|#...#|#...#|####.",          // b
        ".....|.....|.###.|#....|#....|#...#|.###.",          // c
        "....#|....#|.####|#...#|#...#|#...#|.####",          // d
        ".....|.....|.###.|#...#|#####|#....|.###.",          // e
        "..##.|.#..#|.#...|###..|.#...|.#...|.#...",          // f
        ".....|.....|.####|#...#|#...#|#...#|.####|....#|.###.", // g
        "#....|#....|####.|#...#|#...#|#...#|#...#",          // h
        "..#..|.....|.##..|..#..|..#..|..#..|.###.",          // i
        "...#.|.....|..##.|...#.|...#.|...#.|...#.|#..#.|.##..", // j
        "#....|#....|#..#.|#.#..|##...|#.#..|#..#.",          // k
        ".##..|..#..|..#..|..#..|..#..|..#..|.###.",          // l
        ".....|.....|##.#.|#.#.#|#.#.#|#.#.#|#.#.#",          // m
        ".....|.....|####.|#...#|#...#|#...#|#...#",          // n
        ".....|.....|.###.|#...#|#...#|#...#|.###.",          // o
        ".....|.....|####.|#...#|#...#|#...#|####.|#....|#....", // p
        ".....|.....|.####|#...#|#...#|#...#|.####|....#|....#", // q
        ".....|.....|#.##.|##..#|#....|#....|#....",          // r
        ".....|.....|.####|#....|.###.|....#|####.",          // s
        ".#...|.#...|###..|.#...|.#...|.#..#|..##.",          // t
        ".....|.....|#...#|#...#|#...#|#..##|.##.#",          // u
        ".....|.....|#...#|#...#|#...#|.#.#.|..#..",          // v
        ".....|.....|#...#|#...#|#.#.#|#.#.#|.#.#.",          // w
        ".....|.....|#...#|.#.#.|..#..|.#.#.|#...#",          // x
        ".....|.....|#...#|#...#|#...#|#...#|.####|....#|.###.", // y
        ".....|.....|#####|...#.|..#..|.#...|#####",          // z
        "...##|..#..|..#..|.#...|..#..|..#..|...##",          // {
        "..#..|..#..|..#..|..#..|..#..|..#..|..#..",          // |
        "##...|..#..|..#..|...#.|..#..|..#..|##...",          // }
        ".....|.....|.#...|#.#.#|...#.|.....|.....",          // ~
    ];

    // Bit masks per glyph row (bit 4 = leftmost column), GlyphHeight rows per glyph.
    private static readonly byte[] s_rows = Parse();

    private static byte[] Parse()
    {
        if (s_glyphs.Length != Last - First + 1)
            throw new InvalidOperationException($"Font table has {s_glyphs.Length} glyphs, expected {Last - First + 1}.");
        var rows = new byte[s_glyphs.Length * GlyphHeight];
        for (int g = 0; g < s_glyphs.Length; g++)
        {
            string[] parts = s_glyphs[g].Split('|');
            if (parts.Length is < CapHeight or > GlyphHeight)
                throw new InvalidOperationException($"Glyph '{(char)(First + g)}' has {parts.Length} rows.");
            for (int r = 0; r < parts.Length; r++)
            {
                if (parts[r].Length != GlyphWidth)
                    throw new InvalidOperationException($"Glyph '{(char)(First + g)}' row {r} is {parts[r].Length} wide.");
                byte bits = 0;
                for (int c = 0; c < GlyphWidth; c++)
                    if (parts[r][c] == '#') bits |= (byte)(1 << (GlyphWidth - 1 - c));
                rows[g * GlyphHeight + r] = bits;
            }
        }
        return rows;
    }

    /// <summary>True for characters the font draws (printable ASCII 32..126).</summary>
    /// <param name="c">Character.</param>
    public static bool HasGlyph(char c) => c >= First && c <= Last;

    /// <summary>
    /// Bits of row <paramref name="row"/> of the glyph of <paramref name="c"/>; bit 4 is the leftmost column.
    /// Characters without a glyph are drawn as '?'.
    /// </summary>
    /// <param name="c">Character.</param>
    /// <param name="row">Row 0..8 from the top.</param>
    public static int GetRow(char c, int row)
    {
        if ((uint)row >= GlyphHeight) throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be in [0, {GlyphHeight}), got {row}.");
        if (!HasGlyph(c)) c = '?';
        return s_rows[(c - First) * GlyphHeight + row];
    }

    /// <summary>True when pixel (<paramref name="x"/>, <paramref name="y"/>) of the glyph of <paramref name="c"/> is inked.</summary>
    /// <param name="c">Character.</param>
    /// <param name="x">Column 0..4 from the left.</param>
    /// <param name="y">Row 0..8 from the top.</param>
    public static bool IsInked(char c, int x, int y)
    {
        if ((uint)x >= GlyphWidth) throw new ArgumentOutOfRangeException(nameof(x), x, $"x must be in [0, {GlyphWidth}), got {x}.");
        return (GetRow(c, y) & (1 << (GlyphWidth - 1 - x))) != 0;
    }

    /// <summary>Width in pixels of <paramref name="text"/> on one line at <paramref name="scale"/> (no trailing spacing).</summary>
    /// <param name="text">Text.</param>
    /// <param name="scale">Integer magnification (≥ 1).</param>
    public static int MeasureWidth(string text, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? 0 : (text.Length * Advance - 1) * scale;
    }
}
