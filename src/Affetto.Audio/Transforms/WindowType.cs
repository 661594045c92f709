namespace Affetto.Audio.Transforms;

/// <summary>Analysis window shapes (scipy.signal.get_window names).</summary>
public enum WindowType
{
    /// <summary>Hann (raised cosine); librosa's default <c>'hann'</c>.</summary>
    Hann,
    /// <summary>Hamming: 0.54 - 0.46 cos.</summary>
    Hamming,
    /// <summary>Blackman: 0.42 - 0.5 cos + 0.08 cos 2.</summary>
    Blackman,
    /// <summary>Rectangular (all ones, scipy <c>'boxcar'</c>).</summary>
    Rectangular,
}
