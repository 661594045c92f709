using Affetto.Audio.Features;
using Affetto.Audio.Transforms;

namespace Affetto.Audio.Tests.Features;

/// <summary>Features of Fixtures/features/signal_1s against torchaudio or the script's naive librosa formulas.</summary>
public class FeatureReferenceTests
{
    private static readonly float[] s_y = FeatureFixtures.Signal("signal_1s");
    private static readonly FeatureExtractor s_fx = new();

    private static void Check(FeatureMatrix actual, string fixture, double tolerance)
    {
        var e = FeatureFixtures.Load(fixture);
        Assert.Equal(new[] { actual.Rows, actual.Columns }, e.Shape);
        FeatureFixtures.AssertClose(actual.Data, e.Data, tolerance, fixture);
    }

    [Fact] public void MelSpectrogram_MatchesTorchaudio() => Check(s_fx.MelSpectrogram(s_y), "mel_1s", 1e-4);
    [Fact] public void LogMel_MatchesTorchaudioAmplitudeToDb() => Check(s_fx.LogMel(s_y), "logmel_1s", 1e-4);
    [Fact] public void Mfcc_MatchesTorchaudioMfcc() => Check(s_fx.Mfcc(s_y), "mfcc_1s", 1e-4);
    [Fact] public void ChromaStft_MatchesNaiveLibrosaFormula() => Check(s_fx.ChromaStft(s_y), "chroma_1s", 1e-4);
    [Fact] public void Rms_MatchesNaiveLibrosaFormula() => Check(s_fx.Rms(s_y), "rms_1s", 1e-5);
    [Fact] public void ZeroCrossingRate_MatchesNaiveLibrosaFormula() => Check(s_fx.ZeroCrossingRate(s_y), "zcr_1s", 1e-6);
    [Fact] public void SpectralCentroid_MatchesNaiveLibrosaFormula() => Check(s_fx.SpectralCentroid(s_y), "centroid_1s", 1e-4);
    [Fact] public void SpectralBandwidth_MatchesNaiveLibrosaFormula() => Check(s_fx.SpectralBandwidth(s_y), "bandwidth_1s", 1e-4);
    [Fact] public void SpectralFlatness_MatchesNaiveLibrosaFormula() => Check(s_fx.SpectralFlatness(s_y), "flatness_1s", 1e-4);
    [Fact] public void SpectralContrast_MatchesNaiveLibrosaFormula() => Check(s_fx.SpectralContrast(s_y), "contrast_1s", 1e-4);

    [Fact]
    public void SpectralRolloff_MatchesNaiveLibrosaFormulaWithinOneBin()
    {
        var a = s_fx.SpectralRolloff(s_y);
        var e = FeatureFixtures.Load("rolloff_1s").Data;
        Assert.Equal(e.Length, a.Columns);
        double bin = 22050.0 / 2048;
        int exact = 0;
        for (int t = 0; t < e.Length; t++)
        {
            Assert.True(Math.Abs(a.Data[t] - e[t]) <= bin + 1e-3, $"frame {t}: {a.Data[t]} vs {e[t]}");
            if (Math.Abs(a.Data[t] - e[t]) < 1e-3) exact++;
        }
        Assert.True(exact >= e.Length - 1, $"{e.Length - exact} frames differ by a bin (float32 vs float64 cumulative sums)");
    }

    [Fact]
    public void SpectralCentroid_WithReflectPadding_MatchesTorchaudio()
    {
        var fx = new FeatureExtractor(new SpectrogramOptions { PadMode = PadMode.Reflect });
        Check(fx.SpectralCentroid(s_y), "centroid_1s_reflect", 1e-4);
    }

    [Fact]
    public void LogMel_RefMax_PutsMaximumAtZeroAndClipsAtTopDb()
    {
        var l = s_fx.LogMel(s_y, DbReference.Max);
        Assert.Equal(0f, l.Data.Max(), 4);
        Assert.True(l.Data.Min() >= -80f - 1e-3f);
        var withSilence = s_y.Concat(new float[8192]).ToArray();
        var unclipped = new FeatureExtractor(new SpectrogramOptions { TopDb = null }).LogMel(withSilence);
        Assert.Equal(-100f, unclipped.Data.Min(), 3);   // amin 1e-10
        var clipped = s_fx.LogMel(withSilence);
        Assert.Equal(clipped.Data.Max() - 80f, clipped.Data.Min(), 3);
    }

    [Fact]
    public void Decibels_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Decibels.PowerToDb(new float[3], amin: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Decibels.PowerToDb(new float[3], topDb: -1));
    }

    [Fact]
    public void SpectralFeatures_SilentSignal_GiveLibrosaValuesWithoutNaN()
    {
        var y = new float[8000];
        Assert.All(s_fx.SpectralCentroid(y).Data, v => Assert.Equal(0f, v));
        Assert.All(s_fx.SpectralRolloff(y).Data, v => Assert.Equal(0f, v));
        Assert.All(s_fx.ChromaStft(y).Data, v => Assert.Equal(0f, v));
        Assert.All(s_fx.SpectralFlatness(y).Data, v => Assert.Equal(1f, v, 5));
        Assert.All(s_fx.ZeroCrossingRate(y).Data, v => Assert.Equal(0f, v));
        Assert.All(s_fx.Rms(y).Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Features_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => s_fx.SpectralRolloff(s_y, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => s_fx.SpectralContrast(s_y, fMin: 2000, nBands: 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => s_fx.SpectralContrast(s_y, quantile: 0));
        Assert.Throws<ArgumentException>(() => s_fx.Rms(ReadOnlySpan<float>.Empty));
        Assert.Throws<ArgumentException>(() => s_fx.MfccFromLogMel(new FeatureMatrix(3, 4)));
        var noCenter = new FeatureExtractor(new SpectrogramOptions { Center = false });
        Assert.Throws<ArgumentException>(() => noCenter.ZeroCrossingRate(new float[100]));
        Assert.Throws<ArgumentException>(() => noCenter.MelSpectrogram(new float[100]));
    }
}
