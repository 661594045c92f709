using Affetto.Audio.Transforms;

namespace Affetto.Audio.Features;

/// <summary>
/// Tempo estimation as librosa 0.10 <c>feature.tempo</c> with default arguments: the onset-strength envelope is
/// framed into autocorrelation windows of ac_size = 8 s (floor(8·sr) / hop frames, periodic Hann, centred with
/// linear-ramp padding to 0), each window's autocorrelation is normalised by its maximum, the tempogram is
/// averaged over time, and the lag maximising log1p(1e6·tg) + a log-normal prior (mean start_bpm 120,
/// std_bpm 1 octave) among lags slower than max_tempo 320 BPM gives BPM = 60·sr / (hop·lag).
/// Only the onset envelope is needed (about 155 k floats per hour at 22050 Hz / 512).
/// </summary>
public static class TempoEstimator
{
    /// <summary>
    /// Onset strength from a log-mel matrix [mels, frames] (librosa onset_strength with lag 1, max_size 1,
    /// aggregate mean, detrend false): e[t] = mean_m max(0, S[m, t] - S[m, t - 1]), delayed by
    /// 1 + nFft / (2·hop) frames when centred (1 otherwise) and trimmed to the frame count when centred.
    /// </summary>
    public static float[] OnsetStrength(FeatureMatrix logMel, int nFft, int hopLength, bool center = true)
    {
        ArgumentNullException.ThrowIfNull(logMel);
        if (hopLength < 1) throw new ArgumentOutOfRangeException(nameof(hopLength), hopLength, "hopLength must be at least 1.");
        var acc = new OnsetAccumulator(logMel.Rows, nFft, hopLength, center);
        var col = new float[logMel.Rows];
        for (int t = 0; t < logMel.Columns; t++)
        {
            for (int m = 0; m < logMel.Rows; m++) col[m] = logMel.Data[m * logMel.Columns + t];
            acc.Push(col);
        }
        return acc.Finish();
    }

    /// <summary>Estimates the global tempo (BPM) from an onset envelope sampled every <paramref name="hopLength"/> samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is not positive.</exception>
    public static double Estimate(ReadOnlySpan<float> onsetEnvelope, int sampleRate, int hopLength, double startBpm = 120.0,
        double stdBpm = 1.0, double acSize = 8.0, double maxTempo = 320.0)
    {
        if (sampleRate < 1) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sampleRate must be positive.");
        if (hopLength < 1) throw new ArgumentOutOfRangeException(nameof(hopLength), hopLength, "hopLength must be positive.");
        if (!(startBpm > 0)) throw new ArgumentOutOfRangeException(nameof(startBpm), startBpm, "startBpm must be positive.");
        if (!(stdBpm > 0)) throw new ArgumentOutOfRangeException(nameof(stdBpm), stdBpm, "stdBpm must be positive.");
        if (!(acSize > 0)) throw new ArgumentOutOfRangeException(nameof(acSize), acSize, "acSize must be positive.");
        if (!(maxTempo > 0)) throw new ArgumentOutOfRangeException(nameof(maxTempo), maxTempo, "maxTempo must be positive.");
        int win = (int)((long)(acSize * sampleRate) / hopLength);
        if (win < 2) throw new ArgumentOutOfRangeException(nameof(acSize), acSize, "acSize is shorter than two onset frames.");
        var tg = MeanTempogram(onsetEnvelope, win);
        double bestScore = double.NegativeInfinity;
        int best = 0;
        for (int lag = 0; lag < win; lag++)
        {
            double bpm = lag == 0 ? double.PositiveInfinity : 60.0 * sampleRate / ((double)hopLength * lag);
            double z = (Math.Log2(bpm) - Math.Log2(startBpm)) / stdBpm;
            double prior = bpm < maxTempo ? -0.5 * z * z : double.NegativeInfinity;
            double score = Math.Log(1 + 1e6 * tg[lag]) + prior;
            if (score > bestScore) { bestScore = score; best = lag; }
        }
        return best == 0 ? double.PositiveInfinity : 60.0 * sampleRate / ((double)hopLength * best);
    }

    /// <summary>Time-averaged autocorrelation tempogram (librosa feature.tempogram, centred, norm inf), one value per lag.</summary>
    public static double[] MeanTempogram(ReadOnlySpan<float> onset, int winLength)
    {
        if (winLength < 1) throw new ArgumentOutOfRangeException(nameof(winLength), winLength, "winLength must be positive.");
        int n = onset.Length;
        var mean = new double[winLength];
        if (n == 0) return mean;
        int half = winLength / 2;
        // linear_ramp padding to 0 on both sides (numpy.pad mode="linear_ramp", end_values 0).
        var padded = new float[n + 2 * half];
        onset.CopyTo(padded.AsSpan(half));
        for (int d = 1; d <= half; d++)
        {
            padded[half - d] = (float)(onset[0] * (double)(half - d) / half);
            padded[half + n - 1 + d] = (float)(onset[n - 1] * (double)(half - d) / half);
        }
        var window = Windows.Create(WindowType.Hann, winLength);
        int nPad = 1;
        while (nPad < 2 * winLength - 1) nPad <<= 1;
        var plan = RealFftPlan.Get(nPad);
        int bins = plan.Bins;
        var buf = new float[nPad]; var re = new float[bins]; var im = new float[bins]; var ac = new float[nPad];
        var scratch = new float[plan.ScratchLength];
        int frames = Math.Min(n, padded.Length - winLength + 1);
        for (int t = 0; t < frames; t++)
        {
            for (int i = 0; i < winLength; i++) buf[i] = padded[t + i] * window[i];
            Array.Clear(buf, winLength, nPad - winLength);
            plan.Forward(buf, re, im, scratch);
            for (int k = 0; k < bins; k++) { re[k] = re[k] * re[k] + im[k] * im[k]; im[k] = 0; }
            plan.Inverse(re, im, ac, scratch);
            float max = 0;
            for (int l = 0; l < winLength; l++) max = Math.Max(max, Math.Abs(ac[l]));
            double scale = max >= FrameKernels.TinyF32 ? 1.0 / max : 1.0;
            for (int l = 0; l < winLength; l++) mean[l] += ac[l] * scale;
        }
        for (int l = 0; l < winLength; l++) mean[l] /= n;
        return mean;
    }
}

/// <summary>Builds the onset envelope one log-mel frame at a time (shared by offline and streaming paths).</summary>
internal sealed class OnsetAccumulator
{
    private readonly float[] _prev;
    private readonly int _delay;
    private readonly bool _center;
    private bool _hasPrev;
    private float[] _env = new float[1024];
    private int _count, _frames;

    internal OnsetAccumulator(int mels, int nFft, int hop, bool center)
    {
        _prev = new float[mels];
        _center = center;
        _delay = 1 + (center ? nFft / (2 * hop) : 0);
        for (int i = 0; i < _delay; i++) Add(0f);
    }

    internal void Push(ReadOnlySpan<float> col)
    {
        _frames++;
        if (_hasPrev)
        {
            double s = 0;
            for (int m = 0; m < col.Length; m++) s += Math.Max(0f, col[m] - _prev[m]);
            Add((float)(s / col.Length));
        }
        col.CopyTo(_prev);
        _hasPrev = true;
    }

    private void Add(float v)
    {
        if (_count == _env.Length) Array.Resize(ref _env, _env.Length * 2);
        _env[_count++] = v;
    }

    internal float[] Finish()
    {
        int len = _center ? Math.Min(_count, _frames) : _count;
        if (_frames == 0) len = 0;
        return _env.AsSpan(0, len).ToArray();
    }
}
