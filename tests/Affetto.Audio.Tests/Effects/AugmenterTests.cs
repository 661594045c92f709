using Affetto.Audio.Effects;
using static Affetto.Audio.Tests.Effects.EffectsTestSignals;

namespace Affetto.Audio.Tests.Effects;

public class AugmenterTests
{
    [Theory]
    [InlineData(6.0)]
    [InlineData(-12.5)]
    [InlineData(0.0)]
    public void Gain_ScalesByTheDbFactor(double db)
    {
        float[] x = Noise(1, 1000);
        float[] y = (float[])x.Clone();
        Augmenter.Gain(y, db);
        float g = (float)Math.Pow(10, db / 20);
        for (int i = 0; i < x.Length; i++) Assert.Equal(x[i] * g, y[i]);
        Assert.Equal(db, 10 * Math.Log10(Power(y) / Power(x)), 4);
    }

    [Theory]
    [InlineData(-5.0)]
    [InlineData(10.0)]
    [InlineData(30.0)]
    public void GaussianNoise_HitsTheSnrOverALongSignal(double snrDb)
    {
        float[] x = Sine(440, 16000, 160000, 0.5);
        float[] y = (float[])x.Clone();
        Augmenter.GaussianNoise(y, snrDb, new Random(5));
        var n = new float[x.Length];
        for (int i = 0; i < x.Length; i++) n[i] = y[i] - x[i];
        Assert.Equal(snrDb, 10 * Math.Log10(Power(x) / Power(n)), 1);
        // The noise is Gaussian: kurtosis near 3, mean near 0.
        double m2 = n.Average(v => (double)v * v), m4 = n.Average(v => Math.Pow(v, 4));
        Assert.InRange(m4 / (m2 * m2), 2.9, 3.1);
        Assert.InRange(n.Average(v => (double)v) / Math.Sqrt(m2), -0.02, 0.02);
    }

    [Fact]
    public void SameSeed_GivesIdenticalResults_DifferentSeed_Differs()
    {
        float[] a = Sine(300, 8000, 8000), b = (float[])a.Clone(), c = (float[])a.Clone();
        var r1 = new Augmenter(42);
        var r2 = new Augmenter(42);
        var r3 = new Augmenter(43);
        Assert.Equal(r1.RandomGain(a, -6, 6), r2.RandomGain(b, -6, 6));
        r3.RandomGain(c, -6, 6);
        Assert.Equal(r1.RandomNoise(a, 5, 20), r2.RandomNoise(b, 5, 20));
        r3.RandomNoise(c, 5, 20);
        Assert.Equal(r1.RandomTimeShift(a, 8000, 0.2), r2.RandomTimeShift(b, 8000, 0.2));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        float[] s1 = r1.RandomTimeStretch(a, 8000, 0.8, 1.25, out double rate1);
        float[] s2 = r2.RandomTimeStretch(b, 8000, 0.8, 1.25, out double rate2);
        Assert.Equal(rate1, rate2);
        Assert.InRange(rate1, 0.8, 1.25);
        Assert.Equal(s1, s2);
    }

    [Theory]
    [InlineData(0.25, ShiftMode.Circular)]
    [InlineData(-0.25, ShiftMode.Circular)]
    [InlineData(2.35, ShiftMode.Circular)]
    [InlineData(0.25, ShiftMode.ZeroFill)]
    [InlineData(-0.25, ShiftMode.ZeroFill)]
    [InlineData(5.0, ShiftMode.ZeroFill)]
    public void TimeShift_MovesSamplesExactly(double seconds, ShiftMode mode)
    {
        float[] x = Enumerable.Range(1, 100).Select(i => (float)i).ToArray();
        float[] y = (float[])x.Clone();
        Augmenter.TimeShift(y, 100, seconds, mode);
        int s = (int)Math.Round(seconds * 100);
        for (int i = 0; i < 100; i++)
        {
            int src = i - s;
            float expected = mode == ShiftMode.Circular ? x[((src % 100) + 100) % 100] : (src is >= 0 and < 100 ? x[src] : 0f);
            Assert.Equal(expected, y[i]);
        }
    }

    public static TheoryData<double, double, int> StretchGrid()
    {
        var d = new TheoryData<double, double, int>();
        foreach (double rate in new[] { 0.5, 0.8, 1.25, 2.0 })
        foreach (double f in new[] { 220.0, 440.0, 1000.0 })
            d.Add(rate, f, 22050);
        d.Add(0.9, 440.0, 44100);
        return d;
    }

    [Theory]
    [MemberData(nameof(StretchGrid))]
    public void TimeStretch_ChangesLengthAndKeepsFrequency(double rate, double freq, int sampleRate)
    {
        float[] x = Sine(freq, sampleRate, sampleRate * 2);
        float[] y = Augmenter.TimeStretch(x, sampleRate, rate);
        Assert.Equal((int)Math.Round(x.Length / rate), y.Length);
        // Measure on the steady middle part.
        int a = y.Length / 4, len = y.Length / 2;
        double f = PeakFrequency(y.AsSpan(a, len), sampleRate, freq * 0.9, freq * 1.1);
        Assert.InRange(f, freq * 0.99, freq * 1.01);
        // Amplitude is preserved (no cancellation between frames).
        Assert.InRange(Math.Sqrt(Power(y.AsSpan(a, len))), 0.5 / Math.Sqrt(2) * 0.95, 0.5 / Math.Sqrt(2) * 1.05);
    }

    [Theory]
    [InlineData(0.75)]
    [InlineData(1.3)]
    public void TimeStretch_TwoTones_BothKeepTheirFrequencies(double rate)
    {
        const int sr = 22050;
        float[] a = Sine(220, sr, sr * 2, 0.4), b = Sine(330, sr, sr * 2, 0.3);
        float[] x = a.Zip(b, (p, q) => p + q).ToArray();
        float[] y = Augmenter.TimeStretch(x, sr, rate);
        int start = y.Length / 4, len = y.Length / 2;
        Assert.InRange(PeakFrequency(y.AsSpan(start, len), sr, 200, 240), 220 * 0.99, 220 * 1.01);
        Assert.InRange(PeakFrequency(y.AsSpan(start, len), sr, 300, 360), 330 * 0.99, 330 * 1.01);
    }

    [Fact]
    public void TimeStretch_RateOne_ReproducesTheInput()
    {
        float[] x = Noise(9, 5000);
        float[] y = Augmenter.TimeStretch(x, 16000, 1.0);
        for (int i = 0; i < x.Length; i++) Assert.Equal(x[i], y[i], 5);
    }

    [Fact]
    public void TimeStretch_EmptyAndShortInputs_Work()
    {
        Assert.Empty(Augmenter.TimeStretch(Array.Empty<float>(), 16000, 1.5));
        Assert.Equal(67, Augmenter.TimeStretch(Noise(2, 100), 16000, 1.5).Length);
    }

    [Fact]
    public void BadArguments_Throw()
    {
        var x = Noise(1, 100);
        Assert.ThrowsAny<ArgumentException>(() => Augmenter.Gain(x, double.NaN));
        Assert.ThrowsAny<ArgumentException>(() => Augmenter.GaussianNoise(new float[10], 10, new Random(1)));
        Assert.ThrowsAny<ArgumentException>(() => Augmenter.GaussianNoise(Array.Empty<float>(), 10, new Random(1)));
        Assert.ThrowsAny<ArgumentException>(() => Augmenter.GaussianNoise(x, double.NaN, new Random(1)));
        Assert.Throws<ArgumentNullException>(() => Augmenter.GaussianNoise(x, 10, null!));
        Assert.ThrowsAny<ArgumentException>(() => Augmenter.TimeShift(x, 0, 1));
        Assert.ThrowsAny<ArgumentException>(() => Augmenter.TimeShift(x, 100, double.NaN));
        Assert.ThrowsAny<ArgumentException>(() => Augmenter.TimeShift(x, 100, 0.1, (ShiftMode)9));
        var ex = Assert.ThrowsAny<ArgumentException>(() => Augmenter.TimeStretch(x, 100, 0));
        Assert.Equal("rate", ex.ParamName);
        Assert.ThrowsAny<ArgumentException>(() => Augmenter.TimeStretch(x, 100, 11));
        Assert.ThrowsAny<ArgumentException>(() => Augmenter.TimeStretch(x, 0, 1));
        var aug = new Augmenter(1);
        Assert.ThrowsAny<ArgumentException>(() => aug.RandomGain(x, 3, 1));
        Assert.ThrowsAny<ArgumentException>(() => aug.RandomTimeShift(x, 100, -1));
        Assert.ThrowsAny<ArgumentException>(() => aug.RandomTimeStretch(x, 100, 0, 2, out _));
        Assert.Throws<ArgumentNullException>(() => new Augmenter(null!));
    }
}

public class AugmenterPitchShiftTests
{
    public static TheoryData<double, double> Grid()
    {
        var d = new TheoryData<double, double>();
        foreach (double n in new[] { -12.0, -5.0, -1.0, 2.0, 3.0, 7.0, 12.0 }) d.Add(n, 440.0);
        d.Add(4.0, 220.0);
        return d;
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void PitchShift_MovesTheSineBySemitones_AndKeepsLength(double semitones, double freq)
    {
        const int sr = 22050;
        float[] x = EffectsTestSignals.Sine(freq, sr, sr * 2);
        float[] y = Augmenter.PitchShift(x, sr, semitones);
        Assert.Equal(x.Length, y.Length);
        double expected = freq * Math.Pow(2, semitones / 12);
        int a = y.Length / 4, len = y.Length / 2;
        double f = EffectsTestSignals.PeakFrequency(y.AsSpan(a, len), sr, expected * 0.9, expected * 1.1);
        Assert.InRange(f, expected * 0.99, expected * 1.01);
        Assert.InRange(Math.Sqrt(EffectsTestSignals.Power(y.AsSpan(a, len))), 0.5 / Math.Sqrt(2) * 0.9, 0.5 / Math.Sqrt(2) * 1.1);
    }

    [Fact]
    public void PitchShift_ZeroAndEmpty_AreCopies_AndBadArgumentsThrow()
    {
        float[] x = EffectsTestSignals.Noise(3, 1000);
        Assert.Equal(x, Augmenter.PitchShift(x, 16000, 0));
        Assert.Empty(Augmenter.PitchShift(Array.Empty<float>(), 16000, 3));
        Assert.ThrowsAny<ArgumentException>(() => Augmenter.PitchShift(x, 16000, 25));
        Assert.ThrowsAny<ArgumentException>(() => Augmenter.PitchShift(x, 16000, double.NaN));
        Assert.ThrowsAny<ArgumentException>(() => Augmenter.PitchShift(x, 0, 1));
        var aug = new Augmenter(7);
        float[] y = aug.RandomPitchShift(x, 16000, -2, 2, out double n);
        Assert.InRange(n, -2, 2);
        Assert.Equal(x.Length, y.Length);
        Assert.Equal(y, new Augmenter(7).RandomPitchShift(x, 16000, -2, 2, out _));
    }
}
