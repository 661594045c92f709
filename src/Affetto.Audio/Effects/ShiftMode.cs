namespace Affetto.Audio.Effects;

/// <summary>How <see cref="Augmenter.TimeShift"/> treats samples shifted past an end of the signal.</summary>
public enum ShiftMode
{
    /// <summary>Samples that leave one end re-enter at the other (rotation).</summary>
    Circular,

    /// <summary>Samples that leave are dropped and the vacated part is filled with zeros.</summary>
    ZeroFill,
}
