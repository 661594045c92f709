using System.Numerics.Tensors;

namespace Affetto.Audio.Features;

/// <summary>
/// One-dimensional summary features: the 26 columns of the widely used GTZAN features CSV — chroma_stft, rms,
/// spectral_centroid, spectral_bandwidth, rolloff, zero_crossing_rate, mfcc1..mfcc20 — each the MEAN over frames
/// (chroma: over its 12 bins and all frames). With <c>extended</c> the population standard deviation of each of
/// those follows as <c>&lt;name&gt;_std</c> (26 more), then spectral_contrast1..7 (means), spectral_contrast1_std..7_std,
/// spectral_flatness, spectral_flatness_std and tempo (69 columns). All frame features use the same
/// <see cref="SpectrogramOptions"/> frames (see <see cref="FeatureExtractor"/> for conventions).
/// </summary>
public static class SummaryFeatures
{
    private static readonly string[] s_base = BuildBase();

    private static string[] BuildBase()
    {
        var n = new List<string> { "chroma_stft", "rms", "spectral_centroid", "spectral_bandwidth", "rolloff", "zero_crossing_rate" };
        for (int i = 1; i <= 20; i++) n.Add($"mfcc{i}");
        return n.ToArray();
    }

    /// <summary>Column names in output order (26, or 69 when extended). MFCC names follow NMfcc = 20.</summary>
    public static IReadOnlyList<string> ColumnNames(bool extended) => ColumnNames(extended, 20);

    /// <summary>Column names for a given number of MFCCs.</summary>
    public static IReadOnlyList<string> ColumnNames(bool extended, int nMfcc)
    {
        if (nMfcc < 1) throw new ArgumentOutOfRangeException(nameof(nMfcc), nMfcc, "nMfcc must be at least 1.");
        var b = s_base.Take(6).Concat(Enumerable.Range(1, nMfcc).Select(i => $"mfcc{i}")).ToList();
        if (!extended) return b;
        var all = new List<string>(b);
        all.AddRange(b.Select(x => x + "_std"));
        for (int i = 1; i <= 7; i++) all.Add($"spectral_contrast{i}");
        for (int i = 1; i <= 7; i++) all.Add($"spectral_contrast{i}_std");
        all.Add("spectral_flatness"); all.Add("spectral_flatness_std"); all.Add("tempo");
        return all;
    }

    /// <summary>Offline computation from the whole signal (same values as <see cref="SummaryFeatureAccumulator"/>).</summary>
    /// <exception cref="ArgumentException">Options invalid, or the signal is empty / too short.</exception>
    public static float[] Compute(ReadOnlySpan<float> y, SpectrogramOptions? options = null, bool extended = false)
    {
        var fx = new FeatureExtractor(options);
        var o = fx.Options;
        var mats = new List<FeatureMatrix>
        {
            fx.ChromaStft(y), fx.Rms(y), fx.SpectralCentroid(y), fx.SpectralBandwidth(y), fx.SpectralRolloff(y), fx.ZeroCrossingRate(y),
        };
        var logMel = fx.LogMel(y);
        var mfcc = fx.MfccFromLogMel(logMel);
        var names = ColumnNames(extended, o.NMfcc);
        var result = new float[names.Count];
        int i = 0;
        var stds = new List<float>();
        foreach (var m in mats) { (result[i++], float s) = MeanStd(m.Data); stds.Add(s); }
        for (int k = 0; k < o.NMfcc; k++) { (result[i++], float s) = MeanStd(mfcc.Row(k)); stds.Add(s); }
        if (!extended) return result;
        foreach (float s in stds) result[i++] = s;
        var contrast = fx.SpectralContrast(y);
        var cs = new float[contrast.Rows];
        for (int k = 0; k < contrast.Rows; k++) (result[i++], cs[k]) = MeanStd(contrast.Row(k));
        foreach (float s in cs) result[i++] = s;
        (result[i], result[i + 1]) = MeanStd(fx.SpectralFlatness(y).Data);
        i += 2;
        result[i] = (float)TempoEstimator.Estimate(TempoEstimator.OnsetStrength(logMel, o.NFft, o.EffectiveHopLength, o.Center), o.SampleRate, o.EffectiveHopLength);
        return result;
    }

    /// <summary>Mean and population standard deviation (two-pass, double precision).</summary>
    internal static (float Mean, float Std) MeanStd(ReadOnlySpan<float> v)
    {
        if (v.IsEmpty) return (float.NaN, float.NaN);
        double s = 0;
        foreach (float x in v) s += x;
        double mean = s / v.Length, q = 0;
        foreach (float x in v) { double d = x - mean; q += d * d; }
        return ((float)mean, (float)Math.Sqrt(q / v.Length));
    }
}
