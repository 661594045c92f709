namespace Affetto.Audio.Effects;

/// <summary>Mixes a noise into music at a prescribed signal-to-noise ratio.</summary>
public static class Mixer
{
    /// <summary>Mixes <paramref name="noise"/> into <paramref name="music"/> at <paramref name="snrDb"/> decibels.</summary>
    /// <inheritdoc cref="MixAtSnr(ReadOnlySpan{float}, ReadOnlySpan{float}, double, MixOptions?, out MixReport)"/>
    public static float[] MixAtSnr(ReadOnlySpan<float> music, ReadOnlySpan<float> noise, double snrDb, MixOptions? options = null)
        => MixAtSnr(music, noise, snrDb, options, out _);

    /// <summary>
    /// Mixes <paramref name="noise"/> into <paramref name="music"/> so that 10·log10(P_music / P_noise) equals
    /// <paramref name="snrDb"/>, where P is the mean square over the music length and the noise is first looped
    /// (with an equal-power crossfade at each seam) or cut to the music length.
    /// </summary>
    /// <param name="music">Mono music samples (not modified).</param>
    /// <param name="noise">Mono noise samples (not modified).</param>
    /// <param name="snrDb">Target signal-to-noise ratio in dB (finite).</param>
    /// <param name="options">Loop crossfade and clipping options; null for defaults.</param>
    /// <param name="report">Gains and powers that were used.</param>
    /// <returns>A new array of the music's length.</returns>
    /// <exception cref="ArgumentException">An input is empty or silent, or <paramref name="snrDb"/> is not finite.</exception>
    public static float[] MixAtSnr(ReadOnlySpan<float> music, ReadOnlySpan<float> noise, double snrDb, MixOptions? options, out MixReport report)
    {
        options ??= new MixOptions();
        if (music.IsEmpty) throw new ArgumentException("music is empty.", nameof(music));
        if (noise.IsEmpty) throw new ArgumentException("noise is empty.", nameof(noise));
        if (!double.IsFinite(snrDb)) throw new ArgumentOutOfRangeException(nameof(snrDb), snrDb, $"snrDb must be finite, got {snrDb}.");
        if (options.LoopCrossfadeSamples < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.LoopCrossfadeSamples, $"LoopCrossfadeSamples must be >= 0, got {options.LoopCrossfadeSamples}.");
        if (options.NormalizeToAvoidClipping && !(options.PeakLimit > 0 && double.IsFinite(options.PeakLimit)))
            throw new ArgumentOutOfRangeException(nameof(options), options.PeakLimit, $"PeakLimit must be positive and finite, got {options.PeakLimit}.");

        double pMusic = MeanSquare(music);
        if (!(pMusic > 0)) throw new ArgumentException($"music is silent or not finite (mean square {pMusic}); the SNR is undefined.", nameof(music));

        var mix = new float[music.Length];
        FitLength(noise, mix, options.LoopCrossfadeSamples);
        double pNoise = MeanSquare(mix);
        if (!(pNoise > 0)) throw new ArgumentException($"noise is silent or not finite over the music length (mean square {pNoise}); it cannot be scaled to an SNR.", nameof(noise));

        double g = Math.Sqrt(pMusic / (pNoise * Math.Pow(10.0, snrDb / 10.0)));
        // Scale the noise in place, then correct the gain from the power that the float-rounded samples really have,
        // so that the SNR holds to float precision.
        for (int i = 0; i < mix.Length; i++) mix[i] = (float)(mix[i] * g);
        double realized = MeanSquare(mix);
        double fix = Math.Sqrt(pMusic / (realized * Math.Pow(10.0, snrDb / 10.0)));
        if (fix != 1.0)
        {
            for (int i = 0; i < mix.Length; i++) mix[i] = (float)(mix[i] * fix);
            g *= fix;
        }

        double peak = 0;
        for (int i = 0; i < mix.Length; i++)
        {
            mix[i] += music[i];
            peak = Math.Max(peak, Math.Abs(mix[i]));
        }

        double outGain = 1.0;
        if (options.NormalizeToAvoidClipping && peak > options.PeakLimit)
        {
            outGain = options.PeakLimit / peak;
            float og = (float)outGain;
            for (int i = 0; i < mix.Length; i++) mix[i] *= og;
        }
        report = new MixReport(g, outGain, pMusic, pNoise, noise.Length < music.Length);
        return mix;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with <paramref name="noise"/> cut to its length, or looped with an
    /// equal-power crossfade of <paramref name="crossfadeSamples"/> (clamped to half the noise length) at each seam.
    /// </summary>
    /// <param name="noise">Source samples.</param>
    /// <param name="destination">Output, fully overwritten.</param>
    /// <param name="crossfadeSamples">Crossfade length at loop seams.</param>
    /// <exception cref="ArgumentException"><paramref name="noise"/> is empty while the destination is not, or the crossfade is negative.</exception>
    public static void FitLength(ReadOnlySpan<float> noise, Span<float> destination, int crossfadeSamples = 256)
    {
        if (crossfadeSamples < 0) throw new ArgumentOutOfRangeException(nameof(crossfadeSamples), crossfadeSamples, $"crossfadeSamples must be >= 0, got {crossfadeSamples}.");
        if (destination.IsEmpty) return;
        if (noise.IsEmpty) throw new ArgumentException("noise is empty.", nameof(noise));
        if (noise.Length >= destination.Length)
        {
            noise[..destination.Length].CopyTo(destination);
            return;
        }

        int c = Math.Min(crossfadeSamples, noise.Length / 2);
        noise.CopyTo(destination);
        int start = noise.Length - c; // each further copy starts c samples before the end of the previous one
        while (start < destination.Length)
        {
            int n = Math.Min(noise.Length, destination.Length - start);
            for (int i = 0; i < n; i++)
            {
                if (i < c)
                {
                    // Equal-power crossfade keeps the power of uncorrelated material constant across the seam.
                    double theta = (i + 0.5) / c * (Math.PI / 2);
                    destination[start + i] = (float)(destination[start + i] * Math.Cos(theta) + noise[i] * Math.Sin(theta));
                }
                else
                {
                    destination[start + i] = noise[i];
                }
            }
            start += noise.Length - c;
        }
    }

    private static double MeanSquare(ReadOnlySpan<float> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += (double)x[i] * x[i];
        return s / x.Length;
    }
}
