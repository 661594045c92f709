using System.Buffers.Binary;
using System.IO.Compression;

namespace Affetto.Plotting.Tests;

/// <summary>Independent test-side PNG reader: chunk walk, bitwise CRC check, inflate and all five unfilters.</summary>
internal static class PngTestDecoder
{
    public sealed record Image(int Width, int Height, int ColorType, byte[] Pixels, List<string> Chunks, List<int> Filters);

    public static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    public static Image Decode(byte[] png)
    {
        byte[] sig = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.Equal(sig, png[..8]);
        int pos = 8, width = 0, height = 0, colorType = 0;
        var chunks = new List<string>();
        using var idat = new MemoryStream();
        while (pos < png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            ReadOnlySpan<byte> data = png.AsSpan(pos + 8, len);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + len));
            Assert.Equal(BitwiseCrc(png.AsSpan(pos + 4, len + 4)), crc);
            chunks.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                colorType = data[9];
                Assert.Equal(0, data[10]);
                Assert.Equal(0, data[11]);
                Assert.Equal(0, data[12]);
            }
            else if (type == "IDAT") idat.Write(data);
            pos += 12 + len;
        }
        Assert.Equal(png.Length, pos);
        int bpp = colorType == 6 ? 4 : 3;
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        byte[] f = raw.ToArray();
        int stride = width * bpp;
        Assert.Equal((stride + 1) * height, f.Length);
        var pixels = new byte[stride * height];
        var filters = new List<int>();
        for (int y = 0; y < height; y++)
        {
            int type = f[y * (stride + 1)];
            filters.Add(type);
            for (int i = 0; i < stride; i++)
            {
                int x = f[y * (stride + 1) + 1 + i];
                int a = i >= bpp ? pixels[y * stride + i - bpp] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
                int c = i >= bpp && y > 0 ? pixels[(y - 1) * stride + i - bpp] : 0;
                int pred = type switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"filter {type}"),
                };
                pixels[y * stride + i] = (byte)(x + pred);
            }
        }
        return new Image(width, height, colorType, pixels, chunks, filters);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
