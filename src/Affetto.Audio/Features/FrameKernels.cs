using System.Numerics.Tensors;

namespace Affetto.Audio.Features;

/// <summary>
/// Per-frame feature formulas shared by the offline extractor and the streaming summary, so both produce the
/// same frames bit for bit. Each follows the librosa 0.10 function named in its comment. Sums run in double.
/// </summary>
internal static class FrameKernels
{
    internal const float TinyF32 = 1.17549435e-38f;

    /// <summary>feature.rms from the time signal: sqrt(mean(x²)) over the (constant-padded) frame.</summary>
    internal static float Rms(ReadOnlySpan<float> frame)
    {
        double s = 0;
        foreach (float v in frame) s += (double)v * v;
        return (float)Math.Sqrt(s / frame.Length);
    }

    /// <summary>
    /// feature.zero_crossing_rate for one (edge-padded) frame: values with |x| ≤ 1e-10 become 0, the sign is
    /// signbit (0 counts as positive), crossings between neighbours are counted and divided by the frame length
    /// (librosa pads the first position with False).
    /// </summary>
    internal static float ZeroCrossingRate(ReadOnlySpan<float> frame)
    {
        const float threshold = 1e-10f;
        int count = 0;
        bool prev = Negative(frame[0], threshold);
        for (int i = 1; i < frame.Length; i++)
        {
            bool cur = Negative(frame[i], threshold);
            if (cur != prev) count++;
            prev = cur;
        }
        return (float)count / frame.Length;
    }

    private static bool Negative(float v, float threshold) => MathF.Abs(v) > threshold && float.IsNegative(v);

    /// <summary>spectral_centroid: Σ f·S / Σ S (frames with Σ S below float32 tiny are not normalised).</summary>
    internal static float Centroid(ReadOnlySpan<float> mag, ReadOnlySpan<double> freq)
    {
        double s = 0, fs = 0;
        for (int k = 0; k < mag.Length; k++) { s += mag[k]; fs += freq[k] * mag[k]; }
        return (float)(s < TinyF32 ? fs : fs / s);
    }

    /// <summary>spectral_bandwidth (p = 2, norm = true): (Σ S_norm·|f - centroid|²)^(1/2).</summary>
    internal static float Bandwidth(ReadOnlySpan<float> mag, ReadOnlySpan<double> freq, float centroid)
    {
        double s = 0;
        for (int k = 0; k < mag.Length; k++) s += mag[k];
        double norm = s < TinyF32 ? 1 : s, acc = 0;
        for (int k = 0; k < mag.Length; k++)
        {
            double d = freq[k] - centroid;
            acc += mag[k] / norm * d * d;
        }
        return (float)Math.Sqrt(acc);
    }

    /// <summary>spectral_rolloff: lowest bin frequency where the cumulative magnitude reaches rollPercent of the total.</summary>
    internal static float Rolloff(ReadOnlySpan<float> mag, ReadOnlySpan<double> freq, double rollPercent)
    {
        double total = 0;
        for (int k = 0; k < mag.Length; k++) total += mag[k];
        double threshold = rollPercent * total, cum = 0;
        for (int k = 0; k < mag.Length; k++)
        {
            cum += mag[k];
            if (cum >= threshold) return (float)freq[k];
        }
        return (float)freq[^1];
    }

    /// <summary>spectral_flatness (power 2, amin 1e-10): geometric mean / arithmetic mean of max(amin, S²).</summary>
    internal static float Flatness(ReadOnlySpan<float> mag, double amin = 1e-10)
    {
        double logSum = 0, sum = 0;
        for (int k = 0; k < mag.Length; k++)
        {
            double p = Math.Max(amin, (double)mag[k] * mag[k]);
            logSum += Math.Log(p); sum += p;
        }
        return (float)(Math.Exp(logSum / mag.Length) / (sum / mag.Length));
    }

    /// <summary>chroma_stft for one frame: chroma = C·S (power), normalised by its max (inf-norm) unless below tiny.</summary>
    internal static void Chroma(ReadOnlySpan<float> power, FeatureMatrix chromaFb, Span<float> chroma)
    {
        int bins = chromaFb.Columns;
        for (int c = 0; c < chromaFb.Rows; c++) chroma[c] = TensorPrimitives.Dot(chromaFb.Data.AsSpan(c * bins, bins), power[..bins]);
        float max = TensorPrimitives.MaxMagnitude(chroma[..chromaFb.Rows]);
        if (max >= TinyF32) TensorPrimitives.Divide(chroma[..chromaFb.Rows], max, chroma[..chromaFb.Rows]);
    }
}

/// <summary>
/// Sub-band layout of librosa <c>spectral_contrast</c> (fmin 200, n_bands 6, quantile 0.02): octave bands
/// [0, fmin], [fmin, 2 fmin], ..., each widened by one bin below (except the first) and with the last band
/// running to Nyquist; all but the last drop their top bin; peak / valley = mean of the top / bottom
/// max(1, rint(quantile · band size)) magnitudes.
/// </summary>
internal sealed class ContrastBands
{
    internal readonly int[] Start, Count, Take;
    internal int Bands => Start.Length;
    internal int MaxCount { get; }

    internal ContrastBands(ReadOnlySpan<double> freq, int sampleRate, double fMin, int nBands, double quantile)
    {
        if (!(fMin > 0)) throw new ArgumentOutOfRangeException(nameof(fMin), fMin, "Spectral contrast fMin must be positive.");
        if (nBands < 1) throw new ArgumentOutOfRangeException(nameof(nBands), nBands, "Spectral contrast nBands must be at least 1.");
        if (!(quantile > 0 && quantile < 1)) throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "Spectral contrast quantile must be in (0, 1).");
        var octa = new double[nBands + 2];
        for (int i = 1; i < octa.Length; i++) octa[i] = fMin * Math.Pow(2.0, i - 1);
        for (int i = 0; i < octa.Length - 1; i++)
            if (octa[i] >= 0.5 * sampleRate)
                throw new ArgumentOutOfRangeException(nameof(nBands), nBands, $"Spectral contrast band edge {octa[i]} Hz exceeds Nyquist ({0.5 * sampleRate} Hz); reduce fMin or nBands.");
        Start = new int[nBands + 1]; Count = new int[nBands + 1]; Take = new int[nBands + 1];
        for (int k = 0; k <= nBands; k++)
        {
            int first = -1, last = -1;
            for (int b = 0; b < freq.Length; b++)
                if (freq[b] >= octa[k] && freq[b] <= octa[k + 1]) { if (first < 0) first = b; last = b; }
            if (first < 0) throw new ArgumentOutOfRangeException(nameof(fMin), fMin, $"Spectral contrast band {k} ({octa[k]}-{octa[k + 1]} Hz) contains no FFT bin; increase nFft.");
            int a = k > 0 ? Math.Max(0, first - 1) : first;
            int end = k == nBands ? freq.Length - 1 : last;          // inclusive
            int size = end - a + 1;                                   // librosa's sum(current_band)
            int take = Math.Max(1, (int)Math.Round(quantile * size, MidpointRounding.ToEven));
            int used = k < nBands ? size - 1 : size;
            if (used < 1) throw new ArgumentOutOfRangeException(nameof(fMin), fMin, $"Spectral contrast band {k} is empty; increase nFft.");
            Start[k] = a; Count[k] = used; Take[k] = Math.Min(take, used);
        }
        MaxCount = Count.Max();
    }

    /// <summary>Peak and valley magnitudes of one frame (linear); <paramref name="sort"/> needs MaxCount floats.</summary>
    internal void PeakValley(ReadOnlySpan<float> mag, Span<float> peak, Span<float> valley, Span<float> sort)
    {
        for (int k = 0; k < Start.Length; k++)
        {
            var s = sort[..Count[k]];
            mag.Slice(Start[k], Count[k]).CopyTo(s);
            s.Sort();
            int n = Take[k];
            double lo = 0, hi = 0;
            for (int i = 0; i < n; i++) { lo += s[i]; hi += s[s.Length - 1 - i]; }
            valley[k] = (float)(lo / n); peak[k] = (float)(hi / n);
        }
    }
}
