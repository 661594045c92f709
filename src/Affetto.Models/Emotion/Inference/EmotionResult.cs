namespace Affetto.Models.Emotion.Inference;

/// <summary>
/// What a file expresses: its quadrant, the quadrant probabilities (the mean of its segments' probabilities,
/// training's soft track voting), its place on the valence-arousal plane and optionally the per-segment timeline.
/// </summary>
/// <param name="File">The analysed file as given.</param>
/// <param name="Duration">Duration of the decoded audio in seconds.</param>
/// <param name="Quadrant">Most probable quadrant (Q1..Q4).</param>
/// <param name="Probabilities">Probability of each quadrant, keys Q1..Q4, summing to 1.</param>
/// <param name="Valence">Valence in [-1, 1]: p1 + p4 - p2 - p3.</param>
/// <param name="Arousal">Arousal in [-1, 1]: p1 + p2 - p3 - p4.</param>
/// <param name="Timeline">One entry per segment in time order, or null when not asked for.</param>
public sealed record EmotionResult(
    string File,
    double Duration,
    string Quadrant,
    IReadOnlyDictionary<string, double> Probabilities,
    double Valence,
    double Arousal,
    IReadOnlyList<TimelineEntry>? Timeline)
{
    /// <summary>The human name of <see cref="Quadrant"/> (e.g. "sad/depressed").</summary>
    public string QuadrantName => Quadrants.NameOf(Quadrant);
}
