namespace Affetto.Audio.IO;

/// <summary>One-shot sample-rate conversion with libsoxr's HQ recipe (librosa's default <c>res_type='soxr_hq'</c>).</summary>
public static class Resampler
{
    /// <summary>
    /// Resamples interleaved <paramref name="input"/> from <paramref name="inputRate"/> to <paramref name="outputRate"/>.
    /// The result has <c>ceil(frames * outputRate / inputRate)</c> frames (computed in double, like librosa's
    /// <c>fix_length</c>), zero-padded or trimmed from soxr's output. Equal rates return a copy.
    /// </summary>
    /// <param name="input">Interleaved samples; length a multiple of <paramref name="channels"/>.</param>
    /// <param name="inputRate">Input rate in Hz, positive.</param>
    /// <param name="outputRate">Output rate in Hz, positive.</param>
    /// <param name="channels">Interleaved channel count, 1..<see cref="AudioLimits.MaxChannels"/>.</param>
    public static float[] Resample(ReadOnlySpan<float> input, int inputRate, int outputRate, int channels = 1)
    {
        if (inputRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputRate), inputRate, $"inputRate must be positive, got {inputRate}");
        if (outputRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(outputRate), outputRate, $"outputRate must be positive, got {outputRate}");
        if (channels < 1 || channels > AudioLimits.MaxChannels)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, $"channels must be 1..{AudioLimits.MaxChannels}, got {channels}");
        if (input.Length % channels != 0)
            throw new ArgumentException($"input length {input.Length} is not a multiple of channels {channels}", nameof(input));
        if (inputRate == outputRate || input.IsEmpty)
            return input.ToArray();

        long frames = input.Length / channels;
        long outFrames = OutputLength(frames, inputRate, outputRate);
        if (outFrames * channels > Array.MaxLength)
            throw new ArgumentException($"resampling {frames} frames from {inputRate} Hz to {outputRate} Hz gives {outFrames} frames, more than an array can hold", nameof(outputRate));
        var output = new float[outFrames * channels];
        var soxr = ResamplerPool.Rent(inputRate, outputRate, channels);
        try
        {
            Convert(soxr, input, output, frames, channels, (int)outFrames);
        }
        finally
        {
            ResamplerPool.Return(soxr);
        }
        return output; // frames past what soxr wrote stay zero: librosa's fix_length pads the same way
    }

    private static void Convert(StreamingResampler soxr, ReadOnlySpan<float> input, float[] output, long frames, int channels, int capacity)
    {
        int written = 0, consumed = 0;
        while (consumed < frames && written < capacity)
        {
            int n = soxr.Process(input[(consumed * channels)..], output.AsSpan(written * channels), out int used);
            written += n;
            consumed += used;
            if (n == 0 && used == 0)
                break;
        }
        while (written < capacity)
        {
            int n = soxr.Flush(output.AsSpan(written * channels));
            if (n == 0)
                break;
            written += n;
        }
    }

    /// <summary>librosa's resampled length: <c>ceil(frames * (outputRate / inputRate))</c> in double precision.</summary>
    internal static long OutputLength(long frames, int inputRate, int outputRate) =>
        (long)Math.Ceiling(frames * ((double)outputRate / inputRate));
}
