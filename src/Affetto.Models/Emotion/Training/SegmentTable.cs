using Affetto.Models.Emotion.FrontEnd;

namespace Affetto.Models.Emotion.Training;

/// <summary>
/// The raw segments of a whole dataset in memory: every track's images and summary features (and those of its
/// augmented copies), indexed by segment, with the track each segment belongs to. Folds select tracks; batches copy
/// segments out and normalise them with the fold's statistics, so the table itself is never changed.
/// </summary>
public sealed class SegmentTable
{
    private readonly List<int>[] _segmentsOfTrack;
    private readonly List<int>[] _augmentedOfTrack;

    /// <summary>Builds the table.</summary>
    /// <param name="labels">Class names (output order).</param>
    /// <param name="trackIds">Track identifiers.</param>
    /// <param name="trackLabels">Class index of each track.</param>
    /// <param name="batches">Per entry: the track index, whether it is an augmented copy, and its raw segments.</param>
    /// <exception cref="ArgumentException">Batches of different shapes, or a track index out of range.</exception>
    public SegmentTable(IReadOnlyList<string> labels, IReadOnlyList<string> trackIds, IReadOnlyList<int> trackLabels,
        IReadOnlyList<(int Track, bool Augmented, SegmentBatch Batch)> batches)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(trackIds);
        ArgumentNullException.ThrowIfNull(trackLabels);
        ArgumentNullException.ThrowIfNull(batches);
        if (trackIds.Count != trackLabels.Count) throw new ArgumentException("One label per track is needed.", nameof(trackLabels));
        Labels = labels.ToArray();
        TrackIds = trackIds.ToArray();
        TrackLabels = trackLabels.ToArray();
        var first = batches.Count > 0 ? batches[0].Batch : null;
        Height = first?.Height ?? 0;
        Width = first?.Width ?? 0;
        FeatureDim = first?.FeatureDim ?? 0;
        bool images = first?.Spectrograms is not null, features = first?.Features is not null;
        int total = 0;
        foreach (var (track, _, b) in batches)
        {
            if (track < 0 || track >= TrackIds.Count) throw new ArgumentException($"Track index {track} is out of range.", nameof(batches));
            if (b.Height != Height || b.Width != Width || b.FeatureDim != FeatureDim || (b.Spectrograms is not null) != images || (b.Features is not null) != features)
                throw new ArgumentException("All segment batches must have the same shape.", nameof(batches));
            total = checked(total + b.Count);
        }
        Count = total;
        Images = images ? new float[checked((long)total * Height * Width > int.MaxValue ? throw new ArgumentException("Too many segments for one table; use a smaller front end.") : total * Height * Width)] : null;
        Features = features ? new float[total * FeatureDim] : null;
        SegmentTrack = new int[total];
        _segmentsOfTrack = Enumerable.Range(0, TrackIds.Count).Select(_ => new List<int>()).ToArray();
        _augmentedOfTrack = Enumerable.Range(0, TrackIds.Count).Select(_ => new List<int>()).ToArray();
        int at = 0;
        foreach (var (track, augmented, b) in batches)
        {
            if (Images is not null) b.Spectrograms.AsSpan().CopyTo(Images.AsSpan(at * ImageSize));
            if (Features is not null) b.Features.AsSpan().CopyTo(Features.AsSpan(at * FeatureDim));
            for (int i = 0; i < b.Count; i++)
            {
                SegmentTrack[at + i] = track;
                (augmented ? _augmentedOfTrack : _segmentsOfTrack)[track].Add(at + i);
            }
            at += b.Count;
        }
    }

    /// <summary>Class names.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Track identifiers.</summary>
    public IReadOnlyList<string> TrackIds { get; }

    /// <summary>Class index per track.</summary>
    public IReadOnlyList<int> TrackLabels { get; }

    /// <summary>Number of segments (original and augmented).</summary>
    public int Count { get; }

    /// <summary>Image height (0 without images).</summary>
    public int Height { get; }

    /// <summary>Image width (0 without images).</summary>
    public int Width { get; }

    /// <summary>Values per image.</summary>
    public int ImageSize => Height * Width;

    /// <summary>Summary features per segment (0 without).</summary>
    public int FeatureDim { get; }

    /// <summary>Raw images [Count, H, W], or null.</summary>
    public float[]? Images { get; }

    /// <summary>Raw features [Count, D], or null.</summary>
    public float[]? Features { get; }

    /// <summary>Track index of each segment.</summary>
    public int[] SegmentTrack { get; }

    /// <summary>Segments of the original audio of <paramref name="track"/>.</summary>
    public IReadOnlyList<int> SegmentsOf(int track) => _segmentsOfTrack[track];

    /// <summary>Segments of the augmented copies of <paramref name="track"/>.</summary>
    public IReadOnlyList<int> AugmentedSegmentsOf(int track) => _augmentedOfTrack[track];

    /// <summary>
    /// Normalisation statistics over the original segments of <paramref name="tracks"/>: per image row (mean and
    /// standard deviation over all frames) and per feature column, computed in double precision; a deviation below
    /// 1e-6 becomes 1 so constant rows pass unchanged.
    /// </summary>
    public FrontEndSettings WithStatistics(FrontEndSettings settings, IReadOnlyList<int> tracks)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(tracks);
        var segments = tracks.SelectMany(t => _segmentsOfTrack[t]).ToArray();
        if (segments.Length == 0) throw new ArgumentException("No segments to compute statistics from.", nameof(tracks));
        float[]? imageMean = null, imageStd = null, featureMean = null, featureStd = null;
        if (Images is not null)
            (imageMean, imageStd) = Moments(Images, segments, Height, Width);
        if (Features is not null)
            (featureMean, featureStd) = Moments(Features, segments, 1, FeatureDim, perColumn: true);
        return settings with { SpectrogramMean = imageMean, SpectrogramStd = imageStd, FeatureMean = featureMean, FeatureStd = featureStd };
    }

    /// <summary>A copy of this table keeping only the image rows <paramref name="rows"/> (ascending), for a dataset-level crop.</summary>
    /// <remarks>Copies straight into the new table (no per-track intermediate arrays), so the peak memory is the two tables.</remarks>
    public SegmentTable SelectRows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (Images is null) throw new InvalidOperationException("The table has no images to crop.");
        foreach (int r in rows)
            if (r < 0 || r >= Height) throw new ArgumentOutOfRangeException(nameof(rows), $"Row {r} is outside the image's {Height} rows.");
        return new SegmentTable(this, rows.ToArray());
    }

    private SegmentTable(SegmentTable source, int[] rows)
    {
        Labels = source.Labels;
        TrackIds = source.TrackIds;
        TrackLabels = source.TrackLabels;
        Count = source.Count;
        Height = rows.Length;
        Width = source.Width;
        FeatureDim = source.FeatureDim;
        SegmentTrack = source.SegmentTrack;
        _segmentsOfTrack = source._segmentsOfTrack;
        _augmentedOfTrack = source._augmentedOfTrack;
        Features = source.Features;
        Images = new float[checked(Count * Height * Width)];
        for (int i = 0; i < Count; i++)
            for (int r = 0; r < rows.Length; r++)
                source.Images.AsSpan((i * source.Height + rows[r]) * Width, Width).CopyTo(Images.AsSpan((i * Height + r) * Width));
    }

    private static (float[] Mean, float[] Std) Moments(float[] data, int[] items, int rows, int cols, bool perColumn = false)
    {
        int n = perColumn ? cols : rows;
        var sum = new double[n];
        var sq = new double[n];
        long perStat = 0;
        foreach (int item in items)
        {
            var block = data.AsSpan(item * rows * cols, rows * cols);
            for (int r = 0; r < rows; r++)
            {
                var row = block.Slice(r * cols, cols);
                if (perColumn)
                {
                    for (int c = 0; c < cols; c++) { sum[c] += row[c]; sq[c] += (double)row[c] * row[c]; }
                }
                else
                {
                    double s = 0, q = 0;
                    foreach (float v in row) { s += v; q += (double)v * v; }
                    sum[r] += s;
                    sq[r] += q;
                }
            }
            perStat += perColumn ? 1 : cols;
        }
        var mean = new float[n];
        var std = new float[n];
        for (int i = 0; i < n; i++)
        {
            double m = sum[i] / perStat;
            double variance = Math.Max(0, sq[i] / perStat - m * m);
            mean[i] = (float)m;
            double sd = Math.Sqrt(variance);
            std[i] = sd < 1e-6 ? 1f : (float)sd;
        }
        return (mean, std);
    }
}
