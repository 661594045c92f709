namespace Affetto.Audio.Transforms;

/// <summary>
/// A complex matrix in split, row-major layout: element (r, c) is <c>Real[r * Columns + c]</c> +
/// i·<c>Imag[r * Columns + c]</c>. The STFT uses rows = frequency bins, columns = frames (librosa's [freq, time]).
/// </summary>
public sealed class ComplexMatrix
{
    /// <summary>Real parts, row-major.</summary>
    public float[] Real { get; }
    /// <summary>Imaginary parts, row-major.</summary>
    public float[] Imag { get; }
    /// <summary>Number of rows (frequency bins).</summary>
    public int Rows { get; }
    /// <summary>Number of columns (frames).</summary>
    public int Columns { get; }

    /// <summary>Creates a zero matrix.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public ComplexMatrix(int rows, int columns)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "Rows must be non-negative.");
        if (columns < 0) throw new ArgumentOutOfRangeException(nameof(columns), columns, "Columns must be non-negative.");
        Rows = rows; Columns = columns;
        Real = new float[(long)rows * columns];
        Imag = new float[(long)rows * columns];
    }

    /// <summary>Wraps existing arrays (not copied).</summary>
    /// <exception cref="ArgumentException">An array length is not rows × columns.</exception>
    public ComplexMatrix(float[] real, float[] imag, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(imag);
        if (rows < 0 || columns < 0 || real.Length != (long)rows * columns || imag.Length != real.Length)
            throw new ArgumentException($"Arrays of length {real.Length}/{imag.Length} do not hold a {rows}x{columns} matrix.");
        Real = real; Imag = imag; Rows = rows; Columns = columns;
    }
}
