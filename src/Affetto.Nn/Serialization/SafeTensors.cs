using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Affetto.Nn.Tensors;

namespace Affetto.Nn.Serialization;

/// <summary>
/// Reads and writes the safetensors format used by PyTorch/Hugging Face: an 8-byte little-endian header length, a
/// JSON header mapping each name to {dtype, shape, data_offsets} (plus an optional <c>__metadata__</c> string map),
/// padded with spaces to a multiple of 8, then the raw little-endian data. Writes F32 (and I64 for tensors whose
/// <see cref="Tensor.DType"/> is Int64); reads F32, F64, F16, BF16, I64, I32, I16, I8, U8 and BOOL into float32.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100_000_000;

    /// <summary>Writes tensors (in ordinal key order) and optional metadata to <paramref name="path"/>.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(fs, tensors, metadata);
    }

    /// <summary>Writes the safetensors bytes to a stream.</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var names = tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        using var headerStream = new MemoryStream();
        using (var w = new Utf8JsonWriter(headerStream))
        {
            w.WriteStartObject();
            if (metadata != null && metadata.Count > 0)
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    w.WriteString(k, v);
                }

                w.WriteEndObject();
            }

            long offset = 0;
            foreach (var name in names)
            {
                if (name == MetadataKey)
                {
                    throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor.", nameof(tensors));
                }

                var t = tensors[name];
                long bytes = (long)t.Length * (t.DType == TensorDType.Int64 ? 8 : 4);
                w.WriteStartObject(name);
                w.WriteString("dtype", t.DType == TensorDType.Int64 ? "I64" : "F32");
                w.WriteStartArray("shape");
                foreach (int d in t.Shape)
                {
                    w.WriteNumberValue(d);
                }

                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + bytes);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += bytes;
            }

            w.WriteEndObject();
        }

        var header = headerStream.ToArray().ToList();
        while (header.Count % 8 != 0)
        {
            header.Add((byte)' ');
        }

        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Count);
        stream.Write(len);
        stream.Write(header.ToArray());
        foreach (var name in names)
        {
            var t = tensors[name].Contiguous();
            var span = t.AsSpan();
            if (t.DType == TensorDType.Int64)
            {
                var buf = new byte[span.Length * 8];
                for (int i = 0; i < span.Length; i++)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(buf.AsSpan(i * 8), (long)Math.Round(span[i]));
                }

                stream.Write(buf);
            }
            else if (BitConverter.IsLittleEndian)
            {
                stream.Write(MemoryMarshal.AsBytes(span));
            }
            else
            {
                var buf = new byte[span.Length * 4];
                for (int i = 0; i < span.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(buf.AsSpan(i * 4), span[i]);
                }

                stream.Write(buf);
            }
        }
    }

    /// <summary>Reads a safetensors file; tensors keep the file's order of names. Integer tensors are marked Int64.</summary>
    /// <exception cref="InvalidDataException">The file is truncated or its header is malformed (the message names the file).</exception>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            return Read(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses safetensors bytes.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid safetensors file.</exception>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8)
        {
            throw new InvalidDataException($"not a safetensors file: {bytes.Length} bytes, shorter than the 8-byte header length.");
        }

        ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLen > MaxHeaderBytes || (long)headerLen > bytes.Length - 8)
        {
            throw new InvalidDataException($"header length {headerLen} exceeds the file size ({bytes.Length} bytes) or the {MaxHeaderBytes}-byte limit.");
        }

        var dataStart = 8 + (int)headerLen;
        var data = bytes[dataStart..];
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes.Slice(8, (int)headerLen).ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the JSON header is malformed: {e.Message}", e);
        }

        using (doc)
        {
            try
            {
                return ReadEntries(doc, data);
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json reports invalid UTF-8 inside strings only when they are read.
                throw new InvalidDataException($"the JSON header is malformed: {e.Message}", e);
            }
        }
    }

    private static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) ReadEntries(JsonDocument doc, ReadOnlySpan<byte> data)
    {
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("the JSON header is not an object.");
            }

            var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == MetadataKey)
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw new InvalidDataException("__metadata__ is not an object of strings.");
                    }

                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String)
                        {
                            throw new InvalidDataException($"__metadata__ entry '{m.Name}' is not a string.");
                        }

                        metadata[m.Name] = m.Value.GetString()!;
                    }

                    continue;
                }

                tensors[prop.Name] = ReadTensor(prop.Name, prop.Value, data);
            }

            return (tensors, metadata);
        }
    }

    private static Tensor ReadTensor(string name, JsonElement e, ReadOnlySpan<byte> data)
    {
        if (e.ValueKind != JsonValueKind.Object
            || !e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String
            || !e.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array
            || !e.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
        {
            throw new InvalidDataException($"tensor '{name}' lacks a string dtype, a shape array or a two-element data_offsets array.");
        }

        var shape = new List<int>();
        long count = 1;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int v) || v < 0)
            {
                throw new InvalidDataException($"tensor '{name}' has an invalid dimension {d}.");
            }

            shape.Add(v);
            count *= v;
            if (count > int.MaxValue)
            {
                throw new InvalidDataException($"tensor '{name}' has more than {int.MaxValue} elements.");
            }
        }

        if (!off[0].TryGetInt64(out long begin) || !off[1].TryGetInt64(out long end) || begin < 0 || end < begin || end > data.Length)
        {
            throw new InvalidDataException($"tensor '{name}' has data_offsets [{off[0]}, {off[1]}] outside the {data.Length}-byte data section.");
        }

        string dtype = dt.GetString()!;
        int size = dtype switch
        {
            "F32" or "I32" => 4,
            "F64" or "I64" => 8,
            "F16" or "BF16" or "I16" => 2,
            "I8" or "U8" or "BOOL" => 1,
            _ => throw new InvalidDataException($"tensor '{name}' has unsupported dtype '{dtype}'."),
        };
        if (end - begin != count * size)
        {
            throw new InvalidDataException($"tensor '{name}': {end - begin} bytes do not hold [{string.Join(", ", shape)}] of {dtype} ({count * size} bytes).");
        }

        var src = data.Slice((int)begin, (int)(end - begin));
        var values = GC.AllocateUninitializedArray<float>((int)count);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = dtype switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(src[(i * 4)..]),
                "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(src[(i * 8)..]),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(src[(i * 2)..]),
                "BF16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src[(i * 2)..]) << 16),
                "I64" => BinaryPrimitives.ReadInt64LittleEndian(src[(i * 8)..]),
                "I32" => BinaryPrimitives.ReadInt32LittleEndian(src[(i * 4)..]),
                "I16" => BinaryPrimitives.ReadInt16LittleEndian(src[(i * 2)..]),
                "I8" => (sbyte)src[i],
                _ => src[i],
            };
        }

        bool integral = dtype is "I64" or "I32" or "I16" or "I8" or "U8" or "BOOL";
        var t = Tensor.Wrap(values, shape.ToArray());
        return integral ? t.WithDType(TensorDType.Int64) : t;
    }
}
