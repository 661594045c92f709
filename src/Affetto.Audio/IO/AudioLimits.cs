namespace Affetto.Audio.IO;

/// <summary>
/// Limits every reader and writer enforces. Files outside them raise <see cref="AudioDecodeException"/>,
/// arguments outside them <see cref="ArgumentOutOfRangeException"/>. 768 kHz is the highest rate real converters
/// use; 64 channels covers ambisonics and large multitrack stems while rejecting garbage headers.
/// </summary>
public static class AudioLimits
{
    /// <summary>Lowest accepted sample rate, in Hz.</summary>
    public const int MinSampleRate = 1;

    /// <summary>Highest accepted sample rate, in Hz.</summary>
    public const int MaxSampleRate = 768_000;

    /// <summary>Highest accepted channel count (the lowest is 1).</summary>
    public const int MaxChannels = 64;
}
