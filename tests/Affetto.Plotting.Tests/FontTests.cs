namespace Affetto.Plotting.Tests;

public class FontTests
{
    [Fact]
    public void EveryPrintableAsciiCharacter_HasAGlyph_AndAllButSpaceHaveInk()
    {
        for (char c = ' '; c <= '~'; c++)
        {
            Assert.True(BitmapFont.HasGlyph(c));
            int ink = 0;
            for (int r = 0; r < BitmapFont.GlyphHeight; r++) ink += System.Numerics.BitOperations.PopCount((uint)BitmapFont.GetRow(c, r));
            if (c == ' ') Assert.Equal(0, ink);
            else Assert.True(ink > 0, $"'{c}' has no ink");
        }
        Assert.False(BitmapFont.HasGlyph('\n'));
        Assert.False(BitmapFont.HasGlyph('é'));
    }

    [Fact]
    public void Glyphs_AreAllDistinct()
    {
        var seen = new Dictionary<string, char>();
        for (char c = ' '; c <= '~'; c++)
        {
            string key = string.Join(",", Enumerable.Range(0, BitmapFont.GlyphHeight).Select(r => BitmapFont.GetRow(c, r)));
            Assert.False(seen.TryGetValue(key, out char other), $"'{c}' looks like '{other}'");
            seen[key] = c;
        }
    }

    [Fact]
    public void OnlyDescenderCharacters_UseRowsBelowTheBaseline()
    {
        const string descenders = "gjpqy,;_";
        for (char c = ' '; c <= '~'; c++)
        {
            bool below = BitmapFont.GetRow(c, 7) != 0 || BitmapFont.GetRow(c, 8) != 0;
            Assert.Equal(descenders.Contains(c), below);
        }
    }

    [Fact]
    public void UnknownCharacters_DrawAsQuestionMark_AndBadRowsThrow()
    {
        for (int r = 0; r < BitmapFont.GlyphHeight; r++) Assert.Equal(BitmapFont.GetRow('?', r), BitmapFont.GetRow('\u00e9', r));
        Assert.Throws<ArgumentOutOfRangeException>(() => BitmapFont.GetRow('A', 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => BitmapFont.IsInked('A', 5, 0));
        Assert.True(BitmapFont.IsInked('I', 2, 3));
        Assert.Equal(0, BitmapFont.MeasureWidth(""));
        Assert.Equal((3 * 6 - 1) * 2, BitmapFont.MeasureWidth("abc", 2));
    }
}
