namespace Affetto.Audio.IO;

/// <summary>Decoded audio in memory: float samples in [-1, 1] (nominally), interleaved when multichannel.</summary>
public sealed class AudioBuffer
{
    /// <summary>Wraps <paramref name="samples"/> without copying.</summary>
    /// <param name="samples">Interleaved samples; the length must be a multiple of <paramref name="channels"/>.</param>
    /// <param name="sampleRate">Sample rate in Hz, positive.</param>
    /// <param name="channels">Channel count, positive.</param>
    public AudioBuffer(float[] samples, int sampleRate, int channels)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sampleRate, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(channels, 0);
        if (samples.Length % channels != 0)
            throw new ArgumentException($"samples length {samples.Length} is not a multiple of channels {channels}", nameof(samples));
        Samples = samples;
        SampleRate = sampleRate;
        Channels = channels;
    }

    /// <summary>The samples, interleaved (frame 0 channel 0, frame 0 channel 1, ...) when <see cref="Channels"/> &gt; 1.</summary>
    public float[] Samples { get; }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Channel count.</summary>
    public int Channels { get; }

    /// <summary>Frames (samples per channel).</summary>
    public long Frames => Samples.Length / Channels;

    /// <summary>Length in seconds.</summary>
    public double Duration => Frames / (double)SampleRate;
}
