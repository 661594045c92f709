namespace Affetto.Audio.Effects;

/// <summary>Shape of a fade, expressed as the gain of a fade-in at progress x in [0, 1] (a fade-out is its mirror).</summary>
public enum FadeCurve
{
    /// <summary>Gain rises linearly in amplitude: g(x) = x.</summary>
    Linear,

    /// <summary>
    /// dB-linear rise from -60 dB to 0 dB (slow start, fast end), offset so that g(0) = 0 exactly:
    /// g(x) = (10^(-3(1-x)) - 10^-3) / (1 - 10^-3).
    /// </summary>
    Exponential,

    /// <summary>Mirror of <see cref="Exponential"/> (fast start, slow end): g(x) = 1 - Exponential(1 - x).</summary>
    Logarithmic,

    /// <summary>Quarter-wave sine, g(x) = sin(x·π/2): a fade-in and fade-out that overlap sum to constant power.</summary>
    EqualPower,

    /// <summary>Raised cosine (smooth S-curve with zero slope at both ends): g(x) = (1 - cos(π·x)) / 2.</summary>
    SCurve,
}
