namespace Affetto.Audio.Effects;

/// <summary>Options of <see cref="Mixer.MixAtSnr(ReadOnlySpan{float}, ReadOnlySpan{float}, double, MixOptions?, out MixReport)"/>.</summary>
public sealed record MixOptions
{
    /// <summary>
    /// Length in samples of the equal-power crossfade at each loop seam when the noise is shorter than the music
    /// (clamped to half the noise length). Default 256 (about 6 ms at 44.1 kHz).
    /// </summary>
    public int LoopCrossfadeSamples { get; init; } = 256;

    /// <summary>
    /// When true and the peak of the mix exceeds <see cref="PeakLimit"/>, the whole mix (music and noise alike, so the
    /// SNR is unchanged) is scaled down so that its peak equals <see cref="PeakLimit"/>. Default false.
    /// </summary>
    public bool NormalizeToAvoidClipping { get; init; }

    /// <summary>Peak magnitude allowed when <see cref="NormalizeToAvoidClipping"/> is set. Default 1.0 (full scale).</summary>
    public double PeakLimit { get; init; } = 1.0;
}
