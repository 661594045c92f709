using System.Buffers.Binary;
using System.Text;

namespace Affetto.Audio.IO;

/// <summary>Writes NumPy .npy version 1.0 files: float32 little-endian (<c>&lt;f4</c>), C order, any shape.</summary>
public static class NpyWriter
{
    private static readonly byte[] s_magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Writes <paramref name="data"/> with <paramref name="shape"/> to a file (created or overwritten).</summary>
    /// <exception cref="ArgumentException">The shape's element count differs from data.Length, or a dimension is negative.</exception>
    public static void Write(string path, ReadOnlySpan<float> data, ReadOnlySpan<int> shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(fs, data, shape);
    }

    /// <summary>Writes an .npy image to a stream.</summary>
    /// <exception cref="ArgumentException">The shape's element count differs from data.Length, or a dimension is negative.</exception>
    public static void Write(Stream stream, ReadOnlySpan<float> data, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long count = 1;
        var dims = new StringBuilder();
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape dimension {d} is negative.", nameof(shape));
            count *= d;
            dims.Append(d).Append(", ");
        }
        if (count != data.Length) throw new ArgumentException($"Shape holds {count} values but data has {data.Length}.", nameof(data));
        string shapeText = shape.Length switch { 0 => "()", 1 => $"({shape[0]},)", _ => "(" + dims.ToString(0, dims.Length - 2) + ")" };
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shapeText}, }}";
        // Header (magic 6 + version 2 + length 2 + dict + '\n') padded with spaces to a multiple of 64.
        int total = 10 + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        var header = new byte[padded];
        s_magic.CopyTo(header);
        header[6] = 1; header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)(padded - 10));
        Encoding.ASCII.GetBytes(dict, header.AsSpan(10));
        header.AsSpan(10 + dict.Length, padded - 11 - dict.Length).Fill((byte)' ');
        header[padded - 1] = (byte)'\n';
        stream.Write(header);
        Span<byte> buf = stackalloc byte[4096];
        int i = 0;
        while (i < data.Length)
        {
            int n = Math.Min(1024, data.Length - i);
            for (int j = 0; j < n; j++) BinaryPrimitives.WriteSingleLittleEndian(buf.Slice(4 * j), data[i + j]);
            stream.Write(buf[..(4 * n)]);
            i += n;
        }
    }
}
