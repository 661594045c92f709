using System.Text.Json;
using Affetto.Audio.Tests.Features;
using Affetto.Audio.Transforms;

namespace Affetto.Audio.Tests.Transforms;

public class StftTests
{
    public static IEnumerable<object[]> FixtureCases()
    {
        yield return ["s2048_hopnull_const", "signal_short", 2048, null!, null!, true, PadMode.Constant];
        yield return ["s2048_512_reflect", "signal_short", 2048, 512, null!, true, PadMode.Reflect];
        yield return ["s1024_256_win512_const", "signal_short", 1024, 256, 512, true, PadMode.Constant];
        yield return ["s512_128_nocenter", "signal_short", 512, 128, null!, false, PadMode.Constant];
        yield return ["s501_hopnull_const", "signal_odd", 501, null!, null!, true, PadMode.Constant];
        yield return ["s501_128_reflect", "signal_odd", 501, 128, null!, true, PadMode.Reflect];
        yield return ["s501_128_nocenter", "signal_odd", 501, 128, null!, false, PadMode.Constant];
    }

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Forward_MatchesTorchStft(string name, string signal, int nFft, int? hop, int? win, bool center, PadMode pad)
    {
        var y = FeatureFixtures.Signal(signal);
        var expected = FeatureFixtures.Load("stft_" + name);
        var stft = new ShortTimeFourierTransform(nFft, hop, win, WindowType.Hann, center, pad);
        var s = stft.Forward(y);
        Assert.Equal(new[] { 2, stft.Bins, s.Columns }, expected.Shape);
        Assert.Equal(stft.FrameCount(y.Length), s.Columns);
        FeatureFixtures.AssertClose(s.Real.Concat(s.Imag).ToArray(), expected.Data, 1e-4, name);
    }

    [Fact]
    public void FixtureSidecar_ListsEveryStftCase()
    {
        var json = File.ReadAllText(LocateJson());
        using var doc = JsonDocument.Parse(json);
        var names = doc.RootElement.GetProperty("stft_cases").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToHashSet();
        foreach (var c in FixtureCases()) Assert.Contains((string)c[0], names);
        Assert.True(doc.RootElement.GetProperty("versions").TryGetProperty("torchaudio", out _));
    }

    private static string LocateJson() => Path.Combine(FeatureFixtures.Directory, "features.json");

    public static IEnumerable<object[]> FrameCountGrid()
    {
        foreach (int len in new[] { 1, 100, 511, 512, 513, 2047, 2048, 2049, 22050 })
            foreach (int nFft in new[] { 501, 512, 2048 })
                foreach (int hop in new[] { 128, 512 })
                    foreach (bool center in new[] { true, false })
                        yield return [len, nFft, hop, center];
    }

    [Theory]
    [MemberData(nameof(FrameCountGrid))]
    public void FrameCount_FollowsLibrosaFormula(int len, int nFft, int hop, bool center)
    {
        int expected = center ? 1 + (len + 2 * (nFft / 2) - nFft) / hop : (len >= nFft ? 1 + (len - nFft) / hop : 0);
        Assert.Equal(expected, ShortTimeFourierTransform.FrameCount(len, nFft, hop, center));
        if (center && nFft % 2 == 0) Assert.Equal(1 + len / hop, expected);
        var stft = new ShortTimeFourierTransform(nFft, hop, center: center);
        var y = FeatureFixtures.Noise(len, len);
        if (expected == 0) Assert.Throws<ArgumentException>(() => stft.Forward(y));
        else Assert.Equal(expected, stft.Forward(y).Columns);
    }

    public static IEnumerable<object[]> NaiveGrid()
    {
        foreach (int nFft in new[] { 64, 63, 501 })
            foreach (bool center in new[] { true, false })
                foreach (int? hop in new int?[] { null, 37 })
                    foreach (PadMode pad in new[] { PadMode.Constant, PadMode.Reflect })
                        yield return [nFft, hop!, center, pad];
    }

    [Theory]
    [MemberData(nameof(NaiveGrid))]
    public void Forward_MatchesNaiveDftOfWindowedFrames(int nFft, int? hop, bool center, PadMode pad)
    {
        var y = FeatureFixtures.Noise(1500, nFft);
        var stft = new ShortTimeFourierTransform(nFft, hop, null, WindowType.Hann, center, pad);
        var s = stft.Forward(y);
        int h = hop ?? nFft / 4, p = center ? nFft / 2 : 0, n = y.Length;
        var w = Windows.Create(WindowType.Hann, nFft);
        double err = 0, max = 0;
        for (int t = 0; t < s.Columns; t++)
            for (int k = 0; k < stft.Bins; k++)
            {
                double re = 0, im = 0;
                for (int i = 0; i < nFft; i++)
                {
                    long j = (long)t * h + i - p;
                    double v = j >= 0 && j < n ? y[j] : pad == PadMode.Constant ? 0 : y[j < 0 ? -j : 2 * (n - 1) - j];
                    double a = -2 * Math.PI * ((long)k * i % nFft) / nFft;
                    re += v * w[i] * Math.Cos(a); im += v * w[i] * Math.Sin(a);
                }
                err = Math.Max(err, Math.Max(Math.Abs(re - s.Real[k * s.Columns + t]), Math.Abs(im - s.Imag[k * s.Columns + t])));
                max = Math.Max(max, Math.Max(Math.Abs(re), Math.Abs(im)));
            }
        Assert.True(err / max < 1e-5, $"relative error {err / max:E2}");
    }

    public static IEnumerable<object[]> RoundTripGrid()
    {
        yield return [2048, null!, null!, true, WindowType.Hann];
        yield return [2048, 512, null!, true, WindowType.Hann];
        yield return [1024, 256, 512, true, WindowType.Hann];
        yield return [501, null!, null!, true, WindowType.Hann];
        yield return [512, 128, null!, true, WindowType.Hamming];
        yield return [512, 128, null!, true, WindowType.Blackman];
        yield return [512, 128, null!, false, WindowType.Hann];
    }

    [Theory]
    [MemberData(nameof(RoundTripGrid))]
    public void Inverse_OfForward_ReconstructsBelowMinus80Db(int nFft, int? hop, int? win, bool center, WindowType window)
    {
        var y = FeatureFixtures.Noise(22050, 9, 0.5f);
        var stft = new ShortTimeFourierTransform(nFft, hop, win, window, center);
        var back = stft.Inverse(stft.Forward(y), y.Length);
        Assert.Equal(y.Length, back.Length);
        // Without centring the first and last nFft - hop samples lack full overlap; compare the interior.
        int margin = center ? 0 : nFft;
        double err = 0, sig = 0;
        for (int i = margin; i < y.Length - margin; i++) { err += Math.Pow(back[i] - y[i], 2); sig += (double)y[i] * y[i]; }
        double db = 10 * Math.Log10(err / sig);
        Assert.True(db < -80, $"reconstruction error {db:F1} dB");
    }

    [Fact]
    public void Inverse_WithoutLength_TrimsCentrePaddingAndWithLengthPadsOrTrims()
    {
        var y = FeatureFixtures.Noise(5000, 2);
        var stft = new ShortTimeFourierTransform(512, 128);
        var s = stft.Forward(y);
        Assert.Equal(128 * (s.Columns - 1), stft.Inverse(s).Length);
        Assert.Equal(4000, stft.Inverse(s, 4000).Length);
        var longer = stft.Inverse(s, 6000);
        Assert.Equal(6000, longer.Length);
        Assert.All(longer[5500..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Spectrogram_PowerOneAndTwo_AreMagnitudeAndItsSquare()
    {
        var y = FeatureFixtures.Noise(4000, 4);
        var stft = new ShortTimeFourierTransform(256, 64);
        var c = stft.Forward(y);
        var m = stft.Spectrogram(y, 1f);
        var p = stft.Spectrogram(y, 2f);
        var q = stft.Spectrogram(y, 3f);
        for (int i = 0; i < m.Data.Length; i++)
        {
            double mag = Math.Sqrt((double)c.Real[i] * c.Real[i] + (double)c.Imag[i] * c.Imag[i]);
            Assert.Equal(mag, m.Data[i], 1e-3 * Math.Max(1, mag));
            Assert.Equal(mag * mag, p.Data[i], 1e-3 * Math.Max(1, mag * mag));
            Assert.Equal(mag * mag * mag, q.Data[i], 2e-3 * Math.Max(1, mag * mag * mag));
        }
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShortTimeFourierTransform(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShortTimeFourierTransform(512, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShortTimeFourierTransform(512, 128, 1024));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShortTimeFourierTransform(512, 128, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShortTimeFourierTransform(512, window: (WindowType)9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShortTimeFourierTransform(512, padMode: (PadMode)9));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShortTimeFourierTransform.FrameCount(-1, 512, 128, true));
    }

    [Fact]
    public void ForwardAndInverse_InvalidInput_Throw()
    {
        var stft = new ShortTimeFourierTransform(512, 128, center: false);
        Assert.Throws<ArgumentException>(() => stft.Forward(ReadOnlySpan<float>.Empty));
        Assert.Throws<ArgumentException>(() => stft.Forward(new float[100]));
        Assert.Throws<ArgumentOutOfRangeException>(() => stft.Spectrogram(new float[1000], 0f));
        Assert.Throws<ArgumentException>(() => stft.Inverse(new ComplexMatrix(10, 3)));
        Assert.Throws<ArgumentException>(() => stft.Inverse(new ComplexMatrix(257, 3), -1));
        Assert.Throws<ArgumentException>(() => new ComplexMatrix(new float[5], new float[6], 1, 5));
    }
}
