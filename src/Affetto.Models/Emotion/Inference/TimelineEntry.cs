namespace Affetto.Models.Emotion.Inference;

/// <summary>The prediction for one analysis segment of a file.</summary>
/// <param name="Start">Start of the segment in seconds.</param>
/// <param name="End">End of the segment in seconds.</param>
/// <param name="Quadrant">Most probable quadrant (Q1..Q4).</param>
/// <param name="Probabilities">Probability of each quadrant, keys Q1..Q4.</param>
/// <param name="Valence">Valence in [-1, 1]: p1 + p4 - p2 - p3.</param>
/// <param name="Arousal">Arousal in [-1, 1]: p1 + p2 - p3 - p4.</param>
public sealed record TimelineEntry(
    double Start,
    double End,
    string Quadrant,
    IReadOnlyDictionary<string, double> Probabilities,
    double Valence,
    double Arousal);
