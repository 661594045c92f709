namespace Affetto.Plotting.Tests;

public class ColorMapTests
{
    public static TheoryData<string> Maps => new() { "aurora", "ember", "gray" };

    private static ColorMap Get(string name) => name switch { "aurora" => ColorMap.Aurora, "ember" => ColorMap.Ember, _ => ColorMap.Gray };

    [Theory]
    [MemberData(nameof(Maps))]
    public void Lightness_IncreasesMonotonically_AndNearlyLinearly(string name)
    {
        ColorMap map = Get(name);
        Assert.Equal(256, map.Colors.Count);
        Assert.Equal(name, map.Name);
        double prev = -1;
        var ls = new List<double>();
        for (int i = 0; i <= 63; i++)
        {
            double l = OkLab.FromRgb(map.Map(i / 63.0)).L;
            Assert.True(l > prev, $"{name}: L({i}/63) = {l} <= {prev}");
            prev = l;
            ls.Add(l);
        }
        // Equal value steps give equal lightness steps (within 8-bit quantisation).
        double step = (ls[^1] - ls[0]) / 63;
        for (int i = 1; i < ls.Count; i++) Assert.InRange(ls[i] - ls[i - 1], step * 0.6, step * 1.4);
    }

    [Fact]
    public void Maps_HaveTheIntendedHues()
    {
        // Aurora: dark bluish start, yellow end; Ember: near-black start, pale yellow end.
        Rgb a0 = ColorMap.Aurora.Map(0), a1 = ColorMap.Aurora.Map(1);
        Assert.True(a0.B > a0.R && a0.B > a0.G);
        Assert.True(a1.R > a1.B + 80 && a1.G > a1.B + 80);
        Rgb e0 = ColorMap.Ember.Map(0), e1 = ColorMap.Ember.Map(1);
        Assert.True(e0.R + e0.G + e0.B < 60);
        Assert.True(e1.R > 230 && e1.G > 200);
        Assert.Equal(ColorMap.Aurora.Map(0), ColorMap.Aurora.Map(-3));
        Assert.Equal(ColorMap.Aurora.Map(0), ColorMap.Aurora.Map(double.NaN));
        Assert.Equal(ColorMap.Aurora.Map(1), ColorMap.Aurora.Map(7));
    }

    [Fact]
    public void OkLab_RoundTripsSrgb()
    {
        var r = new Random(4);
        for (int i = 0; i < 200; i++)
        {
            var c = new Rgb((byte)r.Next(256), (byte)r.Next(256), (byte)r.Next(256));
            (double l, double a, double b) = OkLab.FromRgb(c);
            Assert.Equal(c, OkLab.ToRgb(l, a, b, out bool inGamut));
            Assert.True(inGamut);
        }
        Assert.Equal(1.0, OkLab.FromRgb(Rgb.White).L, 3);
        Assert.Equal(0.0, OkLab.FromRgb(Rgb.Black).L, 6);
    }

    [Fact]
    public void FromOkLch_RejectsBadAnchors()
    {
        Assert.Throws<ArgumentException>(() => ColorMap.FromOkLch("x", [(0.5, 0.1, 0)]));
        Assert.Throws<ArgumentException>(() => ColorMap.FromOkLch("x", [(0.5, 0.1, 0), (0.4, 0.1, 0)]));
        Assert.Throws<ArgumentException>(() => ColorMap.FromOkLch("x", [(0.5, 0.1, 0), (1.4, 0.1, 0)]));
        Assert.Throws<ArgumentException>(() => ColorMap.FromOkLch("x", [(0.2, -0.1, 0), (0.4, 0.1, 0)]));
        // Out-of-gamut anchors are fitted by reducing chroma, keeping lightness.
        ColorMap vivid = ColorMap.FromOkLch("vivid", [(0.3, 0.4, 30), (0.9, 0.4, 200)]);
        Assert.Equal(0.3, OkLab.FromRgb(vivid.Map(0)).L, 2);
        Assert.Equal(0.9, OkLab.FromRgb(vivid.Map(1)).L, 2);
    }
}
