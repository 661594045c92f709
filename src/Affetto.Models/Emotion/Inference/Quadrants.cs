namespace Affetto.Models.Emotion.Inference;

/// <summary>Russell's four valence-arousal quadrants as the emotion models name them.</summary>
public static class Quadrants
{
    /// <summary>The labels in the order every emotion model uses: Q1, Q2, Q3, Q4.</summary>
    public static IReadOnlyList<string> Labels { get; } = ["Q1", "Q2", "Q3", "Q4"];

    /// <summary>Human names of the quadrants: Q1 happy/excited, Q2 angry/tense, Q3 sad/depressed, Q4 calm/relaxed.</summary>
    public static IReadOnlyDictionary<string, string> Names { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Q1"] = "happy/excited",
        ["Q2"] = "angry/tense",
        ["Q3"] = "sad/depressed",
        ["Q4"] = "calm/relaxed",
    };

    /// <summary>The human name of <paramref name="quadrant"/> (e.g. "sad/depressed" for Q3).</summary>
    /// <param name="quadrant">Q1..Q4.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentException">Not one of Q1..Q4.</exception>
    public static string NameOf(string quadrant) =>
        quadrant is not null && Names.TryGetValue(quadrant, out var name)
            ? name
            : throw new ArgumentException($"'{quadrant}' is not a quadrant (expected Q1, Q2, Q3 or Q4)", nameof(quadrant));

    /// <summary>
    /// For each of Q1..Q4, its column in <paramref name="labels"/> (a model's label list, in any order).
    /// </summary>
    /// <param name="labels">The model's labels.</param>
    /// <returns>Four column indices.</returns>
    /// <exception cref="ArgumentException">The labels are not exactly Q1..Q4 (in some order).</exception>
    public static int[] ColumnsOf(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != 4 || Labels.Any(q => !labels.Contains(q)))
            throw new ArgumentException(
                $"an emotion model must predict exactly Q1, Q2, Q3 and Q4; this one predicts [{string.Join(", ", labels)}]", nameof(labels));
        return Labels.Select(q => labels.ToList().IndexOf(q)).ToArray();
    }
}
