using Affetto.Audio.Features;

namespace Affetto.Models.Emotion.Studies;

/// <summary>
/// The seed paper's energy crop made dataset-wide, so every network input keeps one shape. Per segment,
/// <see cref="EnergyCrop.Apply"/> normalises the magnitude by its maximum and finds the frequency rows that reach the
/// threshold; the kept rows of the dataset are the union of those over every training segment (a row any training
/// segment needs is kept for all). Frames are not dropped: which frames are quiet differs from segment to segment,
/// and dropping them would need a resize that distorts time, so the crop shrinks only the frequency axis and every
/// cropped input is <c>KeptRows.Length x frames</c>. Feature size is therefore counted over rows (and the segments'
/// own frames), which is how the study's KiB column is computed.
/// </summary>
public sealed class DatasetEnergyCrop
{
    private DatasetEnergyCrop(float threshold, int originalRows, int[] keptRows)
    {
        Threshold = threshold;
        OriginalRows = originalRows;
        KeptRows = keptRows;
    }

    /// <summary>The threshold of the normalised magnitude.</summary>
    public float Threshold { get; }

    /// <summary>Rows of the uncropped spectrograms.</summary>
    public int OriginalRows { get; }

    /// <summary>The frequency rows kept, ascending.</summary>
    public IReadOnlyList<int> KeptRows { get; }

    /// <summary>Finds the rows to keep over the training segments' magnitude spectrograms.</summary>
    /// <param name="magnitudes">Training segments, [bins, frames] non-negative, all with the same number of bins.</param>
    /// <param name="threshold">Threshold in [0, 1] (0 keeps everything).</param>
    /// <returns>The crop.</returns>
    /// <exception cref="ArgumentException">No segment, differing bin counts, or invalid magnitudes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">threshold outside [0, 1].</exception>
    public static DatasetEnergyCrop Fit(IEnumerable<FeatureMatrix> magnitudes, float threshold)
    {
        ArgumentNullException.ThrowIfNull(magnitudes);
        bool[]? keep = null;
        foreach (var m in magnitudes)
        {
            keep ??= new bool[m.Rows];
            if (m.Rows != keep.Length)
                throw new ArgumentException($"segments have {keep.Length} and {m.Rows} frequency rows; all must match", nameof(magnitudes));
            foreach (int r in EnergyCrop.Apply(m, threshold).KeptRows)
                keep[r] = true;
        }
        if (keep is null)
            throw new ArgumentException("no training segment to fit the crop on", nameof(magnitudes));
        // Keep at least one row so the network still gets an input.
        int[] rows = Enumerable.Range(0, keep.Length).Where(r => keep[r]).ToArray();
        return new DatasetEnergyCrop(threshold, keep.Length, rows.Length > 0 ? rows : [0]);
    }

    /// <summary>The kept rows of <paramref name="matrix"/> (all frames), unscaled.</summary>
    /// <param name="matrix">A [bins, frames] matrix with <see cref="OriginalRows"/> bins.</param>
    /// <returns>A new [KeptRows, frames] matrix.</returns>
    /// <exception cref="ArgumentException">The matrix has another number of rows.</exception>
    public FeatureMatrix Apply(FeatureMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Rows != OriginalRows)
            throw new ArgumentException($"the matrix has {matrix.Rows} rows but the crop was fitted on {OriginalRows}", nameof(matrix));
        var result = new FeatureMatrix(KeptRows.Count, matrix.Columns);
        for (int i = 0; i < KeptRows.Count; i++)
            matrix.Row(KeptRows[i]).CopyTo(result.Row(i));
        return result;
    }

    /// <summary>Bytes of float32 input for <paramref name="segments"/> segments of <paramref name="frames"/> frames.</summary>
    /// <param name="segments">Segment count.</param>
    /// <param name="frames">Frames per segment.</param>
    /// <returns>4 x segments x kept rows x frames.</returns>
    public long Bytes(long segments, int frames) => 4L * segments * KeptRows.Count * frames;
}
