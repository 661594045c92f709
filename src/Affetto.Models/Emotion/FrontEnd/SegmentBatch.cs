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

    /// <summary>Values per segment image (H·W).</summary>
    public int ImageSize => Height * Width;

    /// <summary>The image of segment <paramref name="index"/> ([H, W]).</summary>
    public ReadOnlySpan<float> Image(int index) =>
        Spectrograms is null ? throw new InvalidOperationException("This batch has no spectrograms.") : Spectrograms.AsSpan(checked(index * ImageSize), ImageSize);

    /// <summary>The feature vector of segment <paramref name="index"/> ([D]).</summary>
    public ReadOnlySpan<float> FeatureRow(int index) =>
        Features is null ? throw new InvalidOperationException("This batch has no summary features.") : Features.AsSpan(checked(index * FeatureDim), FeatureDim);
}
