namespace Affetto.Plotting.Tests;

public class CanvasTests
{
    private static readonly Rgb Ink = new(10, 20, 30);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void DrawText_PutsEachGlyphPixelAtItsScaledPlace(int scale)
    {
        var c = new Canvas(100, 40);
        c.DrawText("Ag", 5, 4, Ink, scale);
        for (int k = 0; k < 2; k++)
            for (int y = 0; y < BitmapFont.GlyphHeight; y++)
                for (int x = 0; x < BitmapFont.GlyphWidth; x++)
                {
                    bool inked = BitmapFont.IsInked("Ag"[k], x, y);
                    for (int dy = 0; dy < scale; dy++)
                        for (int dx = 0; dx < scale; dx++)
                        {
                            int px = 5 + (k * BitmapFont.Advance + x) * scale + dx, py = 4 + y * scale + dy;
                            if (py < 40) Assert.Equal(inked ? Ink : Rgb.White, c.GetPixel(px, py));
                        }
                }
    }

    [Fact]
    public void DrawTextVertical_IsTheHorizontalTextRotatedCounterClockwise()
    {
        var h = new Canvas(60, 20);
        h.DrawText("Hz1", 0, 0, Ink);
        int len = BitmapFont.MeasureWidth("Hz1");
        var v = new Canvas(20, 60);
        v.DrawTextVertical("Hz1", 0, len, Ink);
        // Rotating 90° counter-clockwise maps horizontal (x, y) to vertical (y, len - 1 - x).
        for (int y = 0; y < BitmapFont.GlyphHeight; y++)
            for (int x = 0; x < len; x++)
                Assert.Equal(h.GetPixel(x, y), v.GetPixel(y, len - 1 - x));
    }

    [Fact]
    public void DrawText_Alignment_CentresAndRightAligns()
    {
        var c = new Canvas(100, 30);
        c.DrawText("I", 50, 15, Ink, 1, TextAlign.Middle, TextAlign.Middle);
        // 'I' has its stem in column 2 of a 5-wide glyph: centred at x = 50 - 2 + 2.
        Assert.Equal(Ink, c.GetPixel(50, 15));
        var d = new Canvas(100, 30);
        d.DrawText("L", 50, 20, Ink, 1, TextAlign.End, TextAlign.End);
        Assert.Equal(Ink, d.GetPixel(45, 19)); // bottom-left of L ends on the baseline, right edge at 50
        Assert.Equal(Ink, d.GetPixel(49, 19));
        Assert.Equal(Rgb.White, d.GetPixel(50, 19));
    }

    [Fact]
    public void FillRect_And_Lines_AreClipped_AndExact()
    {
        var c = new Canvas(10, 10);
        c.FillRect(-5, -5, 8, 8, Ink);
        Assert.Equal(Ink, c.GetPixel(2, 2));
        Assert.Equal(Rgb.White, c.GetPixel(3, 3));
        c.DrawLine(0, 9, 9, 0, Rgb.Black);
        for (int i = 0; i < 10; i++) Assert.Equal(Rgb.Black, c.GetPixel(i, 9 - i));
        c.DrawLine(-20, 5, 30, 5, Rgb.Black, thickness: 3);
        Assert.Equal(Rgb.Black, c.GetPixel(0, 4));
        Assert.Equal(Rgb.Black, c.GetPixel(9, 6));
        c.SetPixel(100, 100, Ink); // ignored
        Assert.Throws<ArgumentOutOfRangeException>(() => c.GetPixel(10, 0));
    }

    [Fact]
    public void Scale_RepeatsEachPixel()
    {
        var c = new Canvas(3, 2);
        c.SetPixel(1, 1, Ink);
        Canvas s = c.Scale(4);
        Assert.Equal(12, s.Width);
        Assert.Equal(8, s.Height);
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 12; x++)
                Assert.Equal(x / 4 == 1 && y / 4 == 1 ? Ink : Rgb.White, s.GetPixel(x, y));
    }

    [Fact]
    public void ToPng_RoundTrips()
    {
        var c = new Canvas(40, 20, new Rgb(1, 2, 3));
        c.DrawText("ok", 2, 2, Rgb.White, 2);
        var img = PngTestDecoder.Decode(c.ToPng());
        Assert.Equal(c.Pixels.ToArray(), img.Pixels);
    }

    [Fact]
    public void BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Canvas(0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Canvas(5, 40000));
        var c = new Canvas(5, 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => c.DrawText("a", 0, 0, Ink, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.DrawLine(0, 0, 1, 1, Ink, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Scale(0));
        Assert.Throws<ArgumentNullException>(() => c.DrawText(null!, 0, 0, Ink));
        Assert.Throws<ArgumentException>(() => Rgb.FromHex("#12345"));
        Assert.Equal(new Rgb(0x12, 0xab, 0xef), Rgb.FromHex("#12ABef"));
        Assert.Equal("#12abef", new Rgb(0x12, 0xab, 0xef).ToHex());
    }
}
