namespace Affetto.Models.Data;

/// <summary>
/// Maps the nine GEMS emotions of Emotify (Zentner, Grandjean and Scherer 2008's Geneva Emotional Music Scale)
/// to Russell's four valence-arousal quadrants, so that Emotify can be used as a 4Q-style dataset.
/// </summary>
/// <remarks>
/// <para>The default placement (weights per quadrant Q1..Q4):</para>
/// <list type="bullet">
/// <item>amazement (wonder) and joyful_activation: Q1 (positive valence, high arousal; GEMS's "vitality" and
/// "sublimity" factors with high energy).</item>
/// <item>power: 0.5 Q1 + 0.5 Q2. Power ("strong, triumphant, energetic, fiery") is high-arousal with ambiguous
/// valence: on Emotify's per-track mean votes it correlates about equally with joyful_activation (r = 0.40) and
/// with tension (r = 0.43), so it is split evenly between the two high-arousal quadrants.</item>
/// <item>tension: Q2 (negative valence, high arousal).</item>
/// <item>sadness and nostalgia: Q3 (negative valence, low arousal; GEMS's nostalgia is "sentimental, dreamy,
/// melancholic" and correlates with sadness, r = 0.43).</item>
/// <item>calmness (peacefulness), tenderness and solemnity (transcendence): Q4 (positive valence, low arousal).</item>
/// </list>
/// <para>A track's quadrant is the argmax of the quadrant scores (see <see cref="QuadrantScoreRule"/>), ties
/// going to the lower quadrant number (within 1e-9). The default rule is <see cref="QuadrantScoreRule.Mean"/>: with the sum,
/// Q4 (three emotions) would take half of the tracks and Q2 (1.5 emotions) a tenth.</para>
/// </remarks>
public sealed class GemsQuadrantMapping
{
    /// <summary>The nine GEMS emotions in the column order of Emotify's data.csv.</summary>
    public static IReadOnlyList<string> Emotions { get; } =
        ["amazement", "solemnity", "tenderness", "nostalgia", "calmness", "power", "joyful_activation", "tension", "sadness"];

    /// <summary>The documented default placement with <see cref="QuadrantScoreRule.Mean"/>.</summary>
    public static GemsQuadrantMapping Default { get; } = new(
        new Dictionary<string, double[]>
        {
            ["amazement"] = [1, 0, 0, 0],
            ["joyful_activation"] = [1, 0, 0, 0],
            ["power"] = [0.5, 0.5, 0, 0],
            ["tension"] = [0, 1, 0, 0],
            ["sadness"] = [0, 0, 1, 0],
            ["nostalgia"] = [0, 0, 1, 0],
            ["calmness"] = [0, 0, 0, 1],
            ["tenderness"] = [0, 0, 0, 1],
            ["solemnity"] = [0, 0, 0, 1],
        },
        QuadrantScoreRule.Mean);

    /// <summary>
    /// The grouping of the Emotify seed study (002): joy = amazement + joyful_activation (Q1); anger = solemnity +
    /// power + tension (Q2); sadness = sadness + nostalgia (Q3); neutral = calmness + tenderness (Q4). Offered to
    /// reproduce that study; <see cref="Default"/> places solemnity with the calm emotions, where GEMS puts it.
    /// </summary>
    public static GemsQuadrantMapping Seed { get; } = new(
        new Dictionary<string, double[]>
        {
            ["amazement"] = [1, 0, 0, 0],
            ["joyful_activation"] = [1, 0, 0, 0],
            ["solemnity"] = [0, 1, 0, 0],
            ["power"] = [0, 1, 0, 0],
            ["tension"] = [0, 1, 0, 0],
            ["sadness"] = [0, 0, 1, 0],
            ["nostalgia"] = [0, 0, 1, 0],
            ["calmness"] = [0, 0, 0, 1],
            ["tenderness"] = [0, 0, 0, 1],
        },
        QuadrantScoreRule.Mean);

    private readonly double[,] _weights; // [emotion, quadrant]

    /// <summary>Creates a mapping.</summary>
    /// <param name="weights">For each of the nine <see cref="Emotions"/>, four non-negative weights (Q1..Q4).</param>
    /// <param name="rule">How weighted votes become quadrant scores.</param>
    /// <exception cref="ArgumentException">An emotion is missing or unknown, a weight row is not length 4, a weight is negative or not finite, or a quadrant has no weight.</exception>
    public GemsQuadrantMapping(IReadOnlyDictionary<string, double[]> weights, QuadrantScoreRule rule)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (!Enum.IsDefined(rule))
            throw new ArgumentException($"unknown quadrant score rule {rule}", nameof(rule));
        foreach (var key in weights.Keys)
        {
            if (!Emotions.Contains(key))
                throw new ArgumentException($"'{key}' is not a GEMS emotion (expected one of {string.Join(", ", Emotions)})", nameof(weights));
        }
        _weights = new double[Emotions.Count, 4];
        for (int e = 0; e < Emotions.Count; e++)
        {
            if (!weights.TryGetValue(Emotions[e], out var row))
                throw new ArgumentException($"no quadrant weights for emotion '{Emotions[e]}'", nameof(weights));
            if (row is null || row.Length != 4)
                throw new ArgumentException($"emotion '{Emotions[e]}' needs 4 weights (Q1..Q4), got {row?.Length ?? 0}", nameof(weights));
            for (int q = 0; q < 4; q++)
            {
                if (!double.IsFinite(row[q]) || row[q] < 0)
                    throw new ArgumentException($"weight of '{Emotions[e]}' for Q{q + 1} is {row[q]}; weights must be finite and non-negative", nameof(weights));
                _weights[e, q] = row[q];
            }
        }
        for (int q = 0; q < 4; q++)
        {
            double total = 0;
            for (int e = 0; e < Emotions.Count; e++)
                total += _weights[e, q];
            if (total <= 0)
                throw new ArgumentException($"no emotion has a positive weight for Q{q + 1}", nameof(weights));
        }
        Rule = rule;
    }

    /// <summary>How weighted votes become quadrant scores.</summary>
    public QuadrantScoreRule Rule { get; }

    /// <summary>The weight of an emotion for a quadrant.</summary>
    /// <param name="emotion">A GEMS emotion name.</param>
    /// <param name="quadrant">0 for Q1 ... 3 for Q4.</param>
    /// <returns>The weight.</returns>
    /// <exception cref="ArgumentException">Unknown emotion.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Quadrant outside 0..3.</exception>
    public double Weight(string emotion, int quadrant)
    {
        int e = Emotions.ToList().IndexOf(emotion);
        if (e < 0)
            throw new ArgumentException($"'{emotion}' is not a GEMS emotion", nameof(emotion));
        ArgumentOutOfRangeException.ThrowIfNegative(quadrant);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quadrant, 3);
        return _weights[e, quadrant];
    }

    /// <summary>The four quadrant scores of a track.</summary>
    /// <param name="emotionVotes">Mean vote (0..1) for each of the nine <see cref="Emotions"/>, in that order.</param>
    /// <returns>Scores for Q1..Q4.</returns>
    /// <exception cref="ArgumentException">Not nine values, or a value is not finite.</exception>
    public double[] Scores(ReadOnlySpan<double> emotionVotes)
    {
        if (emotionVotes.Length != Emotions.Count)
            throw new ArgumentException($"expected {Emotions.Count} emotion votes, got {emotionVotes.Length}", nameof(emotionVotes));
        var scores = new double[4];
        for (int q = 0; q < 4; q++)
        {
            double sum = 0, weight = 0;
            for (int e = 0; e < Emotions.Count; e++)
            {
                if (!double.IsFinite(emotionVotes[e]))
                    throw new ArgumentException($"vote for '{Emotions[e]}' is {emotionVotes[e]}", nameof(emotionVotes));
                sum += _weights[e, q] * emotionVotes[e];
                weight += _weights[e, q];
            }
            scores[q] = Rule == QuadrantScoreRule.Mean ? sum / weight : sum;
        }
        return scores;
    }

    /// <summary>
    /// The quadrant (0 for Q1 ... 3 for Q4) with the highest score; scores within 1e-9 (relative) of each other are
    /// ties and go to the lower quadrant. Exact ties are common (votes are fractions of 11-59 listeners), and the
    /// tolerance keeps the result independent of floating-point summation order.
    /// </summary>
    /// <param name="emotionVotes">Mean vote for each of the nine <see cref="Emotions"/>.</param>
    /// <returns>The quadrant index.</returns>
    public int Assign(ReadOnlySpan<double> emotionVotes)
    {
        var scores = Scores(emotionVotes);
        int best = 0;
        for (int q = 1; q < 4; q++)
        {
            if (scores[q] > scores[best] + 1e-9 * Math.Max(1, Math.Abs(scores[best])))
                best = q;
        }
        return best;
    }
}
