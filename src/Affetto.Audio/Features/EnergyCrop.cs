using System.Numerics.Tensors;

namespace Affetto.Audio.Features;

/// <summary>
/// Energy-threshold crop from the seed paper: the magnitude spectrogram is scaled to [0, 1] by its maximum
/// (an all-zero matrix is left as is), then every row (frequency bin) and every column (frame) whose values
/// never reach the threshold t is dropped. With t = 0 nothing is dropped. The paper uses t ∈ {0, 0.1, 0.15, 0.2}.
/// </summary>
public static class EnergyCrop
{
    /// <summary>The thresholds studied in the paper.</summary>
    public static IReadOnlyList<float> PaperThresholds { get; } = [0f, 0.1f, 0.15f, 0.2f];

    /// <summary>Crops <paramref name="magnitude"/> ([bins, frames], non-negative) at <paramref name="threshold"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">threshold is not in [0, 1].</exception>
    /// <exception cref="ArgumentException">The matrix contains negative or non-finite values.</exception>
    public static EnergyCropResult Apply(FeatureMatrix magnitude, float threshold)
    {
        ArgumentNullException.ThrowIfNull(magnitude);
        if (!(threshold >= 0 && threshold <= 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be in [0, 1].");
        int rows = magnitude.Rows, cols = magnitude.Columns;
        var data = magnitude.Data;
        float scale = InverseMax(magnitude);
        var rowMax = new float[rows];
        var colMax = new float[cols];
        for (int r = 0; r < rows; r++)
        {
            var row = data.AsSpan(r * cols, cols);
            rowMax[r] = cols == 0 ? 0 : TensorPrimitives.Max(row) * scale;
            for (int c = 0; c < cols; c++) colMax[c] = Math.Max(colMax[c], row[c] * scale);
        }
        int[] keptRows = Enumerable.Range(0, rows).Where(r => rowMax[r] >= threshold).ToArray();
        int[] keptCols = Enumerable.Range(0, cols).Where(c => colMax[c] >= threshold).ToArray();
        var cropped = new FeatureMatrix(keptRows.Length, keptCols.Length);
        for (int i = 0; i < keptRows.Length; i++)
        {
            int src = keptRows[i] * cols, dst = i * keptCols.Length;
            for (int j = 0; j < keptCols.Length; j++) cropped.Data[dst + j] = data[src + keptCols[j]] * scale;
        }
        return new EnergyCropResult(cropped, keptRows, keptCols, rows, cols, threshold);
    }

    /// <summary>
    /// Marks in <paramref name="reached"/> the rows <see cref="Apply"/> would keep, without building the cropped matrix
    /// (for fitting a crop over many segments without allocating per segment).
    /// </summary>
    /// <param name="magnitude">[bins, frames], non-negative and finite.</param>
    /// <param name="threshold">Threshold in [0, 1].</param>
    /// <param name="reached">One flag per row, set when the row reaches the threshold.</param>
    /// <exception cref="ArgumentOutOfRangeException">threshold is not in [0, 1].</exception>
    /// <exception cref="ArgumentException">reached has another length, or the matrix holds negative or non-finite values.</exception>
    public static void RowsReaching(FeatureMatrix magnitude, float threshold, Span<bool> reached)
    {
        ArgumentNullException.ThrowIfNull(magnitude);
        if (!(threshold >= 0 && threshold <= 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be in [0, 1].");
        if (reached.Length != magnitude.Rows) throw new ArgumentException($"{reached.Length} flags for {magnitude.Rows} rows.", nameof(reached));
        var data = magnitude.Data;
        int cols = magnitude.Columns;
        float scale = InverseMax(magnitude);
        for (int r = 0; r < reached.Length; r++)
            reached[r] = cols > 0 && TensorPrimitives.Max(data.AsSpan(r * cols, cols)) * scale >= threshold;
    }

    // 1 / max of a validated magnitude matrix (1 for an all-zero one, which is then left as is).
    private static float InverseMax(FeatureMatrix magnitude)
    {
        var data = magnitude.Data;
        foreach (float v in data)
            if (!(v >= 0) || float.IsInfinity(v)) throw new ArgumentException($"Magnitudes must be finite and non-negative (found {v}).", nameof(magnitude));
        float max = data.Length == 0 ? 0 : TensorPrimitives.Max(data);
        return max > 0 ? 1f / max : 1f;
    }
}
