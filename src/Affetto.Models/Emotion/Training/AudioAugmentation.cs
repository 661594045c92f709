using Affetto.Audio.Effects;

namespace Affetto.Models.Emotion.Training;

/// <summary>
/// The audio augmentation of training copies: a random gain of ±6 dB, a pitch shift of up to ±2 semitones, a time
/// stretch between 0.9 and 1.1 and Gaussian noise at 20 to 40 dB SNR, all drawn from one seed so that a cached copy
/// is reproducible. Changes that alter the emotion itself (large tempo or pitch moves) are deliberately avoided.
/// </summary>
public static class AudioAugmentation
{
    /// <summary>A new augmented copy of <paramref name="samples"/> (mono at <paramref name="sampleRate"/>).</summary>
    public static float[] Apply(ReadOnlySpan<float> samples, int sampleRate, int seed)
    {
        var random = new Random(seed);
        var augmenter = new Augmenter(random);
        float[] y = Augmenter.PitchShift(samples, sampleRate, random.NextDouble() * 4 - 2);
        y = augmenter.RandomTimeStretch(y, sampleRate, 0.9, 1.1, out _);
        augmenter.RandomGain(y, -6, 6);
        augmenter.RandomNoise(y, 20, 40);
        return y;
    }
}
