using Affetto.Audio.Features;

namespace Affetto.Audio.Tests.Features;

public class TempoTests
{
    private static float[] ClickTrack(double bpm, double seconds, int sr = 22050, int seed = 1)
    {
        int n = (int)(seconds * sr);
        var y = FeatureFixtures.Noise(n, seed, 0.001f);
        double period = 60.0 * sr / bpm;
        var rng = new Random(seed);
        for (double t = 0.25 * sr; t < n; t += period)
        {
            int s = (int)t;
            for (int i = 0; i < 400 && s + i < n; i++)
                y[s + i] += (float)(Math.Exp(-i / 60.0) * (rng.NextDouble() * 2 - 1) * 0.8);
        }
        return y;
    }

    [Theory]
    [InlineData(120.0)]
    [InlineData(100.0)]
    [InlineData(90.0)]
    [InlineData(140.0)]
    public void Tempo_ClickTrackAtKnownBpm_IsWithinOneLagStep(double bpm)
    {
        var fx = new FeatureExtractor();
        double t = fx.Tempo(ClickTrack(bpm, 20));
        // BPM is quantised to 60·sr/(hop·lag): allow the neighbouring lag.
        double lag = 60.0 * 22050 / (512 * bpm);
        double lo = 60.0 * 22050 / (512 * (Math.Floor(lag) + 1)), hi = 60.0 * 22050 / (512 * Math.Max(1, Math.Ceiling(lag) - 1));
        Assert.InRange(t, lo - 1e-6, hi + 1e-6);
        Assert.InRange(t, bpm * 0.94, bpm * 1.06);
    }

    [Fact]
    public void OnsetStrength_IsZeroForTheDelayFramesAndPositiveAtClicks()
    {
        var fx = new FeatureExtractor();
        var y = ClickTrack(120, 4);
        var env = fx.OnsetStrength(y);
        Assert.Equal(fx.FrameCount(y.Length), env.Length);
        Assert.Equal([0f, 0f, 0f], env[..3]);
        Assert.All(env, v => Assert.True(v >= 0));
        // First click at 0.25 s = frame 10.77: the envelope peaks near frame 11 + 2 (centred-frame compensation).
        int peak = Array.IndexOf(env, env[..20].Max());
        Assert.InRange(peak, 10, 15);
    }

    [Fact]
    public void Estimate_SilentEnvelope_FallsBackToThePriorPeak()
    {
        double t = TempoEstimator.Estimate(new float[500], 22050, 512);
        Assert.InRange(t, 117, 124);
    }

    [Fact]
    public void Estimate_InvalidArguments_Throw()
    {
        var e = new float[100];
        Assert.Throws<ArgumentOutOfRangeException>(() => TempoEstimator.Estimate(e, 0, 512));
        Assert.Throws<ArgumentOutOfRangeException>(() => TempoEstimator.Estimate(e, 22050, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TempoEstimator.Estimate(e, 22050, 512, startBpm: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TempoEstimator.Estimate(e, 22050, 512, stdBpm: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TempoEstimator.Estimate(e, 22050, 512, acSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TempoEstimator.Estimate(e, 22050, 512, maxTempo: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TempoEstimator.MeanTempogram(e, 0));
    }
}
