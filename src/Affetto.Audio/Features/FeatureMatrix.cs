namespace Affetto.Audio.Features;

/// <summary>
/// A dense float matrix, row-major: element (r, c) is <c>Data[r * Columns + c]</c>. Feature functions return
/// [bins, frames] like librosa (e.g. mel: [nMels, frames]; a 1-D feature such as RMS: [1, frames]).
/// </summary>
public sealed class FeatureMatrix
{
    /// <summary>Row-major values.</summary>
    public float[] Data { get; }
    /// <summary>Number of rows (bins / coefficients).</summary>
    public int Rows { get; }
    /// <summary>Number of columns (frames).</summary>
    public int Columns { get; }

    /// <summary>Creates a zero matrix.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public FeatureMatrix(int rows, int columns)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "Rows must be non-negative.");
        if (columns < 0) throw new ArgumentOutOfRangeException(nameof(columns), columns, "Columns must be non-negative.");
        Rows = rows; Columns = columns;
        Data = new float[(long)rows * columns];
    }

    /// <summary>Wraps an existing array (not copied).</summary>
    /// <exception cref="ArgumentException">data.Length is not rows × columns.</exception>
    public FeatureMatrix(float[] data, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (rows < 0 || columns < 0 || data.Length != (long)rows * columns)
            throw new ArgumentException($"An array of length {data.Length} does not hold a {rows}x{columns} matrix.", nameof(data));
        Data = data; Rows = rows; Columns = columns;
    }

    /// <summary>Element (row, column).</summary>
    public float this[int row, int column]
    {
        get => Data[row * Columns + column];
        set => Data[row * Columns + column] = value;
    }

    /// <summary>One row as a span.</summary>
    public Span<float> Row(int row) => Data.AsSpan(row * Columns, Columns);
}
