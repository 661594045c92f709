using System.Numerics.Tensors;
using Affetto.Audio.Transforms;

namespace Affetto.Audio.Features;

/// <summary>
/// Streaming version of <see cref="SummaryFeatures.Compute"/>: push mono blocks of any size, then call
/// <see cref="Finish"/>. Frames are cut across block boundaries exactly as the offline path frames the whole
/// signal (same padding, same per-frame code), so the result equals the offline one up to summation order.
/// Memory: the samples of the current frame, per-frame log-mel (NMels floats, needed because power_to_db's
/// top_db clip uses the global maximum; ~79 MB per hour at the defaults) and, when extended, 14 contrast floats
/// per frame; everything else is running sums.
/// </summary>
public sealed class SummaryFeatureAccumulator
{
    private readonly FeatureExtractor _fx;
    private readonly bool _extended;
    private readonly int _nFft, _hop, _pad, _bins, _nMels;
    private readonly ContrastBands? _bands;
    private readonly float[] _frame, _rmsFrame, _zcrFrame, _scratch, _power, _mag, _mel, _chroma, _peak, _valley, _sort;

    private float[] _raw = new float[1 << 16];
    private long _rawStart, _total;           // absolute index of _raw[0]; samples pushed
    private int _rawCount;
    private float _first;
    private int _next;                         // next frame index
    private bool _finished;

    // running sums (double): chroma, rms, centroid, bandwidth, rolloff, zcr, flatness
    private readonly double[] _sum = new double[7], _sumSq = new double[7];
    private long _chromaValues;
    private readonly GrowableFloats _db = new(), _peaks = new(), _valleys = new();
    private float _dbMax = float.NegativeInfinity;

    /// <summary>Creates an accumulator.</summary>
    /// <exception cref="ArgumentException">Options are invalid.</exception>
    public SummaryFeatureAccumulator(SpectrogramOptions? options = null, bool extended = false)
    {
        _fx = new FeatureExtractor(options);
        _extended = extended;
        var o = _fx.Options;
        _nFft = o.NFft; _hop = o.EffectiveHopLength; _pad = o.Center ? _nFft / 2 : 0;
        _bins = _fx.Transform.Bins; _nMels = o.NMels;
        _frame = new float[_nFft]; _rmsFrame = new float[_nFft]; _zcrFrame = new float[_nFft];
        _scratch = new float[_fx.Transform.FramePowerScratchLength];
        _power = new float[_bins]; _mag = new float[_bins]; _mel = new float[_nMels]; _chroma = new float[12];
        if (extended)
        {
            _bands = new ContrastBands(_fx.Frequencies, o.SampleRate, 200.0, 6, 0.02);
            _peak = new float[_bands.Bands]; _valley = new float[_bands.Bands]; _sort = new float[_bands.MaxCount];
        }
        else { _peak = []; _valley = []; _sort = []; }
    }

    /// <summary>Column names of the result, as <see cref="SummaryFeatures.ColumnNames(bool, int)"/>.</summary>
    public IReadOnlyList<string> ColumnNames => SummaryFeatures.ColumnNames(_extended, _fx.Options.NMfcc);

    /// <summary>Samples pushed so far.</summary>
    public long SamplesPushed => _total;

    /// <summary>Frames computed so far.</summary>
    public int FramesComputed => _next;

    /// <summary>Appends mono samples and computes every frame that is now complete.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Finish"/> was already called.</exception>
    public void Push(ReadOnlySpan<float> samples)
    {
        if (_finished) throw new InvalidOperationException("Push after Finish: create a new accumulator for another signal.");
        if (samples.IsEmpty) return;
        if (_total == 0) _first = samples[0];
        Append(samples);
        bool reflectReady = _fx.Options.PadMode != PadMode.Reflect || _total > _pad;
        while (reflectReady && (long)_next * _hop - _pad + _nFft <= _total)
        {
            ProcessFrame(_next, -1);
            _next++;
        }
        Discard();
    }

    /// <summary>Computes the last frames and returns the summary values in <see cref="ColumnNames"/> order.</summary>
    /// <exception cref="InvalidOperationException">No samples were pushed, the signal is too short for one frame, or Finish was already called.</exception>
    public float[] Finish()
    {
        if (_finished) throw new InvalidOperationException("Finish was already called.");
        if (_total == 0) throw new InvalidOperationException("No samples were pushed.");
        int frames = _fx.FrameCount(_total);
        if (frames == 0) throw new InvalidOperationException($"Signal of {_total} samples is shorter than nFft = {_nFft} with center = false.");
        _finished = true;
        for (; _next < frames; _next++) ProcessFrame(_next, _total);
        return Summarise(frames);
    }

    private void Append(ReadOnlySpan<float> s)
    {
        if (_rawCount + s.Length > _raw.Length)
        {
            int cap = _raw.Length;
            while (cap < _rawCount + s.Length) cap *= 2;
            Array.Resize(ref _raw, cap);
        }
        s.CopyTo(_raw.AsSpan(_rawCount));
        _rawCount += s.Length;
        _total += s.Length;
    }

    private void Discard()
    {
        // Keep what the next frame needs and the last pad + 1 samples (reflect / edge padding at the end).
        long keepFrom = Math.Min((long)_next * _hop - _pad, _total - (_pad + 1));
        if (keepFrom <= _rawStart) return;
        int drop = (int)(keepFrom - _rawStart);
        if (drop < _raw.Length / 2) return;
        Array.Copy(_raw, drop, _raw, 0, _rawCount - drop);
        _rawCount -= drop;
        _rawStart += drop;
    }

    private float Sample(long j) => _raw[j - _rawStart];

    /// <summary>Fills a frame starting at raw index <paramref name="start"/>; <paramref name="n"/> is the total length or -1 while streaming.</summary>
    private void Fill(Span<float> dest, long start, long n, int mode)
    {
        // mode 0 constant, 1 reflect, 2 edge
        long known = n < 0 ? _total : n;
        long lo = Math.Max(start, 0), hi = Math.Min(start + _nFft, known);
        if (hi > lo) _raw.AsSpan((int)(lo - _rawStart), (int)(hi - lo)).CopyTo(dest.Slice((int)(lo - start)));
        for (long j = start; j < lo && j < start + _nFft; j++)
            dest[(int)(j - start)] = mode == 0 ? 0f : mode == 2 ? _first : Sample(n < 0 ? -j : ShortTimeFourierTransform.ReflectIndex(j, (int)n));
        for (long j = Math.Max(hi, start); j < start + _nFft; j++)
            dest[(int)(j - start)] = mode == 0 ? 0f : mode == 2 ? Sample(n - 1) : Sample(ShortTimeFourierTransform.ReflectIndex(j, (int)n));
    }

    private void ProcessFrame(int t, long n)
    {
        long start = (long)t * _hop - _pad;
        bool interior = start >= 0 && (n < 0 || start + _nFft <= n);
        var o = _fx.Options;
        Fill(_frame, start, n, o.PadMode == PadMode.Reflect ? 1 : 0);
        ReadOnlySpan<float> rmsFrame = _frame, zcrFrame = _frame;
        if (!interior)
        {
            Fill(_rmsFrame, start, n, 0); rmsFrame = _rmsFrame;
            Fill(_zcrFrame, start, n, 2); zcrFrame = _zcrFrame;
        }
        // Power spectrum, magnitude = sqrt(power): the same operations as the offline FramePower paths.
        _fx.Transform.FramePower(_frame, _power, 2f, _scratch);
        TensorPrimitives.Sqrt(_power, _mag);
        var f = _fx.Frequencies;

        FrameKernels.Chroma(_power, _fx.ChromaBank, _chroma);
        for (int c = 0; c < 12; c++) { _sum[0] += _chroma[c]; _sumSq[0] += (double)_chroma[c] * _chroma[c]; }
        _chromaValues += 12;
        float centroid = FrameKernels.Centroid(_mag, f);
        Add(1, FrameKernels.Rms(rmsFrame));
        Add(2, centroid);
        Add(3, FrameKernels.Bandwidth(_mag, f, centroid));
        Add(4, FrameKernels.Rolloff(_mag, f, 0.85));
        Add(5, FrameKernels.ZeroCrossingRate(zcrFrame));

        if (o.Power == 2f) _fx.MelBank.Apply(_power, _mel);
        else
        {
            _fx.Transform.FramePower(_frame, _mag.AsSpan(), o.Power, _scratch);
            _fx.MelBank.Apply(_mag, _mel);
            TensorPrimitives.Sqrt(_power, _mag);
        }
        TensorPrimitives.Max(_mel, 1e-10f, _mel);
        TensorPrimitives.Log10(_mel, _mel);
        TensorPrimitives.Multiply(_mel, 10f, _mel);
        _dbMax = Math.Max(_dbMax, TensorPrimitives.Max<float>(_mel));
        _db.Add(_mel);

        if (_extended)
        {
            Add(6, FrameKernels.Flatness(_mag));
            _bands!.PeakValley(_mag, _peak, _valley, _sort);
            _peaks.Add(_peak); _valleys.Add(_valley);
        }
    }

    private void Add(int i, float v) { _sum[i] += v; _sumSq[i] += (double)v * v; }

    private float[] Summarise(int frames)
    {
        var o = _fx.Options;
        int nMfcc = o.NMfcc;
        var names = ColumnNames;
        var result = new float[names.Count];
        var means = new float[6 + nMfcc];
        var stds = new float[6 + nMfcc];
        (means[0], stds[0]) = Moments(_sum[0], _sumSq[0], _chromaValues);
        for (int i = 1; i < 6; i++) (means[i], stds[i]) = Moments(_sum[i], _sumSq[i], frames);

        // MFCC and onset envelope need the global dB maximum for the top_db clip.
        float floor = o.TopDb is float top ? _dbMax - top : float.NegativeInfinity;
        var ms = new double[nMfcc]; var mq = new double[nMfcc];
        var col = new float[_nMels];
        var onset = _extended ? new OnsetAccumulator(_nMels, _nFft, _hop, o.Center) : null;
        for (int t = 0; t < frames; t++)
        {
            _db.Read(t, _nMels, col);
            TensorPrimitives.Max(col, floor, col);
            for (int k = 0; k < nMfcc; k++)
            {
                double v = TensorPrimitives.Dot(_fx.Dct.Data.AsSpan(k * _nMels, _nMels), col);
                ms[k] += v; mq[k] += v * v;
            }
            onset?.Push(col);
        }
        for (int k = 0; k < nMfcc; k++) (means[6 + k], stds[6 + k]) = Moments(ms[k], mq[k], frames);
        means.CopyTo(result, 0);
        if (!_extended) return result;
        stds.CopyTo(result, means.Length);
        int i0 = 2 * means.Length;
        int nb = _bands!.Bands;
        var peaks = _peaks.ToArray(); var valleys = _valleys.ToArray();
        Decibels.PowerToDb(peaks, DbReference.One, 1e-10f, 80f);
        Decibels.PowerToDb(valleys, DbReference.One, 1e-10f, 80f);
        for (int k = 0; k < nb; k++)
        {
            double s = 0, q = 0;
            for (int t = 0; t < frames; t++) { double v = peaks[t * nb + k] - valleys[t * nb + k]; s += v; q += v * v; }
            (result[i0 + k], result[i0 + nb + k]) = Moments(s, q, frames);
        }
        i0 += 2 * nb;
        (result[i0], result[i0 + 1]) = Moments(_sum[6], _sumSq[6], frames);
        result[i0 + 2] = (float)TempoEstimator.Estimate(onset!.Finish(), o.SampleRate, _hop);
        return result;
    }

    private static (float, float) Moments(double sum, double sumSq, long n)
    {
        double mean = sum / n;
        return ((float)mean, (float)Math.Sqrt(Math.Max(0, sumSq / n - mean * mean)));
    }

    /// <summary>Append-only float storage in fixed chunks (no large-array copies while growing).</summary>
    private sealed class GrowableFloats
    {
        private const int ChunkSize = 1 << 16;
        private readonly List<float[]> _chunks = [];
        private long _count;

        public void Add(ReadOnlySpan<float> v)
        {
            while (!v.IsEmpty)
            {
                int c = (int)(_count / ChunkSize), i = (int)(_count % ChunkSize);
                if (c == _chunks.Count) _chunks.Add(new float[ChunkSize]);
                int n = Math.Min(v.Length, ChunkSize - i);
                v[..n].CopyTo(_chunks[c].AsSpan(i));
                v = v[n..];
                _count += n;
            }
        }

        public void Read(long index, int count, Span<float> dest)
        {
            long pos = index * count;
            while (count > 0)
            {
                int c = (int)(pos / ChunkSize), i = (int)(pos % ChunkSize);
                int n = Math.Min(count, ChunkSize - i);
                _chunks[c].AsSpan(i, n).CopyTo(dest);
                dest = dest[n..]; pos += n; count -= n;
            }
        }

        public float[] ToArray()
        {
            var a = new float[_count];
            for (long p = 0; p < _count; p++) a[p] = _chunks[(int)(p / ChunkSize)][p % ChunkSize];
            return a;
        }
    }
}
