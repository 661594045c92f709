namespace Affetto.Audio.Effects;

/// <summary>A window of a signal in samples: [<see cref="Start"/>, <see cref="End"/>).</summary>
/// <param name="Start">First sample of the window.</param>
/// <param name="Length">Window length in samples (the same for every window of a segmentation).</param>
/// <remarks>With <see cref="TailPolicy.PadWithZeros"/> the last window may extend past the end of the signal; the missing samples are zeros.</remarks>
public readonly record struct SegmentRange(int Start, int Length)
{
    /// <summary>One past the last sample of the window.</summary>
    public int End => Start + Length;
}
