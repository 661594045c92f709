using Affetto.Models.Evaluation;

namespace Affetto.Models.Emotion.Reports;

/// <summary>
/// A model's scores on a dataset: the track-level report (segments combined by the mean of their probabilities),
/// the segment-level report (every segment judged against its track's label), per-class metrics and every track.
/// </summary>
/// <param name="Labels">The label order of both reports.</param>
/// <param name="Tracks">One outcome per evaluated track, in dataset order.</param>
/// <param name="TrackReport">Track-level accuracy, averages and confusion (rows = truth).</param>
/// <param name="TrackClasses">Track-level precision, recall, F1 and support per label.</param>
/// <param name="SegmentReport">Segment-level accuracy, averages and confusion (rows = truth).</param>
/// <param name="SegmentClasses">Segment-level metrics per label.</param>
/// <param name="Failures">Tracks that could not be analysed: file and reason.</param>
public sealed record EvaluationResult(
    IReadOnlyList<string> Labels,
    IReadOnlyList<TrackOutcome> Tracks,
    ClassificationReport TrackReport,
    IReadOnlyList<ClassMetrics> TrackClasses,
    ClassificationReport SegmentReport,
    IReadOnlyList<ClassMetrics> SegmentClasses,
    IReadOnlyList<(string File, string Error)> Failures);
