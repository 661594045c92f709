namespace Affetto.Audio.Transforms;

/// <summary>How a centred STFT pads the signal edges (numpy.pad modes used by librosa).</summary>
public enum PadMode
{
    /// <summary>Zeros (librosa 0.10 default <c>pad_mode="constant"</c>).</summary>
    Constant,
    /// <summary>Mirror without repeating the edge sample (numpy <c>reflect</c>; torch's default).</summary>
    Reflect,
}
