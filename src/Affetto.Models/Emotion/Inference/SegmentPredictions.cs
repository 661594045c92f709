namespace Affetto.Models.Emotion.Inference;

/// <summary>The raw per-segment output of a model on one file.</summary>
/// <param name="File">The analysed file.</param>
/// <param name="Duration">Decoded duration in seconds.</param>
/// <param name="Labels">The model's labels (columns of <paramref name="Probabilities"/>).</param>
/// <param name="Probabilities">Segment-major probabilities, <c>SegmentCount x Labels.Count</c>.</param>
/// <param name="StartSeconds">Start of each segment in seconds.</param>
/// <param name="SegmentSeconds">Length of one segment in seconds.</param>
public sealed record SegmentPredictions(
    string File,
    double Duration,
    IReadOnlyList<string> Labels,
    float[] Probabilities,
    double[] StartSeconds,
    double SegmentSeconds)
{
    /// <summary>Number of segments.</summary>
    public int SegmentCount => StartSeconds.Length;

    /// <summary>The probabilities of segment <paramref name="segment"/>.</summary>
    /// <param name="segment">Segment index.</param>
    /// <returns>One value per label.</returns>
    public ReadOnlySpan<float> Row(int segment) => Probabilities.AsSpan(segment * Labels.Count, Labels.Count);
}
