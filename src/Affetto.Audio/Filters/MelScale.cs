namespace Affetto.Audio.Filters;

/// <summary>
/// Hz ↔ mel conversion as librosa <c>hz_to_mel</c>/<c>mel_to_hz</c>: the Slaney (Auditory Toolbox) scale by default
/// (linear 200/3 Hz per mel below 1 kHz, logarithmic above with step ln(6.4)/27), or HTK 2595·log10(1 + f/700).
/// </summary>
public static class MelScale
{
    private const double FSp = 200.0 / 3.0, MinLogHz = 1000.0, MinLogMel = MinLogHz / FSp;
    private static readonly double s_logStep = Math.Log(6.4) / 27.0;

    /// <summary>Frequency in Hz to mels.</summary>
    public static double HzToMel(double hz, bool htk = false)
    {
        if (htk) return 2595.0 * Math.Log10(1.0 + hz / 700.0);
        return hz >= MinLogHz ? MinLogMel + Math.Log(hz / MinLogHz) / s_logStep : hz / FSp;
    }

    /// <summary>Mels to frequency in Hz.</summary>
    public static double MelToHz(double mel, bool htk = false)
    {
        if (htk) return 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);
        return mel >= MinLogMel ? MinLogHz * Math.Exp(s_logStep * (mel - MinLogMel)) : FSp * mel;
    }

    /// <summary>librosa <c>mel_frequencies</c>: <paramref name="n"/> frequencies evenly spaced in mels from fMin to fMax.</summary>
    public static double[] MelFrequencies(int n, double fMin, double fMax, bool htk = false)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 1.");
        double lo = HzToMel(fMin, htk), hi = HzToMel(fMax, htk);
        var f = new double[n];
        for (int i = 0; i < n; i++) f[i] = MelToHz(n == 1 ? lo : lo + (hi - lo) * i / (n - 1), htk);
        return f;
    }

    /// <summary>librosa <c>fft_frequencies</c>: centre frequency of each of the 1 + nFft/2 bins, k·sr/nFft.</summary>
    public static double[] FftFrequencies(int sampleRate, int nFft)
    {
        if (sampleRate < 1) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sampleRate must be positive.");
        if (nFft < 1) throw new ArgumentOutOfRangeException(nameof(nFft), nFft, "nFft must be at least 1.");
        var f = new double[nFft / 2 + 1];
        for (int k = 0; k < f.Length; k++) f[k] = (double)k * sampleRate / nFft;
        return f;
    }
}
