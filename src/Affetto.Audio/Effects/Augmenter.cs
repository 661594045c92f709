namespace Affetto.Audio.Effects;

/// <summary>
/// Data augmentation for mono signals: gain, additive Gaussian noise at an SNR, time shift, time stretch (WSOLA,
/// pitch kept) and pitch shift (duration kept).
/// </summary>
/// <remarks>
/// The static methods are deterministic transforms (the random ones take a <see cref="Random"/>). An instance
/// owns a seeded generator and draws random parameters from ranges, so the same seed and the same sequence of
/// calls give bit-identical results.
/// </remarks>
public sealed partial class Augmenter
{
    private readonly Random _random;

    /// <summary>Creates an augmenter whose random draws are fixed by <paramref name="seed"/>.</summary>
    /// <param name="seed">Seed of the generator.</param>
    public Augmenter(int seed) => _random = new Random(seed);

    /// <summary>Creates an augmenter drawing from <paramref name="random"/>.</summary>
    /// <param name="random">Generator to use (shared, not copied).</param>
    public Augmenter(Random random) => _random = random ?? throw new ArgumentNullException(nameof(random));

    /// <summary>Applies a gain drawn uniformly in [<paramref name="minDb"/>, <paramref name="maxDb"/>] and returns it in dB.</summary>
    /// <param name="samples">Samples modified in place.</param>
    /// <param name="minDb">Lowest gain in dB.</param>
    /// <param name="maxDb">Highest gain in dB.</param>
    public double RandomGain(Span<float> samples, double minDb, double maxDb)
    {
        double db = Draw(minDb, maxDb, nameof(minDb), nameof(maxDb));
        Gain(samples, db);
        return db;
    }

    /// <summary>Adds white Gaussian noise at an SNR drawn uniformly in [<paramref name="minSnrDb"/>, <paramref name="maxSnrDb"/>] and returns it.</summary>
    /// <param name="samples">Samples modified in place.</param>
    /// <param name="minSnrDb">Lowest SNR in dB.</param>
    /// <param name="maxSnrDb">Highest SNR in dB.</param>
    public double RandomNoise(Span<float> samples, double minSnrDb, double maxSnrDb)
    {
        double snr = Draw(minSnrDb, maxSnrDb, nameof(minSnrDb), nameof(maxSnrDb));
        GaussianNoise(samples, snr, _random);
        return snr;
    }

    /// <summary>Adds white Gaussian noise at <paramref name="snrDb"/> using this instance's generator.</summary>
    /// <param name="samples">Samples modified in place.</param>
    /// <param name="snrDb">Signal-to-noise ratio in dB.</param>
    public void GaussianNoise(Span<float> samples, double snrDb) => GaussianNoise(samples, snrDb, _random);

    /// <summary>Shifts by a time drawn uniformly in [-<paramref name="maxSeconds"/>, <paramref name="maxSeconds"/>] and returns it.</summary>
    /// <param name="samples">Samples modified in place.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="maxSeconds">Largest shift magnitude in seconds.</param>
    /// <param name="mode">Circular or zero-fill.</param>
    public double RandomTimeShift(Span<float> samples, int sampleRate, double maxSeconds, ShiftMode mode = ShiftMode.Circular)
    {
        if (!double.IsFinite(maxSeconds) || maxSeconds < 0)
            throw new ArgumentOutOfRangeException(nameof(maxSeconds), maxSeconds, $"maxSeconds must be finite and >= 0, got {maxSeconds}.");
        double s = Draw(-maxSeconds, maxSeconds, nameof(maxSeconds), nameof(maxSeconds));
        TimeShift(samples, sampleRate, s, mode);
        return s;
    }

    /// <summary>Time-stretches by a rate drawn log-uniformly in [<paramref name="minRate"/>, <paramref name="maxRate"/>].</summary>
    /// <param name="samples">Input samples.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="minRate">Lowest rate (&gt; 0).</param>
    /// <param name="maxRate">Highest rate.</param>
    /// <param name="rate">The rate that was drawn.</param>
    public float[] RandomTimeStretch(ReadOnlySpan<float> samples, int sampleRate, double minRate, double maxRate, out double rate)
    {
        if (!(minRate > 0)) throw new ArgumentOutOfRangeException(nameof(minRate), minRate, $"minRate must be positive, got {minRate}.");
        rate = Math.Exp(Draw(Math.Log(minRate), Math.Log(maxRate), nameof(minRate), nameof(maxRate)));
        return TimeStretch(samples, sampleRate, rate);
    }

    /// <summary>Multiplies every sample by 10^(<paramref name="gainDb"/>/20).</summary>
    /// <param name="samples">Samples modified in place.</param>
    /// <param name="gainDb">Gain in dB (finite).</param>
    public static void Gain(Span<float> samples, double gainDb)
    {
        if (!double.IsFinite(gainDb)) throw new ArgumentOutOfRangeException(nameof(gainDb), gainDb, $"gainDb must be finite, got {gainDb}.");
        float g = (float)Math.Pow(10.0, gainDb / 20.0);
        for (int i = 0; i < samples.Length; i++) samples[i] *= g;
    }

    /// <summary>
    /// Adds white Gaussian noise whose power is exactly P_signal / 10^(<paramref name="snrDb"/>/10), where the power
    /// of the drawn noise is measured and corrected, so the SNR holds for any length.
    /// </summary>
    /// <param name="samples">Samples modified in place.</param>
    /// <param name="snrDb">Signal-to-noise ratio in dB (finite).</param>
    /// <param name="random">Generator of the noise.</param>
    /// <exception cref="ArgumentException">The signal is empty or silent, or the SNR is not finite.</exception>
    public static void GaussianNoise(Span<float> samples, double snrDb, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!double.IsFinite(snrDb)) throw new ArgumentOutOfRangeException(nameof(snrDb), snrDb, $"snrDb must be finite, got {snrDb}.");
        if (samples.IsEmpty) throw new ArgumentException("samples is empty.", nameof(samples));
        double ps = 0;
        for (int i = 0; i < samples.Length; i++) ps += (double)samples[i] * samples[i];
        ps /= samples.Length;
        if (!(ps > 0)) throw new ArgumentException($"The signal is silent or not finite (mean square {ps}); an SNR is undefined.", nameof(samples));

        float[] noise = System.Buffers.ArrayPool<float>.Shared.Rent(samples.Length);
        try
        {
            double pn = 0;
            for (int i = 0; i < samples.Length; i += 2)
            {
                // Box-Muller: two independent standard normals per pair of uniforms.
                double u1 = 1.0 - random.NextDouble();
                double u2 = random.NextDouble();
                double r = Math.Sqrt(-2.0 * Math.Log(u1));
                double a = r * Math.Cos(2 * Math.PI * u2), b = r * Math.Sin(2 * Math.PI * u2);
                noise[i] = (float)a;
                pn += (double)noise[i] * noise[i];
                if (i + 1 < samples.Length)
                {
                    noise[i + 1] = (float)b;
                    pn += (double)noise[i + 1] * noise[i + 1];
                }
            }
            pn /= samples.Length;
            double g = Math.Sqrt(ps / (pn * Math.Pow(10.0, snrDb / 10.0)));
            for (int i = 0; i < samples.Length; i++) samples[i] += (float)(noise[i] * g);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(noise);
        }
    }

    /// <summary>
    /// Delays the signal by <paramref name="seconds"/> (positive: later, negative: earlier), rounded to whole samples.
    /// </summary>
    /// <param name="samples">Samples modified in place.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="seconds">Shift in seconds.</param>
    /// <param name="mode">Circular rotation or zero fill.</param>
    public static void TimeShift(Span<float> samples, int sampleRate, double seconds, ShiftMode mode = ShiftMode.Circular)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"sampleRate must be positive, got {sampleRate}.");
        if (!double.IsFinite(seconds)) throw new ArgumentOutOfRangeException(nameof(seconds), seconds, $"seconds must be finite, got {seconds}.");
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, $"Unknown shift mode {mode}.");
        int n = samples.Length;
        if (n == 0) return;
        double shiftD = Math.Round(seconds * sampleRate);
        if (mode == ShiftMode.ZeroFill && Math.Abs(shiftD) >= n)
        {
            samples.Clear();
            return;
        }
        int shift = mode == ShiftMode.Circular ? (int)(((long)(shiftD % n) + n) % n) : (int)shiftD;
        if (shift == 0) return;
        if (mode == ShiftMode.Circular)
        {
            // Rotation by three reversals, in place and allocation-free.
            samples.Reverse();
            samples[..shift].Reverse();
            samples[shift..].Reverse();
        }
        else if (shift > 0)
        {
            samples[..(n - shift)].CopyTo(samples[shift..]);
            samples[..shift].Clear();
        }
        else
        {
            int s = -shift;
            samples[s..].CopyTo(samples);
            samples[(n - s)..].Clear();
        }
    }

    /// <summary>
    /// Changes the duration by 1/<paramref name="rate"/> without changing the pitch (WSOLA). The output has exactly
    /// round(length / rate) samples; rate &gt; 1 is faster (shorter).
    /// </summary>
    /// <param name="samples">Input samples.</param>
    /// <param name="sampleRate">Samples per second (sets the 46 ms analysis frame).</param>
    /// <param name="rate">Speed factor in [0.1, 10].</param>
    public static float[] TimeStretch(ReadOnlySpan<float> samples, int sampleRate, double rate)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"sampleRate must be positive, got {sampleRate}.");
        if (!(rate >= 0.1 && rate <= 10)) throw new ArgumentOutOfRangeException(nameof(rate), rate, $"rate must be in [0.1, 10], got {rate}.");
        return Wsola.Stretch(samples, sampleRate, rate);
    }

    private double Draw(double lo, double hi, string loName, string hiName)
    {
        if (!double.IsFinite(lo)) throw new ArgumentOutOfRangeException(loName, lo, $"{loName} must be finite, got {lo}.");
        if (!double.IsFinite(hi)) throw new ArgumentOutOfRangeException(hiName, hi, $"{hiName} must be finite, got {hi}.");
        if (hi < lo) throw new ArgumentException($"{hiName} ({hi}) must be >= {loName} ({lo}).", hiName);
        return lo + (hi - lo) * _random.NextDouble();
    }
}
