namespace Affetto.Audio.Effects;

public sealed partial class Augmenter
{
    /// <summary>Pitch-shifts by a number of semitones drawn uniformly in [<paramref name="minSemitones"/>, <paramref name="maxSemitones"/>].</summary>
    /// <param name="samples">Input samples.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="minSemitones">Lowest shift.</param>
    /// <param name="maxSemitones">Highest shift.</param>
    /// <param name="semitones">The shift that was drawn.</param>
    public float[] RandomPitchShift(ReadOnlySpan<float> samples, int sampleRate, double minSemitones, double maxSemitones, out double semitones)
    {
        semitones = Draw(minSemitones, maxSemitones, nameof(minSemitones), nameof(maxSemitones));
        return PitchShift(samples, sampleRate, semitones);
    }

    /// <summary>
    /// Shifts the pitch by <paramref name="semitones"/> and keeps the length: time-stretches by 2^(n/12) (WSOLA), then
    /// resamples back to the original length with <see cref="IO.Resampler"/> (libsoxr).
    /// </summary>
    /// <param name="samples">Input samples.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="semitones">Shift in semitones, in [-24, 24].</param>
    /// <returns>A new array of the input's length.</returns>
    public static float[] PitchShift(ReadOnlySpan<float> samples, int sampleRate, double semitones)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"sampleRate must be positive, got {sampleRate}.");
        if (!(semitones >= -24 && semitones <= 24)) throw new ArgumentOutOfRangeException(nameof(semitones), semitones, $"semitones must be in [-24, 24], got {semitones}.");
        var result = new float[samples.Length];
        if (samples.IsEmpty) return result;
        if (semitones == 0)
        {
            samples.CopyTo(result);
            return result;
        }
        double factor = Math.Pow(2.0, semitones / 12.0);
        float[] stretched = Wsola.Stretch(samples, sampleRate, 1.0 / factor);
        // Playing the stretched signal factor times faster restores the duration and raises the pitch by factor.
        // The ratio is expressed with integer rates; rounding sampleRate·factor changes the pitch by < 0.5/sampleRate.
        int inputRate = (int)Math.Round(sampleRate * factor);
        float[] resampled = IO.Resampler.Resample(stretched, inputRate, sampleRate);
        resampled.AsSpan(0, Math.Min(resampled.Length, result.Length)).CopyTo(result);
        return result;
    }
}
