using Affetto.Audio.Effects;

namespace Affetto.Audio.Tests.Effects;

public class FadeTests
{
    public static TheoryData<FadeCurve> Curves => new() { FadeCurve.Linear, FadeCurve.Exponential, FadeCurve.Logarithmic, FadeCurve.EqualPower, FadeCurve.SCurve };

    [Theory]
    [MemberData(nameof(Curves))]
    public void Gain_EndsAreZeroAndOne_AndMonotonic(FadeCurve curve)
    {
        Assert.Equal(0.0, Fade.Gain(curve, 0), 12);
        Assert.Equal(1.0, Fade.Gain(curve, 1), 12);
        double prev = 0;
        for (int i = 1; i <= 1000; i++)
        {
            double g = Fade.Gain(curve, i / 1000.0);
            Assert.True(g >= prev, $"{curve} not monotonic at {i}");
            prev = g;
        }
    }

    [Fact]
    public void Gain_CurveShapes_MatchTheirDefinitions()
    {
        Assert.Equal(0.25, Fade.Gain(FadeCurve.Linear, 0.25), 12);
        Assert.Equal(Math.Sqrt(0.5), Fade.Gain(FadeCurve.EqualPower, 0.5), 12);
        Assert.Equal(0.5, Fade.Gain(FadeCurve.SCurve, 0.5), 12);
        // Exponential is linear in dB: equal steps in x give equal dB steps (away from the -60 dB floor correction).
        double d1 = 20 * Math.Log10(Fade.Gain(FadeCurve.Exponential, 0.8)) - 20 * Math.Log10(Fade.Gain(FadeCurve.Exponential, 0.7));
        double d2 = 20 * Math.Log10(Fade.Gain(FadeCurve.Exponential, 0.9)) - 20 * Math.Log10(Fade.Gain(FadeCurve.Exponential, 0.8));
        Assert.Equal(d1, d2, 1);
        Assert.Equal(6.0, d2, 1);
        Assert.Equal(1 - Fade.Gain(FadeCurve.Exponential, 0.3), Fade.Gain(FadeCurve.Logarithmic, 0.7), 12);
        // Equal power: fade-in² + fade-out² = 1.
        for (double x = 0; x <= 1; x += 0.05)
            Assert.Equal(1.0, Math.Pow(Fade.Gain(FadeCurve.EqualPower, x), 2) + Math.Pow(Fade.Gain(FadeCurve.EqualPower, 1 - x), 2), 12);
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Apply_OnOnes_GivesTheEnvelope(FadeCurve curve)
    {
        var x = Enumerable.Repeat(1f, 1000).ToArray();
        Fade.Apply(x, 100, 1.0, 2.0, curve); // 100 frames in, 200 frames out
        for (int i = 0; i < 100; i++) Assert.Equal((float)Fade.Gain(curve, i / 100.0), x[i]);
        for (int i = 100; i < 800; i++) Assert.Equal(1f, x[i]);
        for (int j = 0; j < 200; j++) Assert.Equal((float)Fade.Gain(curve, j / 200.0), x[999 - j]);
        Assert.Equal(0f, x[0]);
        Assert.Equal(0f, x[999]);
    }

    [Fact]
    public void Apply_Interleaved_FadesEveryChannelOfAFrameAlike()
    {
        var x = Enumerable.Repeat(1f, 20).ToArray();
        Fade.Apply(x, 10, 0.4, 0, FadeCurve.Linear, channels: 2);
        for (int f = 0; f < 4; f++)
        {
            Assert.Equal(f / 4f, x[2 * f]);
            Assert.Equal(f / 4f, x[2 * f + 1]);
        }
        Assert.Equal(1f, x[8]);
    }

    [Fact]
    public void Apply_InAndOutOverlap_GainsMultiply()
    {
        var x = Enumerable.Repeat(1f, 10).ToArray();
        Fade.Apply(x, 10, 0.8, 0.8); // 8 + 8 frames > 10
        for (int i = 0; i < 10; i++)
        {
            double expected = (i < 8 ? i / 8.0 : 1.0) * (9 - i < 8 ? (9 - i) / 8.0 : 1.0);
            Assert.Equal((float)expected, x[i], 6);
        }
        var y = Enumerable.Repeat(1f, 10).ToArray();
        Fade.Out(y, 10, 0.8);
        Fade.In(y, 10, 0.8);
        Assert.Equal(x, y);
    }

    [Theory]
    [InlineData(-1.0, 0.0, "fadeInSeconds")]
    [InlineData(0.0, -0.5, "fadeOutSeconds")]
    [InlineData(double.NaN, 0.0, "fadeInSeconds")]
    [InlineData(1.5, 0.0, "fadeInSeconds")]
    [InlineData(0.0, 1.01, "fadeOutSeconds")]
    public void Apply_BadLengths_ThrowNamingTheValue(double fadeIn, double fadeOut, string param)
    {
        var x = new float[100];
        var ex = Assert.ThrowsAny<ArgumentException>(() => Fade.Apply(x, 100, fadeIn, fadeOut));
        Assert.Equal(param, ex.ParamName);
        Assert.Contains(param, ex.Message);
    }

    [Fact]
    public void Apply_TooLong_MessageNamesSecondsAndSignalLength()
    {
        var ex = Assert.Throws<ArgumentException>(() => Fade.Apply(new float[100], 100, 1.5, 0));
        Assert.Contains("1.5 s", ex.Message);
        Assert.Contains("100 frames", ex.Message);
    }

    [Fact]
    public void Apply_BadLayout_Throws()
    {
        Assert.ThrowsAny<ArgumentException>(() => Fade.Apply(new float[5], 10, 0, 0, channels: 2));
        Assert.ThrowsAny<ArgumentException>(() => Fade.Apply(new float[4], 0, 0, 0));
        Assert.ThrowsAny<ArgumentException>(() => Fade.Apply(new float[4], 10, 0, 0, channels: 0));
        Assert.ThrowsAny<ArgumentException>(() => Fade.In(new float[4], 10, 0.1, (FadeCurve)42));
    }
}
