using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Affetto.Audio.IO;

/// <summary>
/// Reads NumPy .npy files (versions 1.0, 2.0, 3.0) holding little-endian float32 (<c>&lt;f4</c>) or float64
/// (<c>&lt;f8</c>, converted to float32) in C order. Anything else (other dtypes, big-endian, fortran_order=True,
/// truncated data, malformed header) raises <see cref="InvalidDataException"/> naming the file and the problem.
/// </summary>
public static class NpyReader
{
    private static readonly byte[] s_magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a .npy file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a supported .npy array.</exception>
    public static NpyArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"NPY file '{path}' does not exist.", path);
        using var fs = File.OpenRead(path);
        return Read(fs, path);
    }

    /// <summary>Reads a .npy image from a stream; <paramref name="name"/> is used in error messages.</summary>
    /// <exception cref="InvalidDataException">The data is not a supported .npy array.</exception>
    public static NpyArray Read(Stream stream, string name = "<stream>")
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> pre = stackalloc byte[12];
        ReadExactly(stream, pre[..8], name, "magic/version");
        if (!pre[..6].SequenceEqual(s_magic)) throw Bad(name, "missing the \\x93NUMPY magic string");
        int major = pre[6];
        int headerLen;
        if (major == 1) { ReadExactly(stream, pre[..2], name, "header length"); headerLen = BinaryPrimitives.ReadUInt16LittleEndian(pre); }
        else if (major is 2 or 3)
        {
            ReadExactly(stream, pre[..4], name, "header length");
            uint l = BinaryPrimitives.ReadUInt32LittleEndian(pre);
            if (l > 1 << 20) throw Bad(name, $"header length {l} is implausibly large");
            headerLen = (int)l;
        }
        else throw Bad(name, $"unsupported format version {major}.{pre[7]}");
        var hb = new byte[headerLen];
        ReadExactly(stream, hb, name, "header");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(hb).Trim();

        string descr = Field(header, "descr", name).Trim().Trim('\'', '"');
        string fortran = Field(header, "fortran_order", name).Trim();
        string shapeText = Field(header, "shape", name).Trim();
        if (fortran != "False") throw Bad(name, $"fortran_order={fortran} is not supported (only C order)");
        int size = descr switch
        {
            "<f4" => 4,
            "<f8" => 8,
            _ => throw Bad(name, $"dtype '{descr}' is not supported (only little-endian float32 '<f4' and float64 '<f8')"),
        };
        if (!shapeText.StartsWith('(') || !shapeText.EndsWith(')')) throw Bad(name, $"malformed shape '{shapeText}'");
        var parts = shapeText[1..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[parts.Length];
        long count = 1;
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
                throw Bad(name, $"shape dimension '{parts[i]}' is not a non-negative integer");
            count *= shape[i];
            if (count > Array.MaxLength) throw Bad(name, $"shape {shapeText} is too large");
        }
        var data = new float[count];
        var buf = new byte[Math.Min(count * size, 1 << 16)];
        long done = 0;
        while (done < count)
        {
            int n = (int)Math.Min(count - done, buf.Length / size);
            ReadExactly(stream, buf.AsSpan(0, n * size), name, $"data ({count} values of {descr})");
            for (int j = 0; j < n; j++)
                data[done + j] = size == 4
                    ? BinaryPrimitives.ReadSingleLittleEndian(buf.AsSpan(4 * j))
                    : (float)BinaryPrimitives.ReadDoubleLittleEndian(buf.AsSpan(8 * j));
            done += n;
        }
        return new NpyArray(data, shape, descr);
    }

    private static string Field(string header, string key, string name)
    {
        int k = header.IndexOf($"'{key}'", StringComparison.Ordinal);
        if (k < 0) throw Bad(name, $"header has no '{key}' entry");
        int colon = header.IndexOf(':', k);
        if (colon < 0) throw Bad(name, $"header entry '{key}' has no value");
        int start = colon + 1, depth = 0, i = start;
        for (; i < header.Length; i++)
        {
            char c = header[i];
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if ((c == ',' || c == '}') && depth == 0) break;
        }
        if (depth != 0) throw Bad(name, $"header entry '{key}' is malformed");
        return header[start..i];
    }

    private static void ReadExactly(Stream s, Span<byte> buf, string name, string what)
    {
        int got = s.ReadAtLeast(buf, buf.Length, throwOnEndOfStream: false);
        if (got < buf.Length) throw Bad(name, $"truncated while reading the {what} ({got} of {buf.Length} bytes)");
    }

    private static InvalidDataException Bad(string name, string problem) => new($"NPY file '{name}': {problem}.");
}
