namespace Affetto.Models.Emotion.Reports;

/// <summary>The evaluation of one track: its true label, the model's track prediction and mean probabilities.</summary>
/// <param name="File">The track's audio file.</param>
/// <param name="Truth">The dataset's label.</param>
/// <param name="Prediction">The label with the highest mean probability.</param>
/// <param name="Probabilities">Mean segment probability of each label.</param>
/// <param name="SegmentCount">Number of segments averaged.</param>
public sealed record TrackOutcome(
    string File,
    string Truth,
    string Prediction,
    IReadOnlyDictionary<string, double> Probabilities,
    int SegmentCount);
