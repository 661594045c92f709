namespace Affetto.Audio.IO;

/// <summary>An array read from a NumPy .npy file: float32 values in C (row-major) order and the shape.</summary>
public sealed class NpyArray
{
    /// <summary>Values in C order (float64 files are converted to float32).</summary>
    public float[] Data { get; }
    /// <summary>Shape (empty for a scalar).</summary>
    public int[] Shape { get; }
    /// <summary>The file's dtype descriptor, e.g. <c>&lt;f4</c> or <c>&lt;f8</c>.</summary>
    public string DType { get; }

    /// <summary>Creates an array; data length must equal the product of the shape.</summary>
    /// <exception cref="ArgumentException">Lengths disagree or a dimension is negative.</exception>
    public NpyArray(float[] data, int[] shape, string dtype = "<f4")
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape dimension {d} is negative.", nameof(shape));
            count *= d;
        }
        if (count != data.Length) throw new ArgumentException($"Shape ({string.Join(", ", shape)}) holds {count} values but data has {data.Length}.", nameof(data));
        Data = data; Shape = shape; DType = dtype;
    }
}
