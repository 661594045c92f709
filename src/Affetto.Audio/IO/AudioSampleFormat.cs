namespace Affetto.Audio.IO;

/// <summary>Sample encoding for <see cref="AudioFile.Save"/> in lossless containers (ignored for .ogg, .opus, .mp3).</summary>
public enum AudioSampleFormat
{
    /// <summary>16-bit signed integer PCM (samples are clipped to [-1, 1]).</summary>
    Pcm16,

    /// <summary>24-bit signed integer PCM (samples are clipped to [-1, 1]).</summary>
    Pcm24,

    /// <summary>32-bit signed integer PCM (samples are clipped to [-1, 1]); not available in FLAC.</summary>
    Pcm32,

    /// <summary>32-bit IEEE float, stored unclipped; WAV, AIFF and AU only.</summary>
    Float32,
}
