namespace Affetto.Audio.Effects;

/// <summary>
/// Fade-in and fade-out envelopes applied in place to mono or interleaved multi-channel samples.
/// </summary>
/// <remarks>
/// A fade of N frames multiplies frame i (counted from the start for a fade-in, from the end for a fade-out) by
/// g(i / N), so the first frame of a fade-in and the last frame of a fade-out are exactly silent and the frame
/// right after the fade is untouched. Each fade must fit in the signal on its own. When the fade-in and the
/// fade-out together are longer than the signal they overlap, and in the overlap both gains apply (they
/// multiply): the envelope is the product of the two independent fades. This keeps the result independent of
/// the order in which fades are applied.
/// </remarks>
public static class Fade
{
    private const double ExpFloor = 1e-3; // -60 dB

    /// <summary>Applies a fade-in of <paramref name="fadeInSeconds"/> and a fade-out of <paramref name="fadeOutSeconds"/>.</summary>
    /// <param name="samples">Samples to modify in place (interleaved when <paramref name="channels"/> &gt; 1).</param>
    /// <param name="sampleRate">Frames per second.</param>
    /// <param name="fadeInSeconds">Length of the fade-in in seconds (0 for none).</param>
    /// <param name="fadeOutSeconds">Length of the fade-out in seconds (0 for none).</param>
    /// <param name="curve">Shape of both fades.</param>
    /// <param name="channels">Number of interleaved channels.</param>
    /// <exception cref="ArgumentException">A length is negative or not finite, a fade is longer than the signal, or the layout is invalid.</exception>
    public static void Apply(Span<float> samples, int sampleRate, double fadeInSeconds, double fadeOutSeconds,
        FadeCurve curve = FadeCurve.Linear, int channels = 1)
    {
        int frames = ValidateLayout(samples.Length, sampleRate, channels);
        int nIn = ToFrames(fadeInSeconds, sampleRate, frames, nameof(fadeInSeconds));
        int nOut = ToFrames(fadeOutSeconds, sampleRate, frames, nameof(fadeOutSeconds));
        ApplyFrames(samples, channels, nIn, curve, fadeIn: true);
        ApplyFrames(samples, channels, nOut, curve, fadeIn: false);
    }

    /// <summary>Applies only a fade-in of <paramref name="seconds"/>.</summary>
    /// <param name="samples">Samples to modify in place (interleaved when <paramref name="channels"/> &gt; 1).</param>
    /// <param name="sampleRate">Frames per second.</param>
    /// <param name="curve">Shape of the fade.</param>
    /// <param name="channels">Number of interleaved channels.</param>
    /// <param name="seconds">Length of the fade-in in seconds.</param>
    public static void In(Span<float> samples, int sampleRate, double seconds, FadeCurve curve = FadeCurve.Linear, int channels = 1)
    {
        int frames = ValidateLayout(samples.Length, sampleRate, channels);
        ApplyFrames(samples, channels, ToFrames(seconds, sampleRate, frames, nameof(seconds)), curve, fadeIn: true);
    }

    /// <summary>Applies only a fade-out of <paramref name="seconds"/>.</summary>
    /// <param name="samples">Samples to modify in place (interleaved when <paramref name="channels"/> &gt; 1).</param>
    /// <param name="sampleRate">Frames per second.</param>
    /// <param name="curve">Shape of the fade.</param>
    /// <param name="channels">Number of interleaved channels.</param>
    /// <param name="seconds">Length of the fade-out in seconds.</param>
    public static void Out(Span<float> samples, int sampleRate, double seconds, FadeCurve curve = FadeCurve.Linear, int channels = 1)
    {
        int frames = ValidateLayout(samples.Length, sampleRate, channels);
        ApplyFrames(samples, channels, ToFrames(seconds, sampleRate, frames, nameof(seconds)), curve, fadeIn: false);
    }

    /// <summary>Gain of a fade-in of the given shape at progress <paramref name="x"/> (clamped to [0, 1]).</summary>
    /// <param name="curve">Fade shape.</param>
    /// <param name="x">Progress through the fade, 0 at its start and 1 at its end.</param>
    /// <returns>A gain in [0, 1], 0 at x = 0 and 1 at x = 1, non-decreasing in x.</returns>
    public static double Gain(FadeCurve curve, double x)
    {
        x = Math.Clamp(x, 0.0, 1.0);
        return curve switch
        {
            FadeCurve.Linear => x,
            FadeCurve.Exponential => ExpGain(x),
            FadeCurve.Logarithmic => 1.0 - ExpGain(1.0 - x),
            FadeCurve.EqualPower => Math.Sin(x * Math.PI / 2),
            FadeCurve.SCurve => 0.5 - 0.5 * Math.Cos(Math.PI * x),
            _ => throw new ArgumentOutOfRangeException(nameof(curve), curve, $"Unknown fade curve {curve}."),
        };
    }

    private static double ExpGain(double x) => (Math.Pow(10.0, -3.0 * (1.0 - x)) - ExpFloor) / (1.0 - ExpFloor);

    private static void ApplyFrames(Span<float> samples, int channels, int n, FadeCurve curve, bool fadeIn)
    {
        if (n == 0) return;
        if (!Enum.IsDefined(curve)) throw new ArgumentOutOfRangeException(nameof(curve), curve, $"Unknown fade curve {curve}.");
        int frames = samples.Length / channels;
        for (int i = 0; i < n; i++)
        {
            float g = (float)Gain(curve, (double)i / n);
            int frame = fadeIn ? i : frames - 1 - i;
            Span<float> f = samples.Slice(frame * channels, channels);
            for (int c = 0; c < f.Length; c++) f[c] *= g;
        }
    }

    private static int ValidateLayout(int length, int sampleRate, int channels)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"sampleRate must be positive, got {sampleRate}.");
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, $"channels must be positive, got {channels}.");
        if (length % channels != 0)
            throw new ArgumentException($"The sample count {length} is not a multiple of channels = {channels}.", "samples");
        return length / channels;
    }

    private static int ToFrames(double seconds, int sampleRate, int frames, string name)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
            throw new ArgumentOutOfRangeException(name, seconds, $"{name} must be a finite non-negative number of seconds, got {seconds}.");
        double n = Math.Round(seconds * sampleRate);
        if (n > frames)
            throw new ArgumentException(
                $"{name} = {seconds} s ({n} frames at {sampleRate} Hz) is longer than the signal ({frames} frames = {(double)frames / sampleRate} s).", name);
        return (int)n;
    }
}
