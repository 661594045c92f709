using System.Buffers;

namespace Affetto.Audio.IO;

/// <summary>
/// Streams a file as float blocks with bounded memory: libsndfile decoding, optional mono downmix and streaming
/// soxr resampling, all through fixed-size pooled buffers. <see cref="AudioFile.Load"/> is built on it.
/// One instance is for one thread at a time; separate instances may run in parallel.
/// </summary>
public sealed class AudioStreamReader : IDisposable
{
    /// <summary>Frames decoded per libsndfile call.</summary>
    internal const int BlockFrames = 16384;

    private readonly SndfileSource _source;
    private readonly StreamingResampler? _resampler;
    private readonly bool _downmix;
    private readonly int _sourceChannels;
    private float[]? _block;       // decoded interleaved frames (pooled)
    private float[]? _mono;        // downmixed frames awaiting the resampler (pooled)
    private int _pendingOffset;    // resampler input staged in _mono or _block
    private int _pendingFrames;
    private long _inputFrames;     // frames handed to the resampler
    private long _outputFrames;    // frames returned to the caller
    private long _targetFrames = -1;
    private bool _sourceDone;
    private bool _flushDone;
    private bool _disposed;

    private AudioStreamReader(SndfileSource source, int? sampleRate, bool mono)
    {
        _source = source;
        var info = source.Info;
        _sourceChannels = info.Channels;
        _downmix = mono && info.Channels > 1;
        Channels = mono ? 1 : info.Channels;
        SampleRate = sampleRate ?? info.SampleRate;
        if (_downmix || SampleRate != info.SampleRate)
            _block = ArrayPool<float>.Shared.Rent(BlockFrames * _sourceChannels);
        if (SampleRate != info.SampleRate)
        {
            _resampler = ResamplerPool.Rent(info.SampleRate, SampleRate, Channels);
            if (_downmix)
                _mono = ArrayPool<float>.Shared.Rent(BlockFrames);
        }
        long window = source.WindowFrames;
        ExpectedFrames = window < 0 ? -1 : _resampler is null ? window : Resampler.OutputLength(window, info.SampleRate, SampleRate);
    }

    /// <summary>The file's header information (native rate and channels).</summary>
    public AudioInfo Info => _source.Info;

    /// <summary>Output sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Output channel count (1 when downmixing).</summary>
    public int Channels { get; }

    /// <summary>Output frames the reader expects to produce (exact for lossless files), or -1 when unknown.</summary>
    internal long ExpectedFrames { get; }

    /// <summary>
    /// Opens <paramref name="path"/> for block reading with librosa.load's options.
    /// </summary>
    /// <param name="path">Audio file (WAV, AIFF, AU, FLAC, Ogg Vorbis/Opus, MP3, ...).</param>
    /// <param name="sampleRate">Output rate in Hz (1..768000), or <see langword="null"/> for the native rate.</param>
    /// <param name="mono">Downmix to one channel (mean of channels).</param>
    /// <param name="offset">Start, in seconds from the beginning (frame <c>(long)(offset * nativeRate)</c>).</param>
    /// <param name="duration">Length in seconds (<c>(long)(duration * nativeRate)</c> native frames), or null for the rest.</param>
    /// <exception cref="ArgumentOutOfRangeException">Negative or non-finite offset, duration &lt;= 0, sampleRate outside 1..768000.</exception>
    /// <exception cref="AudioException">Missing file or native library.</exception>
    /// <exception cref="AudioDecodeException">Unreadable, corrupt or out-of-limits file.</exception>
    public static AudioStreamReader Open(string path, int? sampleRate = 22050, bool mono = true, double offset = 0, double? duration = null)
    {
        if (sampleRate is { } rate && (rate < AudioLimits.MinSampleRate || rate > AudioLimits.MaxSampleRate))
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"sampleRate must be {AudioLimits.MinSampleRate}..{AudioLimits.MaxSampleRate} Hz or null for the native rate, got {rate}");
        var source = SndfileSource.Open(path, offset, duration);
        try
        {
            return new AudioStreamReader(source, sampleRate, mono);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes up to <c>destination.Length / Channels</c> interleaved output frames. Fills the whole span unless the
    /// stream ends; returns the frames written, 0 at the end.
    /// </summary>
    public int Read(Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int capacity = destination.Length / Channels;
        if (destination.Length > 0 && capacity == 0)
            throw new ArgumentException($"destination must hold at least one frame ({Channels} samples)", nameof(destination));
        return _resampler is null ? ReadDirect(destination, capacity) : ReadResampled(destination, capacity);
    }

    private int ReadDirect(Span<float> destination, int capacity)
    {
        if (!_downmix)
            return _source.Read(destination[..(capacity * Channels)]);  // decode straight into the caller's span

        int written = 0;
        while (written < capacity)
        {
            int want = Math.Min(capacity - written, BlockFrames);
            int got = _source.Read(_block.AsSpan(0, want * _sourceChannels));
            if (got == 0)
                break;
            SampleOps.DownmixToMono(_block.AsSpan(0, got * _sourceChannels), _sourceChannels, destination.Slice(written, got));
            written += got;
        }
        return written;
    }

    private int ReadResampled(Span<float> destination, int capacity)
    {
        var resampler = _resampler!;
        int channels = Channels;
        int written = 0;
        while (written < capacity)
        {
            var output = destination.Slice(written * channels, (capacity - written) * channels);
            if (_pendingFrames == 0 && !_sourceDone)
                Refill();
            if (_pendingFrames > 0)
            {
                var staged = (_downmix ? _mono! : _block!).AsSpan(_pendingOffset * channels, _pendingFrames * channels);
                int produced = resampler.Process(staged, output, out int consumed);
                _pendingOffset += consumed;
                _pendingFrames -= consumed;
                _inputFrames += consumed;
                written += produced;
                _outputFrames += produced;
                if (produced == 0 && consumed == 0)
                    throw new AudioException($"{Info.Path}: soxr made no progress resampling {resampler.InputRate} Hz -> {resampler.OutputRate} Hz") { Path = Info.Path };
                continue;
            }

            // Input exhausted: drain the filter, then trim or zero-pad to librosa's ceil(n * ratio) length.
            if (_targetFrames < 0)
                _targetFrames = Resampler.OutputLength(_inputFrames, resampler.InputRate, resampler.OutputRate);
            long remaining = _targetFrames - _outputFrames;
            if (remaining <= 0)
                break;
            int room = (int)Math.Min(remaining, capacity - written);
            int n = 0;
            if (!_flushDone)
            {
                n = resampler.Flush(output[..(room * channels)]);
                _flushDone = n == 0;
            }
            if (_flushDone)
            {
                n = room;
                output[..(n * channels)].Clear();
            }
            written += n;
            _outputFrames += n;
        }
        return written;
    }

    private void Refill()
    {
        int got = _source.Read(_block.AsSpan(0, BlockFrames * _sourceChannels));
        if (got == 0)
        {
            _sourceDone = true;
            return;
        }
        if (_downmix)
            SampleOps.DownmixToMono(_block.AsSpan(0, got * _sourceChannels), _sourceChannels, _mono.AsSpan(0, got));
        _pendingOffset = 0;
        _pendingFrames = got;
    }

    /// <summary>Closes the file and returns the pooled buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_resampler is not null)
            ResamplerPool.Return(_resampler);
        _source.Dispose();
        if (_block is not null)
            ArrayPool<float>.Shared.Return(_block);
        if (_mono is not null)
            ArrayPool<float>.Shared.Return(_mono);
        _block = _mono = null;
    }
}
