namespace Affetto.Audio.Features;

/// <summary>
/// Tuning estimation as librosa 0.10 <c>estimate_tuning</c> on a spectrogram (what <c>chroma_stft</c> does when
/// tuning is not given): <c>piptrack</c> picks bins that are local maxima above 0.1 × the frame maximum between
/// 150 and 4000 Hz, refines their frequency by parabolic interpolation, keeps those whose interpolated magnitude is
/// at least the median, and <c>pitch_tuning</c> returns the most common deviation from equal temperament
/// (A440) in fractions of a bin, on a 0.01 grid in [-0.5, 0.5).
/// </summary>
public static class TuningEstimator
{
    /// <summary>Estimates tuning (in fractions of a chroma bin) from a spectrogram [1 + nFft/2, frames].</summary>
    /// <param name="spectrogram">Magnitude or power spectrogram (librosa's chroma_stft passes the power spectrogram).</param>
    /// <param name="sampleRate">Sampling rate in Hz.</param>
    /// <param name="binsPerOctave">Chroma bins per octave (12).</param>
    /// <param name="resolution">Histogram resolution in bins (0.01).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static double Estimate(FeatureMatrix spectrogram, int sampleRate, int binsPerOctave = 12, double resolution = 0.01)
    {
        ArgumentNullException.ThrowIfNull(spectrogram);
        if (sampleRate < 1) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sampleRate must be positive.");
        if (binsPerOctave < 1) throw new ArgumentOutOfRangeException(nameof(binsPerOctave), binsPerOctave, "binsPerOctave must be positive.");
        if (!(resolution > 0 && resolution < 1)) throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "resolution must be in (0, 1).");
        int bins = spectrogram.Rows, frames = spectrogram.Columns;
        if (bins < 3) return 0.0;
        int nFft = 2 * (bins - 1);
        double fMin = 150.0, fMax = Math.Min(4000.0, sampleRate / 2.0);
        var pitches = new List<double>();
        var mags = new List<double>();
        var col = new double[bins];
        var d = spectrogram.Data;
        for (int t = 0; t < frames; t++)
        {
            double max = 0;
            for (int k = 0; k < bins; k++) { col[k] = Math.Abs(d[k * frames + t]); max = Math.Max(max, col[k]); }
            double thr = 0.1 * max;
            for (int k = 0; k < bins; k++)
            {
                double f = (double)k * sampleRate / nFft;
                if (f < fMin || f >= fMax) continue;
                // localmax of S·(S > thr) with edge padding: x[k] > x[k-1] and x[k] >= x[k+1].
                double x = col[k] > thr ? col[k] : 0;
                double prev = k > 0 ? (col[k - 1] > thr ? col[k - 1] : 0) : x;
                double next = k < bins - 1 ? (col[k + 1] > thr ? col[k + 1] : 0) : x;
                if (!(x > prev && x >= next)) continue;
                // Parabolic interpolation (zero at the edges) and np.gradient's central difference.
                double shift = 0, avg = 0;
                if (k > 0 && k < bins - 1)
                {
                    double a = col[k + 1] + col[k - 1] - 2 * col[k], b = 0.5 * (col[k + 1] - col[k - 1]);
                    shift = Math.Abs(b) >= Math.Abs(a) ? 0 : -b / a;
                    avg = b;
                }
                double pitch = (k + shift) * sampleRate / nFft;
                if (pitch <= 0) continue;
                pitches.Add(pitch);
                mags.Add(col[k] + 0.5 * avg * shift);
            }
        }
        if (pitches.Count == 0) return 0.0;
        var sorted = mags.ToArray();
        Array.Sort(sorted);
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        int nb = (int)Math.Ceiling(1.0 / resolution);
        var counts = new int[nb];
        for (int i = 0; i < pitches.Count; i++)
        {
            if (mags[i] < median) continue;
            double octs = Math.Log2(pitches[i] / (440.0 / 16));
            double r = binsPerOctave * octs;
            r -= Math.Floor(r);
            if (r >= 0.5) r -= 1.0;
            // np.histogram over linspace(-0.5, 0.5, nb + 1): bin = floor((r + 0.5) / width), last edge inclusive.
            int b = (int)Math.Floor((r + 0.5) * nb);
            counts[Math.Clamp(b, 0, nb - 1)]++;
        }
        int best = 0;
        for (int b = 1; b < nb; b++) if (counts[b] > counts[best]) best = b;
        return -0.5 + (double)best / nb;
    }
}
