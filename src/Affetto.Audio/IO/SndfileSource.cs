using System.Globalization;
using System.Text.RegularExpressions;
using Affetto.Audio.Interop;

namespace Affetto.Audio.IO;

/// <summary>
/// One open file decoded by libsndfile, restricted to a window of frames: validates the header, seeks to the
/// window start, reads interleaved float blocks, and turns every failure into an <see cref="AudioException"/>
/// naming the file (short reads against an exact frame count, libsndfile errors, non-finite samples).
/// </summary>
internal sealed partial class SndfileSource : IDisposable
{
    // sf_error(NULL), sf_strerror(NULL) and the open log are process-global in libsndfile: read them under
    // the same lock as the sf_open that set them.
    private static readonly Lock s_openLock = new();

    private readonly SndfileHandle _handle;
    private bool _opusCandidate;            // Ogg Opus read from the start: try OggOpusDecoder at the first read
    private OggOpusDecoder? _opus;          // plain Ogg Opus, decoded without libsndfile's overhead
    private readonly string _path;
    private readonly long _exactEnd;   // frames libsndfile guarantees, or -1 when its count is an estimate
    private readonly long _end;        // window end (exclusive), long.MaxValue when open-ended
    private long _position;
    private bool _done;

    private SndfileSource(SndfileHandle handle, bool opusCandidate, string path, AudioInfo info, int format, long start, long end, bool empty)
    {
        _handle = handle;
        _opusCandidate = opusCandidate;
        _path = path;
        Info = info;
        bool known = info.Frames >= 0 && info.Frames != long.MaxValue;
        _exactEnd = known && SndfileFormats.HasExactFrameCount(format) ? info.Frames : -1;
        _position = start;
        _end = end;
        _done = empty;
        long estimateEnd = known ? Math.Min(info.Frames, end) : end;
        WindowFrames = empty ? 0 : estimateEnd == long.MaxValue ? -1 : Math.Max(0, estimateEnd - start);
    }

    /// <summary>Whether the samples come from <see cref="OggOpusDecoder"/> rather than from libsndfile (known after the first read).</summary>
    public bool DecodesOpusDirectly => _opus is not null;

    /// <summary>The header information.</summary>
    public AudioInfo Info { get; }

    /// <summary>Frames the window should yield (exact for WAV/AIFF/AU/FLAC, an estimate otherwise), or -1 if unknown.</summary>
    public long WindowFrames { get; }

    /// <summary>Opens and validates <paramref name="path"/>; offset and duration (seconds) select the window.</summary>
    /// <param name="path">The file.</param>
    /// <param name="offset">Window start in seconds.</param>
    /// <param name="duration">Window length in seconds, or null for the rest of the file.</param>
    /// <param name="directOpus">Decode plain Ogg Opus read from the start with <see cref="OggOpusDecoder"/> (same
    /// samples, faster); false forces libsndfile, which tests compare against.</param>
    public static SndfileSource Open(string path, double offset = 0, double? duration = null, bool directOpus = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!double.IsFinite(offset) || offset < 0)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"offset must be a finite number of seconds >= 0, got {offset}");
        if (duration is { } d && (!double.IsFinite(d) || d <= 0))
            throw new ArgumentOutOfRangeException(nameof(duration), duration, $"duration must be a finite number of seconds > 0 (or null for the rest of the file), got {d}");
        NativeMethods.EnsureSndfile();

        if (Directory.Exists(path))
            throw new AudioException($"{path}: is a directory, not an audio file") { Path = path };
        var file = new FileInfo(path);
        if (!file.Exists)
            throw new AudioException($"{path}: file not found", new FileNotFoundException(null, path)) { Path = path };
        if (file.Length == 0)
            throw new AudioDecodeException($"{path}: file is empty", path);

        var sfInfo = default(SfInfo);
        SndfileHandle handle;
        lock (s_openLock)
        {
            handle = NativeMethods.sf_open(path, NativeMethods.SFM_READ, ref sfInfo);
            if (handle.IsInvalid)
            {
                int code = NativeMethods.sf_error_global(0);
                string text = NativeMethods.PtrToString(NativeMethods.sf_strerror_global(0)).TrimEnd('.', ' ');
                string log = ReadOpenLog();
                handle.Dispose();
                throw OpenFailure(path, code, text, log);
            }
        }

        try
        {
            if (sfInfo.SampleRate < AudioLimits.MinSampleRate || sfInfo.SampleRate > AudioLimits.MaxSampleRate)
                throw new AudioDecodeException($"{path}: unsupported sample rate {sfInfo.SampleRate} Hz (supported: {AudioLimits.MinSampleRate}..{AudioLimits.MaxSampleRate} Hz)", path);
            if (sfInfo.Channels < 1 || sfInfo.Channels > AudioLimits.MaxChannels)
                throw new AudioDecodeException($"{path}: unsupported channel count {sfInfo.Channels} (supported: 1..{AudioLimits.MaxChannels})", path);

            var info = new AudioInfo(path, SndfileFormats.MajorName(sfInfo.Format), SndfileFormats.SubtypeName(sfInfo.Format),
                sfInfo.SampleRate, sfInfo.Channels, sfInfo.Frames);

            // librosa: start = int(offset * sr), length = int(duration * sr) (truncation, not rounding).
            long start = (long)Math.Min(offset * sfInfo.SampleRate, long.MaxValue / 2);
            long end = duration is { } dur ? start + (long)Math.Min(dur * sfInfo.SampleRate, long.MaxValue / 4) : long.MaxValue;
            bool known = sfInfo.Frames >= 0 && sfInfo.Frames != long.MaxValue;
            bool empty = start == end || (known && start >= sfInfo.Frames && start > 0);
            if (start > 0 && !empty && NativeMethods.sf_seek(handle, start, NativeMethods.SEEK_SET) < 0)
            {
                if (SndfileFormats.HasExactFrameCount(sfInfo.Format))
                {
                    string text = NativeMethods.PtrToString(NativeMethods.sf_strerror(handle)).TrimEnd('.', ' ');
                    throw new AudioDecodeException($"{path}: cannot seek to frame {start} (libsndfile: {text})", path, text);
                }
                empty = true; // estimated length was too long: the offset lies past the real end
            }
            bool opusCandidate = directOpus && start == 0 && !empty && (sfInfo.Format & NativeMethods.SF_FORMAT_SUBMASK) == NativeMethods.SF_FORMAT_OPUS
                && (sfInfo.Format & NativeMethods.SF_FORMAT_TYPEMASK) == NativeMethods.SF_FORMAT_OGG;
            return new SndfileSource(handle, opusCandidate, path, info, sfInfo.Format, start, end, empty);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decodes up to <c>destination.Length / Channels</c> frames, interleaved. Fills the span unless the window or
    /// the file ends; returns the frames written, 0 once finished.
    /// </summary>
    public unsafe int Read(Span<float> destination)
    {
        if (_done)
            return 0;
        if (_opusCandidate)
        {
            _opusCandidate = false;
            _opus = OggOpusDecoder.TryOpen(_path, Info.SampleRate, Info.Channels); // not at open: `info` never reads
        }
        int channels = Info.Channels;
        long want = Math.Min(destination.Length / channels, _end - _position);
        if (want <= 0)
        {
            _done = _position >= _end;
            return 0;
        }

        long total = 0;
        string? libraryError = null;
        fixed (float* p = destination)
        {
            // Read in blocks so that the non-finite check runs on data still in cache. A short count is the end,
            // a decoder error (sf_error is set only until the next call, so read it now), or just a short count
            // from a codec that returns less before the end: only 0 means "no more".
            while (total < want)
            {
                long requested = Math.Min(want - total, AudioStreamReader.BlockFrames);
                long got = _opus is null
                    ? NativeMethods.sf_readf_float(_handle, p + total * channels, requested)
                    : _opus.Read(p + total * channels, (int)requested);
                if (got > 0)
                {
                    int bad = SampleOps.FirstNonFinite(new ReadOnlySpan<float>(p + total * channels, (int)(got * channels)));
                    if (bad >= 0)
                        throw new AudioDecodeException($"{_path}: contains NaN or infinite samples (first at frame {_position + total + bad / channels})", _path);
                    total += got;
                }
                if (got < requested && NativeMethods.sf_error(_handle) != 0)
                {
                    libraryError = NativeMethods.PtrToString(NativeMethods.sf_strerror(_handle)).TrimEnd('.', ' ');
                    break;
                }
                if (got <= 0)
                    break;
            }
        }

        _position += total;

        if (total < want)
        {
            if (libraryError is not null)
                throw new AudioDecodeException($"{_path}: file is truncated or corrupt at frame {_position} (libsndfile: {libraryError})", _path, libraryError);
            if (_exactEnd >= 0 && _position < Math.Min(_exactEnd, _end))
                throw new AudioDecodeException($"{_path}: file is truncated or corrupt at frame {_position} (header declares {_exactEnd} frames)", _path);
            _done = true;
        }
        return (int)total;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _opus?.Dispose();
        _handle.Dispose();
    }

    private static unsafe string ReadOpenLog()
    {
        const int size = 8192;
        byte* buffer = stackalloc byte[size];
        int length = NativeMethods.sf_command_global(0, NativeMethods.SFC_GET_LOG_INFO, buffer, size);
        if (length <= 0)
            return string.Empty;
        return System.Text.Encoding.UTF8.GetString(buffer, Math.Min(length, size));
    }

    private static AudioException OpenFailure(string path, int code, string text, string log)
    {
        switch (code)
        {
            case NativeMethods.SF_ERR_SYSTEM:
                return new AudioException($"{path}: cannot be opened (libsndfile: {text})") { Path = path };
            case NativeMethods.SFE_BAD_SF_INFO:
            case NativeMethods.SFE_CHANNEL_COUNT_ZERO:
            case NativeMethods.SFE_CHANNEL_COUNT:
                // libsndfile rejects some out-of-range headers itself; its log still has the values it read.
                if (LogValue(ChannelsLine(), log) is { } channels && (channels < 1 || channels > AudioLimits.MaxChannels))
                    return new AudioDecodeException($"{path}: unsupported channel count {channels} (supported: 1..{AudioLimits.MaxChannels})", path, text);
                if (LogValue(SampleRateLine(), log) is { } rate && (rate < AudioLimits.MinSampleRate || rate > AudioLimits.MaxSampleRate))
                    return new AudioDecodeException($"{path}: unsupported sample rate {rate} Hz (supported: {AudioLimits.MinSampleRate}..{AudioLimits.MaxSampleRate} Hz)", path, text);
                return new AudioDecodeException($"{path}: malformed or unsupported audio file (libsndfile: {text})", path, text);
            case 1:
                return new AudioDecodeException($"{path}: not a recognised audio format (libsndfile: {text})", path, text);
            case 7:
                // "File does not exist or is not a regular file": we checked it is one, so no decoder took the data.
                return new AudioDecodeException($"{path}: not a recognised audio format (libsndfile: no decoder accepted the data)", path, text);
            default:
                return new AudioDecodeException($"{path}: malformed or unsupported audio file (libsndfile: {text})", path, text);
        }
    }

    private static long? LogValue(Regex pattern, string log)
    {
        var match = pattern.Match(log);
        return match.Success && long.TryParse(match.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : null;
    }

    [GeneratedRegex(@"^\s*Channels\s*:\s*(-?\d+)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex ChannelsLine();

    [GeneratedRegex(@"^\s*Sample Rate\s*:\s*(-?\d+)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex SampleRateLine();
}
