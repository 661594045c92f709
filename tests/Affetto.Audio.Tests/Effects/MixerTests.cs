using Affetto.Audio.Effects;
using static Affetto.Audio.Tests.Effects.EffectsTestSignals;

namespace Affetto.Audio.Tests.Effects;

public class MixerTests
{
    public static TheoryData<double, int, int> Grid()
    {
        var d = new TheoryData<double, int, int>();
        foreach (double snr in new[] { -10.0, 0.0, 6.5, 20.0, 40.0 })
        {
            d.Add(snr, 48000, 100000); // noise longer: cut
            d.Add(snr, 48000, 7001);   // noise shorter: looped
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void MixAtSnr_ReachesTheSnrExactly(double snrDb, int musicLength, int noiseLength)
    {
        float[] music = Sine(440, 16000, musicLength, 0.4);
        float[] noise = Noise(7, noiseLength, 0.2);
        float[] mix = Mixer.MixAtSnr(music, noise, snrDb, null, out MixReport report);
        Assert.Equal(musicLength, mix.Length);
        Assert.Equal(noiseLength < musicLength, report.NoiseLooped);
        double pm = 0, pn = 0;
        for (int i = 0; i < mix.Length; i++)
        {
            pm += (double)music[i] * music[i];
            double n = (double)mix[i] - music[i];
            pn += n * n;
        }
        Assert.Equal(snrDb, 10 * Math.Log10(pm / pn), 3);
        Assert.Equal(1.0, report.OutputGain);
    }

    [Fact]
    public void MixAtSnr_NoiseComponentIsTheScaledFittedNoise()
    {
        float[] music = Sine(200, 8000, 5000, 0.5);
        float[] noise = Noise(3, 1200);
        float[] mix = Mixer.MixAtSnr(music, noise, 10, new MixOptions { LoopCrossfadeSamples = 64 }, out MixReport report);
        var fitted = new float[5000];
        Mixer.FitLength(noise, fitted, 64);
        for (int i = 0; i < mix.Length; i++) Assert.True(Math.Abs(music[i] + fitted[i] * report.NoiseGain - mix[i]) < 1e-5, $"sample {i}");
        Assert.Equal(Power(fitted), report.NoisePower, 9);
    }

    [Fact]
    public void MixAtSnr_Normalize_ScalesBelowPeakAndKeepsSnr()
    {
        float[] music = Sine(440, 16000, 16000, 0.95);
        float[] noise = Noise(11, 16000, 0.5);
        float[] mix = Mixer.MixAtSnr(music, noise, 0, new MixOptions { NormalizeToAvoidClipping = true, PeakLimit = 0.9 }, out MixReport report);
        Assert.True(report.OutputGain < 1);
        Assert.True(report.OutputGainDb < 0);
        Assert.True(mix.Max(Math.Abs) <= 0.9f + 1e-6f);
        double pm = 0, pn = 0;
        for (int i = 0; i < mix.Length; i++)
        {
            double m = music[i] * report.OutputGain;
            pm += m * m;
            pn += (mix[i] - m) * (mix[i] - m);
        }
        Assert.Equal(0.0, 10 * Math.Log10(pm / pn), 3);
    }

    [Fact]
    public void FitLength_LoopsWithContinuousSeam()
    {
        // A ramp looped without crossfade would jump; with crossfade the seam region blends both ends.
        var noise = Enumerable.Range(0, 100).Select(i => (float)Math.Sin(i * 0.3)).ToArray();
        var dst = new float[350];
        Mixer.FitLength(noise, dst, 0);
        for (int i = 0; i < dst.Length; i++) Assert.Equal(noise[i % 100], dst[i]);
        Mixer.FitLength(noise, dst, 20);
        for (int i = 0; i < 80; i++) Assert.Equal(noise[i], dst[i]);
        // Second copy starts at 80 and fully takes over after the 20-sample crossfade.
        for (int i = 100; i < 160; i++) Assert.Equal(noise[i - 80], dst[i]);
        double theta = 0.5 / 20 * Math.PI / 2;
        Assert.Equal(noise[80] * Math.Cos(theta) + noise[0] * Math.Sin(theta), dst[80], 5);
    }

    [Fact]
    public void FitLength_Crossfade_RemovesTheClickAtTheSeam()
    {
        // 1000 samples of a 101.3-sample-period sine end mid-cycle: a hard loop jumps, a crossfaded one does not.
        float[] noise = Enumerable.Range(0, 1000).Select(i => (float)Math.Sin(2 * Math.PI * i / 101.3)).ToArray();
        static double MaxStep(float[] v) => Enumerable.Range(1, v.Length - 1).Max(i => Math.Abs(v[i] - v[i - 1]));
        var hard = new float[3000];
        var soft = new float[3000];
        Mixer.FitLength(noise, hard, 0);
        Mixer.FitLength(noise, soft, 128);
        double natural = 2 * Math.PI / 101.3; // largest step of the sine itself
        Assert.True(MaxStep(hard) > 5 * natural, $"hard loop step {MaxStep(hard)}");
        Assert.True(MaxStep(soft) < 1.5 * natural, $"crossfaded loop step {MaxStep(soft)}");
    }

    [Fact]
    public void FitLength_LongNoise_IsCut()
    {
        float[] noise = Noise(1, 50);
        var dst = new float[20];
        Mixer.FitLength(noise, dst);
        Assert.Equal(noise[..20], dst);
    }

    [Fact]
    public void MixAtSnr_SilentOrEmptyInputs_Throw()
    {
        float[] music = Sine(440, 16000, 1000);
        var e1 = Assert.Throws<ArgumentException>(() => Mixer.MixAtSnr(music, new float[500], 10));
        Assert.Contains("noise is silent", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => Mixer.MixAtSnr(new float[1000], Noise(1, 10), 10));
        Assert.Contains("music is silent", e2.Message);
        Assert.ThrowsAny<ArgumentException>(() => Mixer.MixAtSnr(Array.Empty<float>(), Noise(1, 10), 10));
        Assert.ThrowsAny<ArgumentException>(() => Mixer.MixAtSnr(music, Array.Empty<float>(), 10));
        Assert.ThrowsAny<ArgumentException>(() => Mixer.MixAtSnr(music, Noise(1, 10), double.PositiveInfinity));
        Assert.ThrowsAny<ArgumentException>(() => Mixer.MixAtSnr(music, Noise(1, 10), 0, new MixOptions { LoopCrossfadeSamples = -1 }));
        Assert.ThrowsAny<ArgumentException>(() => Mixer.MixAtSnr(music, Noise(1, 10), 0, new MixOptions { NormalizeToAvoidClipping = true, PeakLimit = 0 }));
        Assert.ThrowsAny<ArgumentException>(() => Mixer.FitLength(Array.Empty<float>(), new float[3]));
    }
}
