using Affetto.Audio.Features;
using Affetto.Audio.Transforms;

namespace Affetto.Audio.Tests.Features;

public class SummaryFeaturesTests
{
    [Fact]
    public void ColumnNames_AreTheGtzanColumnsAndTheExtendedSet()
    {
        var b = SummaryFeatures.ColumnNames(false);
        Assert.Equal(26, b.Count);
        Assert.Equal(["chroma_stft", "rms", "spectral_centroid", "spectral_bandwidth", "rolloff", "zero_crossing_rate", "mfcc1"], b.Take(7));
        Assert.Equal("mfcc20", b[^1]);
        var e = SummaryFeatures.ColumnNames(true);
        Assert.Equal(69, e.Count);
        Assert.Equal("chroma_stft_std", e[26]);
        Assert.Equal("mfcc20_std", e[51]);
        Assert.Equal("spectral_contrast1", e[52]);
        Assert.Equal("spectral_contrast7_std", e[65]);
        Assert.Equal(["spectral_flatness", "spectral_flatness_std", "tempo"], e.Skip(66));
        Assert.Equal(e.Count, e.Distinct().Count());
    }

    [Fact]
    public void Compute_Means_EqualTheMeansOfTheFeatureMatrices()
    {
        var y = FeatureFixtures.Signal("signal_1s");
        var fx = new FeatureExtractor();
        var s = SummaryFeatures.Compute(y);
        Assert.Equal(fx.ChromaStft(y).Data.Average(), s[0], 5);
        Assert.Equal(fx.Rms(y).Data.Average(), s[1], 5);
        Assert.Equal(fx.SpectralCentroid(y).Data.Average(), s[2], 1);
        Assert.Equal(fx.ZeroCrossingRate(y).Data.Average(), s[5], 5);
        var mfcc = fx.Mfcc(y);
        Assert.Equal(mfcc.Row(0).ToArray().Average(), s[6], 2);
        Assert.Equal(mfcc.Row(19).ToArray().Average(), s[25], 3);
    }

    public static IEnumerable<object[]> ChunkCases()
    {
        foreach (int seed in new[] { 1, 2, 3 }) yield return [seed, true, PadMode.Constant, true];
        yield return [4, true, PadMode.Reflect, true];
        yield return [5, false, PadMode.Constant, true];
        yield return [6, true, PadMode.Constant, false];
    }

    [Theory]
    [MemberData(nameof(ChunkCases))]
    public void Accumulator_RandomBlockSizes_EqualsOfflineCompute(int seed, bool center, PadMode pad, bool extended)
    {
        var rng = new Random(seed);
        int n = 30000 + rng.Next(20000);
        var y = new float[n];
        var click = FeatureFixtures.Noise(n, seed, 0.3f);
        for (int i = 0; i < n; i++) y[i] = (float)(0.4 * Math.Sin(2 * Math.PI * (300 + 50 * seed) * i / 22050.0)) + click[i] * (i % 5000 < 300 ? 1f : 0.05f);
        var options = new SpectrogramOptions { Center = center, PadMode = pad };
        var offline = SummaryFeatures.Compute(y, options, extended);
        var acc = new SummaryFeatureAccumulator(options, extended);
        int pos = 0;
        while (pos < n)
        {
            int len = Math.Min(n - pos, rng.Next(4) == 0 ? rng.Next(1, 5) : rng.Next(1, 6000));
            acc.Push(y.AsSpan(pos, len));
            pos += len;
        }
        var chunked = acc.Finish();
        Assert.Equal(offline.Length, chunked.Length);
        Assert.Equal(SummaryFeatures.ColumnNames(extended), acc.ColumnNames);
        Assert.Equal(ShortTimeFourierTransform.FrameCount(n, 2048, 512, center), acc.FramesComputed);
        var names = acc.ColumnNames;
        for (int i = 0; i < offline.Length; i++)
        {
            double tol = 1e-4 * Math.Max(1, Math.Abs(offline[i]));
            Assert.True(Math.Abs(offline[i] - chunked[i]) <= tol, $"{names[i]}: offline {offline[i]} vs chunked {chunked[i]}");
        }
    }

    [Fact]
    public void Accumulator_MisuseAndTooShortSignals_Throw()
    {
        var acc = new SummaryFeatureAccumulator();
        Assert.Throws<InvalidOperationException>(() => acc.Finish());
        acc.Push(new float[3000]);
        acc.Finish();
        Assert.Throws<InvalidOperationException>(() => acc.Finish());
        Assert.Throws<InvalidOperationException>(() => acc.Push(new float[10]));
        var nc = new SummaryFeatureAccumulator(new SpectrogramOptions { Center = false });
        nc.Push(new float[100]);
        Assert.Throws<InvalidOperationException>(() => nc.Finish());
        Assert.Throws<ArgumentOutOfRangeException>(() => SummaryFeatures.ColumnNames(false, 0));
    }

    [Fact]
    public void Accumulator_VeryShortCentredSignal_MatchesOffline()
    {
        var y = FeatureFixtures.Noise(700, 8);
        var offline = SummaryFeatures.Compute(y, null, true);
        var acc = new SummaryFeatureAccumulator(null, true);
        foreach (var chunk in y.Chunk(33)) acc.Push(chunk);
        var s = acc.Finish();
        for (int i = 0; i < s.Length; i++) Assert.Equal(offline[i], s[i], 1e-3 * Math.Max(1, Math.Abs(offline[i])));
    }
}
