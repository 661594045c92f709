using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Affetto.Audio.Filters;
using Affetto.Audio.Transforms;

namespace Affetto.Audio.Features;

/// <summary>
/// Computes spectral features of a mono signal with librosa 0.10 conventions, for one set of
/// <see cref="SpectrogramOptions"/>. Filter banks, window and FFT plan are built once; every method is
/// thread-safe and allocates only its result and one scratch block per call (the per-frame loops are
/// allocation-free). Matrices are [bins, frames]; frame t is centred on sample t·hop when center = true.
/// Conventions: the mel spectrogram uses |STFT|^Power; centroid, bandwidth, rolloff, contrast and flatness use the
/// magnitude (librosa's power = 1 spectrogram); chroma uses the power spectrogram with tuning 0 (A440) unless
/// asked to estimate it as librosa's default does; RMS and ZCR frame the time signal with frame length = NFft and the
/// same hop (librosa defaults 2048 / 512), RMS with zero padding and ZCR with edge padding when centred.
/// </summary>
public sealed class FeatureExtractor
{
    private readonly double[] _freq;
    private readonly Lazy<FeatureMatrix> _chroma;
    private readonly FeatureMatrix _dct;

    /// <summary>The options (validated).</summary>
    public SpectrogramOptions Options { get; }
    /// <summary>The STFT used by every spectral feature.</summary>
    public ShortTimeFourierTransform Transform { get; }
    /// <summary>The mel filter bank.</summary>
    public MelFilterBank MelBank { get; }
    /// <summary>Chroma filter bank [12, bins] (librosa filters.chroma defaults).</summary>
    public FeatureMatrix ChromaBank => _chroma.Value;
    /// <summary>Orthonormal DCT-II [NMfcc, NMels].</summary>
    public FeatureMatrix Dct => _dct;
    /// <summary>Centre frequency of each STFT bin in Hz.</summary>
    public ReadOnlySpan<double> Frequencies => _freq;

    /// <summary>Creates an extractor; <paramref name="onWarning"/> receives librosa-style warnings (empty mel filters).</summary>
    /// <exception cref="ArgumentException">The options are invalid (message lists every problem).</exception>
    public FeatureExtractor(SpectrogramOptions? options = null, Action<string>? onWarning = null)
    {
        Options = options ?? new SpectrogramOptions();
        Options.ThrowIfInvalid();
        var o = Options;
        Transform = new ShortTimeFourierTransform(o.NFft, o.EffectiveHopLength, o.WinLength, o.Window, o.Center, o.PadMode);
        MelBank = MelFilterBank.Create(o.SampleRate, o.NFft, o.NMels, o.FMin, o.FMax, o.Htk, o.Norm, onWarning);
        _chroma = new Lazy<FeatureMatrix>(() => ChromaFilterBank.Create(o.SampleRate, o.NFft));
        _dct = DctMatrix.CreateOrthonormal(o.NMfcc, o.NMels);
        _freq = MelScale.FftFrequencies(o.SampleRate, o.NFft);
    }

    /// <summary>Number of frames for a signal of <paramref name="length"/> samples.</summary>
    public int FrameCount(long length) => Transform.FrameCount(length);

    /// <summary>Complex STFT [1 + nFft/2, frames].</summary>
    public ComplexMatrix Stft(ReadOnlySpan<float> y) => Transform.Forward(y);

    /// <summary>|STFT|^power [1 + nFft/2, frames]; power defaults to <see cref="SpectrogramOptions.Power"/>.</summary>
    public FeatureMatrix Spectrogram(ReadOnlySpan<float> y, float? power = null) => Transform.Spectrogram(y, power ?? Options.Power);

    /// <summary>librosa feature.melspectrogram: mel filters · |STFT|^Power, [NMels, frames].</summary>
    public FeatureMatrix MelSpectrogram(ReadOnlySpan<float> y)
    {
        if (UseBatched && BatchedMelKernel.Supports(Transform, Options.Power))
        {
            int count = Transform.CheckedFrameCount(y.Length);
            var batched = new FeatureMatrix(Options.NMels, count);
            BatchedMelInto(y, count, batched.Data);
            return batched;
        }
        // The padded copy is pooled: front ends call this for every 2 s segment, and a fresh copy each time is a
        // large-object allocation.
        int length = Transform.PreparedLength(y.Length);
        float[] padded = ArrayPool<float>.Shared.Rent(length);
        try
        {
            Transform.PrepareInto(y, padded.AsSpan(0, length), out int frames);
            var result = new FeatureMatrix(Options.NMels, frames);
            MelInto(padded.AsSpan(0, length), frames, result.Data);
            return result;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
        }
    }

    /// <summary>
    /// Log-mel: power_to_db(melspectrogram) with amin 1e-10, ref 1.0 (or the maximum) and topDb from the options.
    /// </summary>
    public FeatureMatrix LogMel(ReadOnlySpan<float> y, DbReference reference = DbReference.One)
    {
        var mel = MelSpectrogram(y);
        Decibels.PowerToDb(mel.Data, reference, 1e-10f, Options.TopDb);
        return mel;
    }

    /// <summary>librosa feature.mfcc: DCT-II (ortho) of power_to_db(mel, ref 1, topDb), first NMfcc rows.</summary>
    public FeatureMatrix Mfcc(ReadOnlySpan<float> y) => MfccFromLogMel(LogMel(y));

    /// <summary>MFCCs of an existing log-mel matrix [NMels, frames].</summary>
    public FeatureMatrix MfccFromLogMel(FeatureMatrix logMel)
    {
        ArgumentNullException.ThrowIfNull(logMel);
        if (logMel.Rows != Options.NMels) throw new ArgumentException($"Log-mel has {logMel.Rows} rows, expected NMels = {Options.NMels}.", nameof(logMel));
        int frames = logMel.Columns, nMels = Options.NMels, nMfcc = Options.NMfcc;
        var result = new FeatureMatrix(nMfcc, frames);
        var col = new float[nMels];
        for (int t = 0; t < frames; t++)
        {
            for (int m = 0; m < nMels; m++) col[m] = logMel.Data[m * frames + t];
            for (int k = 0; k < nMfcc; k++) result.Data[k * frames + t] = TensorPrimitives.Dot(_dct.Data.AsSpan(k * nMels, nMels), col);
        }
        return result;
    }

    /// <summary>
    /// librosa feature.chroma_stft (norm inf): [12, frames]. <paramref name="tuning"/> defaults to 0 (A440, the
    /// streaming summary's convention); pass null to estimate it from the power spectrogram as librosa does by
    /// default (<see cref="TuningEstimator"/>; needs the whole signal).
    /// </summary>
    public FeatureMatrix ChromaStft(ReadOnlySpan<float> y, double? tuning = 0.0)
    {
        double tune = tuning ?? TuningEstimator.Estimate(Transform.Spectrogram(y, 2f), Options.SampleRate);
        var fb = tune == 0.0 ? ChromaBank : ChromaFilterBank.Create(Options.SampleRate, Options.NFft, tuning: tune);
        return PerFrame(y, 2f, fb.Rows, (power, _, col) => FrameKernels.Chroma(power, fb, col));
    }

    /// <summary>librosa feature.rms(y): sqrt(mean(x²)) per frame of NFft samples, zero-padded when centred, [1, frames].</summary>
    public FeatureMatrix Rms(ReadOnlySpan<float> y) => TimeFrames(y, edge: false, FrameKernels.Rms);

    /// <summary>librosa feature.zero_crossing_rate(y): frames of NFft samples, edge-padded when centred, threshold 1e-10, [1, frames].</summary>
    public FeatureMatrix ZeroCrossingRate(ReadOnlySpan<float> y) => TimeFrames(y, edge: true, FrameKernels.ZeroCrossingRate);

    /// <summary>librosa feature.spectral_centroid on the magnitude spectrogram, Hz, [1, frames].</summary>
    public FeatureMatrix SpectralCentroid(ReadOnlySpan<float> y)
    {
        var f = _freq;
        return PerFrame(y, 1f, 1, (mag, _, col) => col[0] = FrameKernels.Centroid(mag, f));
    }

    /// <summary>librosa feature.spectral_bandwidth (p = 2, norm = true) on the magnitude spectrogram, Hz, [1, frames].</summary>
    public FeatureMatrix SpectralBandwidth(ReadOnlySpan<float> y)
    {
        var f = _freq;
        return PerFrame(y, 1f, 1, (mag, _, col) => col[0] = FrameKernels.Bandwidth(mag, f, FrameKernels.Centroid(mag, f)));
    }

    /// <summary>librosa feature.spectral_rolloff (roll_percent 0.85) on the magnitude spectrogram, Hz, [1, frames].</summary>
    /// <exception cref="ArgumentOutOfRangeException">rollPercent is not in (0, 1).</exception>
    public FeatureMatrix SpectralRolloff(ReadOnlySpan<float> y, double rollPercent = 0.85)
    {
        if (!(rollPercent > 0 && rollPercent < 1)) throw new ArgumentOutOfRangeException(nameof(rollPercent), rollPercent, "rollPercent must be in (0, 1).");
        var f = _freq;
        return PerFrame(y, 1f, 1, (mag, _, col) => col[0] = FrameKernels.Rolloff(mag, f, rollPercent));
    }

    /// <summary>librosa feature.spectral_flatness (amin 1e-10, power 2), [1, frames].</summary>
    public FeatureMatrix SpectralFlatness(ReadOnlySpan<float> y) => PerFrame(y, 1f, 1, (mag, _, col) => col[0] = FrameKernels.Flatness(mag));

    /// <summary>
    /// librosa feature.spectral_contrast (fmin 200, n_bands 6, quantile 0.02, linear = false):
    /// power_to_db(peak) - power_to_db(valley) with ref 1, amin 1e-10, top_db 80 over each whole matrix, [nBands + 1, frames].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The bands exceed Nyquist, are empty, or quantile is not in (0, 1).</exception>
    public FeatureMatrix SpectralContrast(ReadOnlySpan<float> y, double fMin = 200.0, int nBands = 6, double quantile = 0.02)
    {
        var bands = new ContrastBands(_freq, Options.SampleRate, fMin, nBands, quantile);
        var padded = Transform.Prepare(y, out int frames);
        int nb = bands.Bands;
        var peak = new FeatureMatrix(nb, frames);
        var valley = new FeatureMatrix(nb, frames);
        int bins = Transform.Bins;
        var scratch = new float[Transform.FramePowerScratchLength + bins + 2 * nb + bands.MaxCount];
        var s = scratch.AsSpan();
        var mag = s.Slice(Transform.FramePowerScratchLength, bins);
        var p = s.Slice(Transform.FramePowerScratchLength + bins, nb);
        var v = s.Slice(Transform.FramePowerScratchLength + bins + nb, nb);
        var sort = s[(Transform.FramePowerScratchLength + bins + 2 * nb)..];
        for (int t = 0; t < frames; t++)
        {
            Transform.FramePower(padded.AsSpan(t * Transform.HopLength, Options.NFft), mag, 1f, s[..Transform.FramePowerScratchLength]);
            bands.PeakValley(mag, p, v, sort);
            for (int k = 0; k < nb; k++) { peak.Data[k * frames + t] = p[k]; valley.Data[k * frames + t] = v[k]; }
        }
        Decibels.PowerToDb(peak.Data, DbReference.One, 1e-10f, 80f);
        Decibels.PowerToDb(valley.Data, DbReference.One, 1e-10f, 80f);
        TensorPrimitives.Subtract(peak.Data, valley.Data, peak.Data);
        return peak;
    }

    /// <summary>
    /// librosa onset.onset_strength: mean over mel bands of the positive first difference (lag 1) of the log-mel
    /// (power_to_db, ref 1, topDb from the options), shifted right by 1 + nFft / (2·hop) frames when centred and
    /// trimmed to the frame count.
    /// </summary>
    public float[] OnsetStrength(ReadOnlySpan<float> y) => TempoEstimator.OnsetStrength(LogMel(y), Options.NFft, Options.EffectiveHopLength, Options.Center);

    /// <summary>Global tempo in BPM as librosa feature.tempo (see <see cref="TempoEstimator"/>).</summary>
    public double Tempo(ReadOnlySpan<float> y, double startBpm = 120.0, double stdBpm = 1.0, double acSize = 8.0, double maxTempo = 320.0)
        => TempoEstimator.Estimate(OnsetStrength(y), Options.SampleRate, Options.EffectiveHopLength, startBpm, stdBpm, acSize, maxTempo);

    // ---- internals ----

    /// <summary>Batch 16 frames per SIMD lane group for the mel spectrogram (default when Vector512 is accelerated); tests switch it.</summary>
    internal bool UseBatched { get; set; } = Vector512.IsHardwareAccelerated;

    /// <summary>Mel spectrogram of an already padded signal into [NMels, frames] row-major <paramref name="dest"/>.</summary>
    internal void MelInto(ReadOnlySpan<float> padded, int frames, Span<float> dest)
    {
        int bins = Transform.Bins, nMels = Options.NMels, hop = Transform.HopLength, nFft = Options.NFft;
        int fs = Transform.FramePowerScratchLength;
        float[] scratch = new float[fs + bins + nMels];
        var s = scratch.AsSpan();
        var spec = s.Slice(fs, bins);
        var mel = s.Slice(fs + bins, nMels);
        for (int t = 0; t < frames; t++)
        {
            Transform.FramePower(padded.Slice(t * hop, nFft), spec, Options.Power, s[..fs]);
            MelBank.Apply(spec, mel);
            for (int m = 0; m < nMels; m++) dest[m * frames + t] = mel[m];
        }
    }

    /// <summary>
    /// Mel spectrogram of the unpadded signal <paramref name="y"/> with the batched kernel. Batches that lie inside
    /// the signal read it in place; only those reaching into the centre padding go through a small padded copy, so a
    /// long signal is never copied whole.
    /// </summary>
    private void BatchedMelInto(ReadOnlySpan<float> y, int frames, Span<float> dest)
    {
        int hop = Transform.HopLength, nFft = Options.NFft, lanes = BatchedMelKernel.Lanes;
        int pad = Options.Center ? nFft / 2 : 0;
        var kernel = BatchedMelKernel.ForThisThread(Transform, MelBank);
        float[]? edge = null;
        try
        {
            for (int t0 = 0; t0 < frames; t0 += lanes)
            {
                int count = Math.Min(lanes, frames - t0);
                long start = (long)t0 * hop - pad; // frame t0's first sample, in y's coordinates
                int length = (count - 1) * hop + nFft;
                ReadOnlySpan<float> batch;
                if (start >= 0 && start + length <= y.Length)
                {
                    batch = y[(int)start..];
                }
                else
                {
                    edge ??= ArrayPool<float>.Shared.Rent((lanes - 1) * hop + nFft);
                    Transform.ReadPadded(y, start, edge.AsSpan(0, length));
                    batch = edge;
                }
                kernel.Process(batch, hop, t0, count, Options.Power, dest, frames);
            }
        }
        finally
        {
            if (edge is not null)
                ArrayPool<float>.Shared.Return(edge);
        }
    }

    internal delegate void FrameFunc(ReadOnlySpan<float> spectrum, int frame, Span<float> output);

    private FeatureMatrix PerFrame(ReadOnlySpan<float> y, float power, int rows, FrameFunc f)
    {
        var padded = Transform.Prepare(y, out int frames);
        var result = new FeatureMatrix(rows, frames);
        int bins = Transform.Bins, fs = Transform.FramePowerScratchLength;
        var scratch = new float[fs + bins + rows];
        var s = scratch.AsSpan();
        var spec = s.Slice(fs, bins);
        var col = s.Slice(fs + bins, rows);
        for (int t = 0; t < frames; t++)
        {
            Transform.FramePower(padded.AsSpan(t * Transform.HopLength, Options.NFft), spec, power, s[..fs]);
            f(spec, t, col);
            for (int r = 0; r < rows; r++) result.Data[r * frames + t] = col[r];
        }
        return result;
    }

    internal delegate float TimeFrameFunc(ReadOnlySpan<float> frame);

    private FeatureMatrix TimeFrames(ReadOnlySpan<float> y, bool edge, TimeFrameFunc f)
    {
        if (y.Length == 0) throw new ArgumentException("The signal is empty.", nameof(y));
        int nFft = Options.NFft, hop = Transform.HopLength;
        int frames = FrameCount(y.Length);
        if (frames == 0) throw new ArgumentException($"Signal of {y.Length} samples is shorter than the frame length {nFft} with center = false.", nameof(y));
        var padded = ShortTimeFourierTransform.Pad(y, Options.Center ? nFft / 2 : 0, PadMode.Constant, edge);
        var result = new FeatureMatrix(1, frames);
        for (int t = 0; t < frames; t++) result.Data[t] = f(padded.AsSpan(t * hop, nFft));
        return result;
    }
}
