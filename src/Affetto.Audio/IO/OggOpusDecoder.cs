using System.Buffers.Binary;
using Affetto.Audio.Interop;

namespace Affetto.Audio.IO;

/// <summary>
/// Decodes plain Ogg Opus files (one mono or stereo stream, channel mapping 0, no header gain, granule positions
/// that start at zero and add up) with libopus's single-stream decoder, giving exactly the samples libsndfile gives.
/// </summary>
/// <remarks>
/// Why not libsndfile: it decodes every Opus file through libopus's multistream API, and in Debian's libopus 1.3.1
/// each multistream packet runs the CPU-feature probe, CPUID, several times (about four per 20 ms packet, counted
/// with a debugger; the single-stream decoder never does). On a virtual
/// machine CPUID traps to the hypervisor: on the benchmark machine that was a third of all decoding time. The
/// single-stream decoder runs the same codec on the same packets without the probe. The rules below mirror
/// libsndfile's (decode rate from the header's input rate, pre-skip, end trimming by the last granule position),
/// and <see cref="TryOpen"/> declines any file that would need more, which then goes to libsndfile as before.
/// </remarks>
internal sealed unsafe class OggOpusDecoder : IDisposable
{
    private const int MaxPacketDuration = 5760; // 120 ms at 48 kHz, Opus's longest packet

    private readonly string _path;
    private readonly FileStream _file;
    private readonly OggPacketReader _packets;
    private readonly OpusDecoderHandle _decoder;
    private readonly int _channels;
    private readonly int _factor;      // 48000 / decode rate
    private readonly int _preskip;     // at 48 kHz
    private readonly float[] _pcm;
    private long _position;            // 48 kHz granule position at the start of the next packet
    private int _loc;                  // next frame of _pcm to hand out
    private int _len;                  // frames of _pcm that belong to the output

    private OggOpusDecoder(string path, FileStream file, OggPacketReader packets, OpusDecoderHandle decoder, int channels, int factor, int preskip)
    {
        _path = path;
        _file = file;
        _packets = packets;
        _decoder = decoder;
        _channels = channels;
        _factor = factor;
        _preskip = preskip;
        _pcm = new float[MaxPacketDuration / factor * channels];
    }

    /// <summary>
    /// A decoder positioned at the first sample when <paramref name="path"/> is plain Ogg Opus that libsndfile opened
    /// as <paramref name="sampleRate"/> Hz with <paramref name="channels"/> channels; otherwise null.
    /// </summary>
    public static OggOpusDecoder? TryOpen(string path, int sampleRate, int channels)
    {
        if (channels is < 1 or > 2 || !NativeMethods.OpusAvailable)
            return null;
        FileStream? file = null;
        OggPacketReader? packets = null;
        OpusDecoderHandle? decoder = null;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            // A first pass over the pages checks every rule before any sample is produced (a streaming read of the
            // file: a one-hour file costs a few tens of milliseconds more), so a file is never half decoded one way.
            int factor, preskip;
            using (var scan = new OggPacketReader(file))
            {
                if (!IsPlain(scan, sampleRate, channels, out factor, out preskip))
                    return null;
            }

            file.Position = 0;
            packets = new OggPacketReader(file);
            packets.TryReadPacket(out _); // OpusHead
            packets.TryReadPacket(out _); // OpusTags
            decoder = NativeMethods.opus_decoder_create(sampleRate, channels, out int error);
            if (error != 0 || decoder.IsInvalid)
                return null;
            var opened = new OggOpusDecoder(path, file, packets, decoder, channels, factor, preskip);
            file = null; // now owned by the decoder
            packets = null;
            decoder = null;
            return opened;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // libsndfile opened it: let it read the file and report whatever is wrong
        }
        finally
        {
            decoder?.Dispose();
            packets?.Dispose();
            file?.Dispose();
        }
    }

    /// <summary>Decodes up to <paramref name="frames"/> interleaved frames; fewer only at the end, 0 once finished.</summary>
    /// <exception cref="AudioDecodeException">libopus rejects a packet, or the file changed since it was opened.</exception>
    public int Read(float* destination, int frames)
    {
        int written = 0;
        while (written < frames)
        {
            if (_loc == _len)
            {
                if (!Refill())
                    break;
                continue;
            }
            int n = Math.Min(frames - written, _len - _loc);
            _pcm.AsSpan(_loc * _channels, n * _channels).CopyTo(new Span<float>(destination + (long)written * _channels, n * _channels));
            _loc += n;
            written += n;
        }
        return written;
    }

    /// <summary>Closes the file and frees the decoder.</summary>
    public void Dispose()
    {
        _decoder.Dispose();
        _packets.Dispose();
        _file.Dispose();
    }

    // Decodes the next packet into _pcm and sets the part of it that is output, as libsndfile does: samples before
    // the pre-skip are dropped, and on the last page those past its granule position (the encoder's padding).
    private bool Refill()
    {
        if (!_packets.TryReadPacket(out var packet))
        {
            if (_packets.Problem is { } problem)
                throw new AudioDecodeException($"{_path}: file changed while being read ({problem})", _path);
            return false;
        }
        int decoded;
        fixed (byte* data = packet)
        fixed (float* pcm = _pcm)
            decoded = NativeMethods.opus_decode_float(_decoder, data, packet.Length, pcm, MaxPacketDuration / _factor, 0);
        if (decoded < 0)
        {
            string reason = NativeMethods.PtrToString(NativeMethods.opus_strerror(decoded));
            throw new AudioDecodeException($"{_path}: corrupt Opus packet on page {_packets.PageNumber} (libopus: {reason})", _path, reason);
        }

        long end = _position + (long)decoded * _factor;
        long pageEnd = _packets.PageGranule;
        _len = end <= pageEnd || !_packets.PageIsLast ? decoded : Math.Max((int)(pageEnd - _position) / _factor, 0);
        _loc = _position < _preskip ? (int)Math.Min((_preskip - _position) / _factor, _len) : 0;
        _position = end;
        return true;
    }

    // The prescan: true when every rule the fast path relies on holds (see the class remarks).
    private static bool IsPlain(OggPacketReader packets, int sampleRate, int channels, out int factor, out int preskip)
    {
        factor = preskip = 0;
        if (!packets.TryReadPacket(out var head) || packets.PageNumber != 0 || !packets.LastOnPage || head.Length != 19
            || !head[..8].SequenceEqual("OpusHead"u8) || head[8] > 1 || head[9] != channels
            || BinaryPrimitives.ReadInt16LittleEndian(head[16..]) != 0 || head[18] != 0)
            return false;
        preskip = BinaryPrimitives.ReadUInt16LittleEndian(head[10..]);
        uint inputRate = BinaryPrimitives.ReadUInt32LittleEndian(head[12..]);
        // libsndfile decodes at the lowest Opus rate at or above the original one.
        factor = inputRate > 24000 ? 1 : inputRate > 16000 ? 2 : inputRate > 12000 ? 3 : inputRate > 8000 ? 4 : 6;
        if (48000 / factor != sampleRate)
            return false;
        if (!packets.TryReadPacket(out var tags) || packets.PageNumber < 1 || !packets.LastOnPage || tags.Length < 8
            || !tags[..8].SequenceEqual("OpusTags"u8))
            return false;

        long previous = 0, pageDuration = 0, audioPackets = 0;
        while (packets.TryReadPacket(out var packet))
        {
            int duration;
            fixed (byte* data = packet)
                duration = NativeMethods.opus_packet_get_nb_samples(data, packet.Length, 48000);
            if (duration <= 0)
                return false;
            audioPackets++;
            pageDuration += duration;
            if (!packets.LastOnPage)
                continue;
            long granule = packets.PageGranule;
            // Mid-stream pages must end exactly where their packets do (this also makes the stream start at 0);
            // the last page may end earlier, trimming the encoder's padding.
            bool fits = packets.PageIsLast
                ? granule >= previous && granule <= previous + pageDuration
                : granule == previous + pageDuration;
            if (!fits)
                return false;
            previous = granule;
            pageDuration = 0;
        }
        return packets.Problem is null && audioPackets > 0 && pageDuration == 0;
    }
}
