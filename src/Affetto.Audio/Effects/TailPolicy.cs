namespace Affetto.Audio.Effects;

/// <summary>What <see cref="Segmenter"/> does with the end of a signal that does not fill a whole window.</summary>
public enum TailPolicy
{
    /// <summary>Only whole windows are returned; a partial last window is dropped (a signal shorter than one window gives none).</summary>
    Drop,

    /// <summary>
    /// One more window is returned that covers the end of the signal; its samples past the end are zeros. No window
    /// starts past the end, so when the hop is longer than the window the samples in the last gap stay uncovered.
    /// </summary>
    PadWithZeros,
}
