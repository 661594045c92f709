namespace Affetto.Audio.Features;

/// <summary>Result of <see cref="EnergyCrop.Apply"/>: the kept sub-matrix and its size relative to the original.</summary>
/// <param name="Cropped">Kept rows × kept columns of the normalised (0..1) spectrogram.</param>
/// <param name="KeptRows">Indices of the kept rows (frequency bins), ascending.</param>
/// <param name="KeptColumns">Indices of the kept columns (frames), ascending.</param>
/// <param name="OriginalRows">Rows before cropping.</param>
/// <param name="OriginalColumns">Columns before cropping.</param>
/// <param name="Threshold">Threshold used.</param>
public sealed record EnergyCropResult(FeatureMatrix Cropped, int[] KeptRows, int[] KeptColumns, int OriginalRows, int OriginalColumns, float Threshold)
{
    /// <summary>Kept rows.</summary>
    public int Rows => KeptRows.Length;
    /// <summary>Kept columns.</summary>
    public int Columns => KeptColumns.Length;
    /// <summary>Bytes of the kept float32 matrix.</summary>
    public long Bytes => 4L * Rows * Columns;
    /// <summary>Bytes of the original float32 matrix.</summary>
    public long OriginalBytes => 4L * OriginalRows * OriginalColumns;
    /// <summary>Kept size as a percentage of the original (100 when nothing is dropped; 0 for an empty original).</summary>
    public double PercentOfOriginal => OriginalBytes == 0 ? 0 : 100.0 * Bytes / OriginalBytes;
}
