using Affetto.Audio.Features;

namespace Affetto.Audio.Tests.Features;

public class TuningEstimatorTests
{
    private static float[] Tone(double cents, int seconds = 2)
    {
        // A3, A4, E5 and C#5 detuned together by the same number of cents (1 bin = 100 cents).
        var y = new float[22050 * seconds];
        double r = Math.Pow(2, cents / 1200.0);
        foreach (double f in new[] { 220.0, 440.0, 659.255, 554.365 })
            for (int i = 0; i < y.Length; i++) y[i] += (float)(0.2 * Math.Sin(2 * Math.PI * f * r * i / 22050.0));
        return y;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(20.0)]
    [InlineData(-30.0)]
    [InlineData(40.0)]
    public void Estimate_DetunedTones_RecoversTheDeviationInBins(double cents)
    {
        var fx = new FeatureExtractor();
        double t = TuningEstimator.Estimate(fx.Spectrogram(Tone(cents), 2f), 22050);
        // Parabolic interpolation on a Hann-windowed power spectrum is slightly biased (as in librosa).
        Assert.InRange(t, cents / 100 - 0.05, cents / 100 + 0.05);
    }

    [Fact]
    public void ChromaStft_EstimatedTuning_KeepsADetunedAInPitchClassA()
    {
        var fx = new FeatureExtractor();
        var y = Tone(45);
        var est = fx.ChromaStft(y, tuning: null);
        var row = Enumerable.Range(0, 12).Select(c => est.Row(c).ToArray().Average()).ToArray();
        Assert.Equal(9, Array.IndexOf(row, row.Max()));
    }

    [Fact]
    public void Estimate_SilenceOrInvalidArguments()
    {
        Assert.Equal(0.0, TuningEstimator.Estimate(new FeatureMatrix(1025, 10), 22050));
        Assert.Throws<ArgumentOutOfRangeException>(() => TuningEstimator.Estimate(new FeatureMatrix(1025, 1), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TuningEstimator.Estimate(new FeatureMatrix(1025, 1), 22050, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TuningEstimator.Estimate(new FeatureMatrix(1025, 1), 22050, resolution: 0));
    }
}
