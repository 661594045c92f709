using Affetto.Audio.Interop;

namespace Affetto.Audio.IO;

/// <summary>
/// Block-by-block sample-rate conversion with libsoxr (HQ recipe, float32 interleaved). Feed input with
/// <see cref="Process"/>, then call <see cref="Flush"/> until it returns 0 to drain the filter delay.
/// Output is soxr's own stream; trimming to librosa's length is done by <see cref="Resampler"/> and
/// <see cref="AudioStreamReader"/>.
/// </summary>
public sealed class StreamingResampler : IDisposable
{
    private readonly SoxrHandle _soxr;
    private bool _flushing;

    /// <summary>Creates a converter from <paramref name="inputRate"/> to <paramref name="outputRate"/> Hz.</summary>
    /// <param name="inputRate">Input sample rate in Hz, positive.</param>
    /// <param name="outputRate">Output sample rate in Hz, positive.</param>
    /// <param name="channels">Interleaved channels, 1..<see cref="AudioLimits.MaxChannels"/>.</param>
    public StreamingResampler(int inputRate, int outputRate, int channels = 1)
    {
        if (inputRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputRate), inputRate, $"inputRate must be positive, got {inputRate}");
        if (outputRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(outputRate), outputRate, $"outputRate must be positive, got {outputRate}");
        if (channels < 1 || channels > AudioLimits.MaxChannels)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, $"channels must be 1..{AudioLimits.MaxChannels}, got {channels}");
        NativeMethods.EnsureSoxr();
        var quality = NativeMethods.soxr_quality_spec(NativeMethods.SOXR_HQ, 0);
        _soxr = NativeMethods.soxr_create(inputRate, outputRate, (uint)channels, out nint error, 0, quality, 0);
        if (error != 0 || _soxr.IsInvalid)
        {
            _soxr.Dispose();
            throw new AudioException($"soxr could not create a {inputRate} Hz -> {outputRate} Hz resampler: {NativeMethods.PtrToString(error)}");
        }
        InputRate = inputRate;
        OutputRate = outputRate;
        Channels = channels;
    }

    /// <summary>Input sample rate in Hz.</summary>
    public int InputRate { get; }

    /// <summary>Output sample rate in Hz.</summary>
    public int OutputRate { get; }

    /// <summary>Interleaved channel count of input and output.</summary>
    public int Channels { get; }

    /// <summary>
    /// Converts as much of <paramref name="input"/> as fits; returns the output frames written and reports the
    /// input frames consumed (call again with the rest). Spans hold whole interleaved frames.
    /// </summary>
    public unsafe int Process(ReadOnlySpan<float> input, Span<float> output, out int inputFramesConsumed)
    {
        ObjectDisposedException.ThrowIf(_soxr.IsClosed, this);
        if (_flushing)
            throw new InvalidOperationException("Process was called after Flush; call Reset to start a new stream");
        CheckWhole(input.Length, nameof(input));
        CheckWhole(output.Length, nameof(output));
        if (input.IsEmpty)
        {
            inputFramesConsumed = 0;
            return 0;
        }
        fixed (float* pin = input)
        fixed (float* pout = output)
        {
            nint error = NativeMethods.soxr_process(_soxr, pin, (nuint)(input.Length / Channels), out nuint idone,
                pout, (nuint)(output.Length / Channels), out nuint odone);
            ThrowIfError(error);
            inputFramesConsumed = (int)idone;
            return (int)odone;
        }
    }

    /// <summary>
    /// Signals the end of input and writes the remaining output (the filter tail). Call until it returns 0.
    /// </summary>
    public unsafe int Flush(Span<float> output)
    {
        ObjectDisposedException.ThrowIf(_soxr.IsClosed, this);
        CheckWhole(output.Length, nameof(output));
        _flushing = true;
        if (output.IsEmpty)
            return 0;
        fixed (float* pout = output)
        {
            nint error = NativeMethods.soxr_process(_soxr, null, 0, out _, pout, (nuint)(output.Length / Channels), out nuint odone);
            ThrowIfError(error);
            return (int)odone;
        }
    }

    /// <summary>Forgets all buffered input so a new, unrelated stream can start.</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_soxr.IsClosed, this);
        ThrowIfError(NativeMethods.soxr_clear(_soxr));
        _flushing = false;
    }

    /// <summary>Frees the native resampler.</summary>
    public void Dispose() => _soxr.Dispose();

    private void CheckWhole(int length, string name)
    {
        if (length % Channels != 0)
            throw new ArgumentException($"{name} length {length} is not a multiple of the channel count {Channels}", name);
    }

    private static void ThrowIfError(nint error)
    {
        if (error != 0)
            throw new AudioException($"soxr failed: {NativeMethods.PtrToString(error)}");
    }
}
