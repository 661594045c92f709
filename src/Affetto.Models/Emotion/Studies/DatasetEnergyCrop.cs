using Affetto.Audio.Features;

namespace Affetto.Models.Emotion.Studies;

/// <summary>
/// The seed paper's energy crop made dataset-wide, so every network input keeps one shape. Per segment,
/// <see cref="EnergyCrop.Apply"/> normalises the magnitude by its maximum and finds the frequency rows that reach the
/// threshold; the dataset keeps the rows that reach it in at least a share of the training segments (with share 0, the
/// union: a row any segment needs is kept for all). On the 4Q STFT images the union keeps ~95% of the rows at every
/// threshold from 0.1 to 0.2, because some segment always has a loud high partial; a share of 1% makes the threshold
/// bite (87%, 71%, 44% of the rows). Frames are not dropped: which frames are quiet differs from segment to segment,
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
    /// <param name="minShare">Share of the segments, in [0, 1), in which a row must reach the threshold to be kept
    /// (at least one segment; 0 = the union).</param>
    /// <returns>The crop.</returns>
    /// <exception cref="ArgumentException">No segment, differing bin counts, or invalid magnitudes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">threshold outside [0, 1] or minShare outside [0, 1).</exception>
    public static DatasetEnergyCrop Fit(IEnumerable<FeatureMatrix> magnitudes, float threshold, double minShare = 0)
    {
        ArgumentNullException.ThrowIfNull(magnitudes);
        if (!(minShare >= 0 && minShare < 1)) throw new ArgumentOutOfRangeException(nameof(minShare), minShare, "the share must be in [0, 1).");
        int[]? reached = null;
        bool[] flags = [];
        int segments = 0;
        foreach (var m in magnitudes)
        {
            if (reached is null) (reached, flags) = (new int[m.Rows], new bool[m.Rows]);
            if (m.Rows != reached.Length)
                throw new ArgumentException($"segments have {reached.Length} and {m.Rows} frequency rows; all must match", nameof(magnitudes));
            EnergyCrop.RowsReaching(m, threshold, flags);
            for (int r = 0; r < flags.Length; r++)
                if (flags[r]) reached[r]++;
            segments++;
        }
        if (reached is null)
            throw new ArgumentException("no training segment to fit the crop on", nameof(magnitudes));
        long needed = Math.Max(1, (long)Math.Ceiling(minShare * segments));
        // Keep at least one row so the network still gets an input.
        int[] rows = Enumerable.Range(0, reached.Length).Where(r => reached[r] >= needed).ToArray();
        return new DatasetEnergyCrop(threshold, reached.Length, rows.Length > 0 ? rows : [0]);
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
