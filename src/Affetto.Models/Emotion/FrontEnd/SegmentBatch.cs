namespace Affetto.Models.Emotion.FrontEnd;

/// <summary>The model inputs of one clip: one row per segment, row-major.</summary>
/// <param name="Count">Number of segments S.</param>
/// <param name="Height">Image height H (frequency rows), 0 without spectrograms.</param>
/// <param name="Width">Image width W (frames), 0 without spectrograms.</param>
/// <param name="FeatureDim">Summary feature count D, 0 without features.</param>
/// <param name="Spectrograms">[S, 1, H, W] images, or null when the front end computes none.</param>
/// <param name="Features">[S, D] summary features, or null when the front end computes none.</param>
/// <param name="StartSeconds">Start time of each segment in seconds.</param>
public sealed record SegmentBatch(int Count, int Height, int Width, int FeatureDim, float[]? Spectrograms, float[]? Features, double[] StartSeconds)
{
    /// <summary>
    /// For settings with <see cref="FrontEndSettings.Views"/>: the same segments as computed by each view (view i for
    /// member i; identical views share one batch), while this batch holds only the count and start times. Else null.
    /// </summary>
    public IReadOnlyList<SegmentBatch>? Views { get; init; }

    /// <summary>The <see cref="Views"/>, checked to be one per member of an ensemble of <paramref name="members"/>.</summary>
    /// <exception cref="ArgumentException">The batch has no views or another number of them.</exception>
    public IReadOnlyList<SegmentBatch> ViewsFor(int members) =>
        Views is { } views && views.Count == members ? views
        : throw new ArgumentException($"the ensemble's {members} members read one view each but the batch has {Views?.Count ?? 0} views");

    /// <summary>The segments at <paramref name="indices"/>, in that order (views included, still shared where they were).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the batch.</exception>
    public SegmentBatch Select(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int hw = ImageSize, d = FeatureDim;
        float[]? images = Spectrograms is null ? null : new float[indices.Count * hw];
        float[]? features = Features is null ? null : new float[indices.Count * d];
        var starts = new double[indices.Count];
        for (int j = 0; j < indices.Count; j++)
        {
            int i = indices[j];
            ArgumentOutOfRangeException.ThrowIfNegative(i);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, Count);
            if (images is not null) Image(i).CopyTo(images.AsSpan(j * hw, hw));
            if (features is not null) FeatureRow(i).CopyTo(features.AsSpan(j * d, d));
            starts[j] = StartSeconds[i];
        }
        IReadOnlyList<SegmentBatch>? views = null;
        if (Views is not null)
        {
            var selected = new Dictionary<SegmentBatch, SegmentBatch>(ReferenceEqualityComparer.Instance);
            views = Views.Select(v => selected.TryGetValue(v, out var done) ? done : selected[v] = v.Select(indices)).ToArray();
        }
        return new SegmentBatch(indices.Count, Height, Width, d, images, features, starts) { Views = views };
    }

    /// <summary>Values per segment image (H·W).</summary>
    public int ImageSize => Height * Width;

    /// <summary>The image of segment <paramref name="index"/> ([H, W]).</summary>
    public ReadOnlySpan<float> Image(int index) =>
        Spectrograms is null ? throw new InvalidOperationException("This batch has no spectrograms.") : Spectrograms.AsSpan(checked(index * ImageSize), ImageSize);

    /// <summary>The feature vector of segment <paramref name="index"/> ([D]).</summary>
    public ReadOnlySpan<float> FeatureRow(int index) =>
        Features is null ? throw new InvalidOperationException("This batch has no summary features.") : Features.AsSpan(checked(index * FeatureDim), FeatureDim);
}
