using System.Buffers.Binary;
using System.IO.Compression;

namespace Affetto.Plotting;

/// <summary>
/// Minimal PNG encoder: 8-bit RGB or RGBA, non-interlaced, one IDAT chunk compressed with zlib. Each scanline is
/// filtered with None, Sub or Up, whichever gives the smallest sum of absolute filtered bytes (the usual heuristic
/// that predicts the deflate size well).
/// </summary>
public static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes pixels (row-major, top row first) into a PNG file image.</summary>
    /// <param name="pixels">width·height·(3 or 4) bytes.</param>
    /// <param name="width">Width in pixels (≥ 1).</param>
    /// <param name="height">Height in pixels (≥ 1).</param>
    /// <param name="colorType">RGB or RGBA.</param>
    /// <param name="level">Deflate effort.</param>
    /// <exception cref="ArgumentException">The size is not positive or does not match the pixel count.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType = PngColorType.Rgb,
        CompressionLevel level = CompressionLevel.Optimal)
    {
        using var ms = new MemoryStream();
        Write(ms, pixels, width, height, colorType, level);
        return ms.ToArray();
    }

    /// <summary>Writes a PNG file image to <paramref name="stream"/>.</summary>
    /// <param name="stream">Writable stream.</param>
    /// <param name="pixels">width·height·(3 or 4) bytes, top row first.</param>
    /// <param name="width">Width in pixels (≥ 1).</param>
    /// <param name="height">Height in pixels (≥ 1).</param>
    /// <param name="colorType">RGB or RGBA.</param>
    /// <param name="level">Deflate effort.</param>
    public static void Write(Stream stream, ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType = PngColorType.Rgb,
        CompressionLevel level = CompressionLevel.Optimal)
    {
        ArgumentNullException.ThrowIfNull(stream);
        int bpp = colorType switch
        {
            PngColorType.Rgb => 3,
            PngColorType.Rgba => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(colorType), colorType, $"Unsupported PNG colour type {colorType}."),
        };
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(width <= 0 ? nameof(width) : nameof(height), $"PNG size must be positive, got {width}x{height}.");
        long stride = (long)width * bpp;
        if (stride * height != pixels.Length)
            throw new ArgumentException($"pixels has {pixels.Length} bytes but a {width}x{height} {colorType} image needs {stride * height}.", nameof(pixels));
        if (stride + 1 > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(width), width, $"width {width} is too large.");

        stream.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = (byte)colorType;
        ihdr[10] = 0; // deflate
        ihdr[11] = 0; // adaptive filtering
        ihdr[12] = 0; // no interlace
        WriteChunk(stream, "IHDR"u8, ihdr);

        using (var idat = new MemoryStream())
        {
            using (var z = new ZLibStream(idat, level, leaveOpen: true))
            {
                int s = (int)stride;
                var best = new byte[s + 1];
                var trial = new byte[s + 1];
                for (int y = 0; y < height; y++)
                {
                    ReadOnlySpan<byte> row = pixels.Slice(y * s, s);
                    ReadOnlySpan<byte> prev = y > 0 ? pixels.Slice((y - 1) * s, s) : default;
                    FilterRow(row, prev, bpp, best, trial);
                    z.Write(best);
                }
            }
            WriteChunk(stream, "IDAT"u8, idat.GetBuffer().AsSpan(0, (int)idat.Length));
        }
        WriteChunk(stream, "IEND"u8, ReadOnlySpan<byte>.Empty);
    }

    /// <summary>Encodes and writes a PNG file.</summary>
    /// <param name="path">Destination file (overwritten).</param>
    /// <param name="pixels">width·height·(3 or 4) bytes, top row first.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="colorType">RGB or RGBA.</param>
    public static void Save(string path, ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType = PngColorType.Rgb)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var fs = File.Create(path);
        Write(fs, pixels, width, height, colorType);
    }

    // Writes the chosen filter type byte followed by the filtered row into best.
    private static void FilterRow(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prev, int bpp, byte[] best, byte[] trial)
    {
        long bestScore = long.MaxValue;
        for (int type = 0; type <= 2; type++)
        {
            if (type == 2 && prev.IsEmpty) continue; // Up equals None on the first row
            trial[0] = (byte)type;
            long score = 0;
            for (int i = 0; i < row.Length; i++)
            {
                byte predictor = type switch
                {
                    1 => i >= bpp ? row[i - bpp] : (byte)0,
                    2 => prev[i],
                    _ => 0,
                };
                byte v = (byte)(row[i] - predictor);
                trial[i + 1] = v;
                score += v < 128 ? v : 256 - v;
            }
            if (score < bestScore)
            {
                bestScore = score;
                trial.AsSpan().CopyTo(best);
            }
        }
    }

    private static void WriteChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        type.CopyTo(header[4..]);
        stream.Write(header);
        stream.Write(data);
        uint crc = Crc32.Update(0xFFFFFFFFu, type);
        crc = Crc32.Update(crc, data) ^ 0xFFFFFFFFu;
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        stream.Write(tail);
    }
}
