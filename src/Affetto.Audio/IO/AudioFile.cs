using System.Buffers;
using Affetto.Audio.Interop;

namespace Affetto.Audio.IO;

/// <summary>Reads and writes audio files through libsndfile, with librosa.load's semantics for reading.</summary>
public static class AudioFile
{
    // Header frame counts are trusted for preallocation only up to this many samples or 32 per file byte,
    // so a tiny corrupt file that declares billions of frames cannot allocate gigabytes before it fails.
    private const long TrustedSamples = 1L << 26;
    private const int InitialSamples = 1 << 20;

    /// <summary>Reads the header of <paramref name="path"/> without decoding audio.</summary>
    /// <exception cref="AudioException">Missing file or native library.</exception>
    /// <exception cref="AudioDecodeException">Unrecognised, malformed or out-of-limits file.</exception>
    public static AudioInfo ReadInfo(string path)
    {
        using var source = SndfileSource.Open(path);
        return source.Info;
    }

    /// <summary>
    /// Decodes <paramref name="path"/> like <c>librosa.load</c>: float samples, optionally a window
    /// (<paramref name="offset"/>, <paramref name="duration"/> in seconds, cut at the native rate), a mono downmix
    /// (mean of channels) and soxr HQ resampling to <paramref name="sampleRate"/>. Multichannel output is interleaved.
    /// </summary>
    /// <param name="path">Audio file.</param>
    /// <param name="sampleRate">Output rate in Hz, or <see langword="null"/> for the native rate (librosa's <c>sr=None</c>).</param>
    /// <param name="mono">Downmix to one channel.</param>
    /// <param name="offset">Start in seconds, &gt;= 0.</param>
    /// <param name="duration">Length in seconds, &gt; 0, or <see langword="null"/> for the rest of the file.</param>
    /// <exception cref="ArgumentOutOfRangeException">Negative offset, duration &lt;= 0, sampleRate outside 1..768000.</exception>
    /// <exception cref="AudioException">Missing file or native library; result too large for one array.</exception>
    /// <exception cref="AudioDecodeException">Unrecognised, truncated or corrupt file, NaN/infinite samples, out-of-limits header.</exception>
    public static AudioBuffer Load(string path, int? sampleRate = 22050, bool mono = true, double offset = 0, double? duration = null)
    {
        using var reader = AudioStreamReader.Open(path, sampleRate, mono, offset, duration);
        int channels = reader.Channels;
        long expected = reader.ExpectedFrames;
        long fileBytes = new FileInfo(path).Length;
        long trusted = Math.Max(TrustedSamples, fileBytes * 32);
        long initial = expected >= 0 && expected * channels <= trusted
            ? expected * channels
            : Math.Min(InitialSamples, expected >= 0 ? expected * channels : InitialSamples);
        initial = Math.Min(Math.Max(initial, channels), Array.MaxLength / channels * channels);

        var samples = GC.AllocateUninitializedArray<float>((int)initial);
        PageFaults.Prefault(samples);
        long filled = 0;
        float[]? probe = null;
        try
        {
            while (true)
            {
                if (filled == samples.Length)
                {
                    // Full: usually because the expected length was exact. Probe with a small buffer before growing.
                    probe ??= ArrayPool<float>.Shared.Rent(4096 * channels);
                    int extra = reader.Read(probe.AsSpan(0, 4096 * channels));
                    if (extra == 0)
                        break;
                    long limit = Array.MaxLength / channels * channels;
                    if (samples.Length + (long)extra * channels > limit)
                        throw new AudioException($"{path}: too long to load into one array; read it with AudioStreamReader") { Path = path };
                    long grown = Math.Min(Math.Max((long)samples.Length * 2, samples.Length + (long)extra * channels), limit);
                    var bigger = GC.AllocateUninitializedArray<float>((int)grown);
                    PageFaults.Prefault(bigger);
                    samples.AsSpan().CopyTo(bigger);
                    probe.AsSpan(0, extra * channels).CopyTo(bigger.AsSpan(samples.Length));
                    samples = bigger;
                    filled += (long)extra * channels;
                    continue;
                }
                int n = reader.Read(samples.AsSpan((int)filled));
                if (n == 0)
                    break;
                filled += (long)n * channels;
            }
        }
        finally
        {
            if (probe is not null)
                ArrayPool<float>.Shared.Return(probe);
        }
        if (filled != samples.Length)
            Array.Resize(ref samples, (int)filled);
        return new AudioBuffer(samples, reader.SampleRate, channels);
    }

    /// <summary>
    /// Writes interleaved <paramref name="samples"/> to <paramref name="path"/> through libsndfile. The container
    /// follows the extension: .wav, .flac, .aiff/.aif, .au/.snd, .ogg (Vorbis), .opus (Ogg Opus; 8/12/16/24/48 kHz
    /// only), .mp3. PCM formats clip to [-1, 1]. The file is written to a temporary name and moved into place.
    /// </summary>
    /// <param name="path">Destination file; its extension selects the container.</param>
    /// <param name="samples">Interleaved samples, finite; length a multiple of <paramref name="channels"/>.</param>
    /// <param name="sampleRate">Sample rate in Hz, 1..768000.</param>
    /// <param name="channels">Channel count, 1..64.</param>
    /// <param name="format">Sample encoding for lossless containers; ignored by .ogg, .opus and .mp3.</param>
    /// <exception cref="ArgumentException">Unknown extension, bad rate/channels, non-finite samples, or an encoding the container cannot hold.</exception>
    /// <exception cref="AudioException">libsndfile cannot create or write the file.</exception>
    public static unsafe void Save(string path, ReadOnlySpan<float> samples, int sampleRate, int channels = 1, AudioSampleFormat format = AudioSampleFormat.Pcm16)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (sampleRate < AudioLimits.MinSampleRate || sampleRate > AudioLimits.MaxSampleRate)
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"sampleRate must be {AudioLimits.MinSampleRate}..{AudioLimits.MaxSampleRate} Hz, got {sampleRate}");
        if (channels < 1 || channels > AudioLimits.MaxChannels)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, $"channels must be 1..{AudioLimits.MaxChannels}, got {channels}");
        if (samples.Length % channels != 0)
            throw new ArgumentException($"samples length {samples.Length} is not a multiple of channels {channels}", nameof(samples));
        int bad = SampleOps.FirstNonFinite(samples);
        if (bad >= 0)
            throw new ArgumentException($"{path}: sample {bad} is {samples[bad]}; only finite samples can be saved", nameof(samples));

        int sfFormat = ContainerFormat(path, format, out bool pcm);
        NativeMethods.EnsureSndfile();
        var info = new SfInfo { SampleRate = sampleRate, Channels = channels, Format = sfFormat };
        if (NativeMethods.sf_format_check(ref info) == 0)
            throw new ArgumentException($"{path}: libsndfile cannot write {SndfileFormats.MajorName(sfFormat)} {SndfileFormats.SubtypeName(sfFormat)} with {channels} channels at {sampleRate} Hz", nameof(format));

        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        if (!Directory.Exists(directory))
            throw new AudioException($"{path}: cannot be written: directory {directory} does not exist") { Path = path };
        string temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var handle = NativeMethods.sf_open(temporary, NativeMethods.SFM_WRITE, ref info))
            {
                if (handle.IsInvalid)
                {
                    string text = NativeMethods.PtrToString(NativeMethods.sf_strerror_global(0)).TrimEnd('.', ' ');
                    throw new AudioException($"{path}: cannot be written (libsndfile: {text})") { Path = path };
                }
                if (pcm)
                {
                    int on = 1; // SFC_SET_CLIPPING takes its flag as the size argument
                    NativeMethods.sf_command(handle, NativeMethods.SFC_SET_CLIPPING, null, on);
                }
                WriteAll(handle, path, samples, channels, pcm);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    private static unsafe void WriteAll(SndfileHandle handle, string path, ReadOnlySpan<float> samples, int channels, bool clip)
    {
        int blockSamples = AudioStreamReader.BlockFrames * channels;
        float[]? scratch = clip ? ArrayPool<float>.Shared.Rent(Math.Min(blockSamples, Math.Max(samples.Length, channels))) : null;
        try
        {
            for (int start = 0; start < samples.Length; start += blockSamples)
            {
                var block = samples.Slice(start, Math.Min(blockSamples, samples.Length - start));
                if (scratch is not null)
                {
                    SampleOps.ClipUnit(block, scratch);
                    block = scratch.AsSpan(0, block.Length);
                }
                long frames = block.Length / channels;
                long done;
                fixed (float* p = block)
                    done = NativeMethods.sf_writef_float(handle, p, frames);
                if (done != frames)
                {
                    string text = NativeMethods.PtrToString(NativeMethods.sf_strerror(handle)).TrimEnd('.', ' ');
                    throw new AudioException($"{path}: write failed after {start / channels + done} frames (libsndfile: {text})") { Path = path };
                }
            }
        }
        finally
        {
            if (scratch is not null)
                ArrayPool<float>.Shared.Return(scratch);
        }
    }

    private static int ContainerFormat(string path, AudioSampleFormat format, out bool pcm)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        int major = extension switch
        {
            ".wav" => SndfileFormats.Wav,
            ".flac" => SndfileFormats.Flac,
            ".aiff" or ".aif" => SndfileFormats.Aiff,
            ".au" or ".snd" => SndfileFormats.Au,
            ".ogg" or ".oga" => SndfileFormats.Ogg | SndfileFormats.Vorbis,
            ".opus" => SndfileFormats.Ogg | SndfileFormats.Opus,
            ".mp3" => SndfileFormats.Mpeg | SndfileFormats.MpegLayer3,
            _ => throw new ArgumentException($"{path}: unknown audio extension '{extension}' (use .wav, .flac, .aiff, .au, .ogg, .opus or .mp3)", nameof(path)),
        };
        pcm = false;
        if ((major & NativeMethods.SF_FORMAT_SUBMASK) != 0)
            return major; // lossy codecs choose their own encoding
        pcm = format != AudioSampleFormat.Float32;
        int subtype = format switch
        {
            AudioSampleFormat.Pcm16 => SndfileFormats.Pcm16,
            AudioSampleFormat.Pcm24 => SndfileFormats.Pcm24,
            AudioSampleFormat.Pcm32 => SndfileFormats.Pcm32,
            AudioSampleFormat.Float32 => SndfileFormats.Float,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, $"unknown sample format {format}"),
        };
        return major | subtype;
    }
}
