using System.Buffers;
using System.Buffers.Binary;

namespace Affetto.Audio.IO;

/// <summary>
/// Reads the packets of a single, well-formed Ogg logical stream (RFC 3533) in order, with the page each packet
/// completes on. It is strict on purpose: it serves <see cref="OggOpusDecoder"/>'s fast path, which only takes
/// files that need none of a general demuxer's recovery, so anything unusual (a bad CRC, a second stream, a gap
/// in page numbers, bytes after the last page, a truncated page) stops it with <see cref="Problem"/> set and the
/// file goes to libsndfile instead.
/// </summary>
internal sealed class OggPacketReader : IDisposable
{
    private const int HeaderSize = 27;
    private const int MaxPageSize = HeaderSize + 255 + 255 * 255;
    private const int MaxPacketSize = 1 << 20; // far above Opus's 61,440-byte maximum

    private static readonly uint[] s_crcTable = BuildCrcTable();

    private readonly Stream _stream;
    private byte[] _page = ArrayPool<byte>.Shared.Rent(MaxPageSize);
    private byte[] _packet = ArrayPool<byte>.Shared.Rent(8192);
    private int _segmentCount;    // lacing values of the current page
    private int _segment;         // next lacing value to consume
    private int _bodyOffset;      // next body byte of the current page
    private int _partial;         // bytes of a packet continued from earlier pages
    private long _pages;
    private uint _serial;
    private bool _ended;

    /// <summary>Reads from <paramref name="stream"/>, which stays the caller's to close.</summary>
    public OggPacketReader(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>Why reading stopped early, or null while the stream is well formed.</summary>
    public string? Problem { get; private set; }

    /// <summary>Granule position of the page the last packet completed on (-1 when none is given).</summary>
    public long PageGranule { get; private set; }

    /// <summary>Whether that page is the stream's last (end-of-stream flag).</summary>
    public bool PageIsLast { get; private set; }

    /// <summary>Whether the last packet is the last one completing on its page.</summary>
    public bool LastOnPage { get; private set; }

    /// <summary>Zero-based number of the page the last packet completed on.</summary>
    public long PageNumber => _pages - 1;

    /// <summary>
    /// The next packet (valid until the next call), or false at the end of the stream or on a
    /// <see cref="Problem"/>.
    /// </summary>
    public bool TryReadPacket(out ReadOnlySpan<byte> packet)
    {
        packet = default;
        while (Problem is null)
        {
            if (_segment == _segmentCount)
            {
                if (_ended)
                {
                    if (_partial > 0)
                        Problem = "the last page ends inside a packet";
                    else if (_stream.ReadByte() >= 0)
                        Problem = "data after the end-of-stream page";
                    return false;
                }
                if (!ReadPage())
                    return false;
                continue;
            }

            // Gather lacing values up to the end of a packet (a value below 255) or of the page.
            int start = _bodyOffset, length = 0;
            bool complete = false;
            while (_segment < _segmentCount)
            {
                int lace = _page[HeaderSize + _segment++];
                length += lace;
                if (lace < 255)
                {
                    complete = true;
                    break;
                }
            }
            _bodyOffset += length;
            var piece = _page.AsSpan(HeaderSize + _segmentCount + start, length);
            if (!complete || _partial > 0)
            {
                if (_partial + length > MaxPacketSize)
                {
                    Problem = "a packet is larger than 1 MiB";
                    return false;
                }
                if (_partial + length > _packet.Length)
                {
                    var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_partial + length, _packet.Length * 2));
                    _packet.AsSpan(0, _partial).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(_packet);
                    _packet = grown;
                }
                piece.CopyTo(_packet.AsSpan(_partial));
                _partial += length;
                if (!complete)
                    continue; // the packet goes on in the next page
                piece = _packet.AsSpan(0, _partial);
                _partial = 0;
            }
            LastOnPage = !CompletesPacket(_segment, _segmentCount);
            packet = piece;
            return true;
        }
        return false;
    }

    /// <summary>Releases the buffers (the stream is the caller's).</summary>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_page);
        ArrayPool<byte>.Shared.Return(_packet);
        _page = _packet = [];
    }

    // Whether a packet ends among lacing values [from, to) of the current page (a value below 255 ends one).
    private bool CompletesPacket(int from, int to)
    {
        for (int s = from; s < to; s++)
        {
            if (_page[HeaderSize + s] < 255)
                return true;
        }
        return false;
    }

    private bool ReadPage()
    {
        var header = _page.AsSpan(0, HeaderSize);
        int got = _stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        if (got == 0)
        {
            Problem = _pages == 0 ? "no Ogg pages" : "the stream ends without an end-of-stream page";
            return false;
        }
        if (got < HeaderSize || !header[..4].SequenceEqual("OggS"u8) || header[4] != 0)
        {
            Problem = got < HeaderSize ? "a truncated page header" : "bytes that are not an Ogg page";
            return false;
        }
        int flags = header[5];
        long granule = BinaryPrimitives.ReadInt64LittleEndian(header[6..]);
        uint serial = BinaryPrimitives.ReadUInt32LittleEndian(header[14..]);
        uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(header[18..]);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(header[22..]);
        int segments = header[26];
        if (_stream.ReadAtLeast(_page.AsSpan(HeaderSize, segments), segments, throwOnEndOfStream: false) < segments)
        {
            Problem = "a truncated page";
            return false;
        }
        int bodyLength = 0;
        for (int s = 0; s < segments; s++)
            bodyLength += _page[HeaderSize + s];
        int pageLength = HeaderSize + segments + bodyLength;
        if (_stream.ReadAtLeast(_page.AsSpan(HeaderSize + segments, bodyLength), bodyLength, throwOnEndOfStream: false) < bodyLength)
        {
            Problem = "a truncated page";
            return false;
        }

        // The CRC covers the whole page with its own field read as zero.
        BinaryPrimitives.WriteUInt32LittleEndian(_page.AsSpan(22), 0);
        if (Crc(_page.AsSpan(0, pageLength)) != crc)
        {
            Problem = $"page {_pages} fails its CRC check";
            return false;
        }

        bool continued = (flags & 0x01) != 0, first = (flags & 0x02) != 0, last = (flags & 0x04) != 0;
        if (_pages == 0)
            _serial = serial;
        if (serial != _serial || sequence != (uint)_pages || first != (_pages == 0) || continued != (_partial > 0) || (flags & ~0x07) != 0)
        {
            Problem = $"page {_pages} is out of order, from another stream, or flagged unexpectedly";
            return false;
        }
        if (!CompletesPacket(0, segments) && granule != -1)
        {
            Problem = $"page {_pages} has a granule position but no packet ends on it";
            return false;
        }

        _pages++;
        _segmentCount = segments;
        _segment = 0;
        _bodyOffset = 0;
        _ended = last;
        PageGranule = granule;
        PageIsLast = last;
        return true;
    }

    /// <summary>Ogg's CRC-32: polynomial 0x04c11db7, not reflected, initial value 0, no final xor.</summary>
    internal static uint Crc(ReadOnlySpan<byte> data)
    {
        // Slicing by 8: table k holds the CRC of a byte followed by k zero bytes, so eight bytes fold in with eight
        // independent lookups instead of a chain of eight dependent ones (the prescan and the decode pass both check
        // every page).
        var t = s_crcTable;
        uint crc = 0;
        int i = 0;
        for (; i <= data.Length - 8; i += 8)
        {
            uint hi = crc ^ BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
            uint lo = BinaryPrimitives.ReadUInt32BigEndian(data[(i + 4)..]);
            crc = t[7 * 256 + (hi >> 24)] ^ t[6 * 256 + ((hi >> 16) & 0xff)]
                ^ t[5 * 256 + ((hi >> 8) & 0xff)] ^ t[4 * 256 + (hi & 0xff)]
                ^ t[3 * 256 + (lo >> 24)] ^ t[2 * 256 + ((lo >> 16) & 0xff)]
                ^ t[256 + ((lo >> 8) & 0xff)] ^ t[lo & 0xff];
        }
        for (; i < data.Length; i++)
            crc = (crc << 8) ^ t[(crc >> 24) ^ data[i]];
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint r = i << 24;
            for (int bit = 0; bit < 8; bit++)
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04c11db7 : r << 1;
            table[i] = r;
        }
        for (int k = 1; k < 8; k++)
            for (int i = 0; i < 256; i++)
            {
                uint prev = table[(k - 1) * 256 + i];
                table[k * 256 + i] = (prev << 8) ^ table[prev >> 24];
            }
        return table;
    }
}
