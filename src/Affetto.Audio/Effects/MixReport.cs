namespace Affetto.Audio.Effects;

/// <summary>What <see cref="Mixer.MixAtSnr(ReadOnlySpan{float}, ReadOnlySpan{float}, double, MixOptions?, out MixReport)"/> did.</summary>
/// <param name="NoiseGain">Linear gain applied to the (looped or cut) noise before adding it, before normalisation.</param>
/// <param name="OutputGain">Linear gain applied to the whole mix to avoid clipping (1 when not normalised).</param>
/// <param name="MusicPower">Mean square of the music.</param>
/// <param name="NoisePower">Mean square of the looped or cut noise before scaling.</param>
/// <param name="NoiseLooped">True when the noise was shorter than the music and was looped.</param>
public readonly record struct MixReport(double NoiseGain, double OutputGain, double MusicPower, double NoisePower, bool NoiseLooped)
{
    /// <summary>Gain of the output mix in decibels (0 when not normalised, negative when scaled down).</summary>
    public double OutputGainDb => 20.0 * Math.Log10(OutputGain);
}
