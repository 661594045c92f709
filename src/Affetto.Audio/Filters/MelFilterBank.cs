using System.Numerics.Tensors;
using Affetto.Audio.Features;

namespace Affetto.Audio.Filters;

/// <summary>
/// Mel filter bank as librosa <c>filters.mel</c> (0.10): nMels triangles between nMels + 2 mel-spaced edge
/// frequencies from fMin to fMax (default sr/2), computed in double then stored as float32, Slaney scale and
/// Slaney area normalisation by default. Weights are [nMels, 1 + nFft/2]. The product with a spectrum only touches
/// each filter's non-zero band (the Apply methods), which is exact since the other weights are zero.
/// If a filter is all zero (too many mels for the FFT resolution) the warning callback is called, as librosa warns.
/// </summary>
public sealed class MelFilterBank
{
    private readonly int[] _start, _length;

    /// <summary>Dense weights [nMels, 1 + nFft/2].</summary>
    public FeatureMatrix Weights { get; }
    /// <summary>Number of mel bands.</summary>
    public int NMels => Weights.Rows;
    /// <summary>Number of FFT bins, 1 + nFft/2.</summary>
    public int Bins => Weights.Columns;
    /// <summary>Indices of filters that are entirely zero (empty).</summary>
    public IReadOnlyList<int> EmptyFilters { get; }

    private MelFilterBank(FeatureMatrix weights, List<int> empty)
    {
        Weights = weights;
        EmptyFilters = empty;
        _start = new int[weights.Rows]; _length = new int[weights.Rows];
        for (int m = 0; m < weights.Rows; m++)
        {
            var row = weights.Row(m);
            int a = 0; while (a < row.Length && row[a] == 0) a++;
            int b = row.Length; while (b > a && row[b - 1] == 0) b--;
            _start[m] = a; _length[m] = b - a;
        }
    }

    /// <summary>Builds the filter bank; parameter names and defaults follow librosa.</summary>
    /// <param name="sampleRate">Sampling rate in Hz.</param>
    /// <param name="nFft">FFT size.</param>
    /// <param name="nMels">Number of mel bands (128).</param>
    /// <param name="fMin">Lowest edge in Hz (0).</param>
    /// <param name="fMax">Highest edge in Hz (null = sampleRate / 2).</param>
    /// <param name="htk">HTK mel scale instead of Slaney.</param>
    /// <param name="norm">Slaney area normalisation (default) or none.</param>
    /// <param name="onWarning">Called with a message when some filters are empty (librosa's UserWarning); never throws.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range (sampleRate, nFft, nMels &lt; 1, fMin &lt; 0, fMax ≤ fMin).</exception>
    public static MelFilterBank Create(int sampleRate, int nFft, int nMels = 128, double fMin = 0, double? fMax = null,
        bool htk = false, MelNorm norm = MelNorm.Slaney, Action<string>? onWarning = null)
    {
        if (sampleRate < 1) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sampleRate must be positive.");
        if (nFft < 1) throw new ArgumentOutOfRangeException(nameof(nFft), nFft, "nFft must be at least 1.");
        if (nMels < 1) throw new ArgumentOutOfRangeException(nameof(nMels), nMels, "nMels must be at least 1.");
        if (!(fMin >= 0) || double.IsInfinity(fMin)) throw new ArgumentOutOfRangeException(nameof(fMin), fMin, "fMin must be finite and non-negative.");
        double hi = fMax ?? sampleRate / 2.0;
        if (!(hi > fMin) || double.IsInfinity(hi)) throw new ArgumentOutOfRangeException(nameof(fMax), fMax, $"fMax must be finite and greater than fMin ({fMin}).");
        if (!Enum.IsDefined(norm)) throw new ArgumentOutOfRangeException(nameof(norm), norm, "Unknown mel norm.");

        var fft = MelScale.FftFrequencies(sampleRate, nFft);
        var melF = MelScale.MelFrequencies(nMels + 2, fMin, hi, htk);
        int bins = fft.Length;
        var w = new FeatureMatrix(nMels, bins);
        var empty = new List<int>();
        for (int i = 0; i < nMels; i++)
        {
            double d0 = melF[i + 1] - melF[i], d1 = melF[i + 2] - melF[i + 1];
            double scale = norm == MelNorm.Slaney ? 2.0 / (melF[i + 2] - melF[i]) : 1.0;
            double max = 0;
            for (int k = 0; k < bins; k++)
            {
                double lower = (fft[k] - melF[i]) / d0, upper = (melF[i + 2] - fft[k]) / d1;
                double v = Math.Max(0.0, Math.Min(lower, upper));
                max = Math.Max(max, v);
                w.Data[i * bins + k] = (float)(v * scale);
            }
            // librosa: a filter is empty when its lower edge is not 0 Hz and its peak weight is 0.
            if (!(melF[i] == 0 || max > 0)) empty.Add(i);
        }
        if (empty.Count > 0)
            onWarning?.Invoke($"Empty filters detected in mel frequency basis ({empty.Count} of {nMels}, first {empty[0]}): " +
                              $"some channels will produce empty responses. Try increasing nFft ({nFft}) or decreasing nMels ({nMels}).");
        return new MelFilterBank(w, empty);
    }

    /// <summary>Mel energies of one spectrum frame: <c>mel[m] = Σ_k W[m,k]·spectrum[k]</c>, over each filter's band only.</summary>
    /// <exception cref="ArgumentException">Span lengths do not match <see cref="Bins"/> / <see cref="NMels"/>.</exception>
    public void Apply(ReadOnlySpan<float> spectrum, Span<float> mel)
    {
        if (spectrum.Length < Bins) throw new ArgumentException($"Spectrum has {spectrum.Length} bins, filter bank needs {Bins}.", nameof(spectrum));
        if (mel.Length < NMels) throw new ArgumentException($"Output holds {mel.Length} values, filter bank has {NMels} bands.", nameof(mel));
        var data = Weights.Data;
        int bins = Bins;
        for (int m = 0; m < _start.Length; m++)
        {
            int a = _start[m], len = _length[m];
            mel[m] = len == 0 ? 0f : TensorPrimitives.Dot(data.AsSpan(m * bins + a, len), spectrum.Slice(a, len));
        }
    }

    /// <summary>Applies the bank to a [Bins, frames] spectrogram, giving [NMels, frames].</summary>
    public FeatureMatrix Apply(FeatureMatrix spectrogram)
    {
        ArgumentNullException.ThrowIfNull(spectrogram);
        if (spectrogram.Rows != Bins) throw new ArgumentException($"Spectrogram has {spectrogram.Rows} rows, filter bank needs {Bins}.", nameof(spectrogram));
        int frames = spectrogram.Columns;
        var result = new FeatureMatrix(NMels, frames);
        var col = new float[Bins]; var mel = new float[NMels];
        for (int t = 0; t < frames; t++)
        {
            for (int k = 0; k < Bins; k++) col[k] = spectrogram.Data[k * frames + t];
            Apply(col, mel);
            for (int m = 0; m < NMels; m++) result.Data[m * frames + t] = mel[m];
        }
        return result;
    }
}
