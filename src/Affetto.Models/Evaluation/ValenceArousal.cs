namespace Affetto.Models.Evaluation;

/// <summary>
/// A point in Russell's valence-arousal plane derived from quadrant probabilities p1..p4 (Q1 happy: +V +A,
/// Q2 angry: -V +A, Q3 sad: -V -A, Q4 calm: +V -A): valence = (p1 + p4) - (p2 + p3), arousal = (p1 + p2) - (p3 + p4).
/// The probabilities are first divided by their sum, so both coordinates lie in [-1, 1]; each is the expected
/// sign of its axis under the quadrant distribution.
/// </summary>
/// <param name="Valence">Valence in [-1, 1].</param>
/// <param name="Arousal">Arousal in [-1, 1].</param>
public readonly record struct ValenceArousal(double Valence, double Arousal)
{
    /// <summary>Computes valence and arousal from Q1..Q4 probabilities.</summary>
    /// <param name="quadrantProbabilities">Four non-negative values for Q1..Q4 (normalised here) with a positive sum.</param>
    /// <returns>The point.</returns>
    /// <exception cref="ArgumentException">Not four values, a negative or non-finite value, or a zero sum.</exception>
    public static ValenceArousal FromQuadrantProbabilities(ReadOnlySpan<double> quadrantProbabilities)
    {
        if (quadrantProbabilities.Length != 4)
            throw new ArgumentException($"expected 4 quadrant probabilities (Q1..Q4), got {quadrantProbabilities.Length}", nameof(quadrantProbabilities));
        double sum = 0;
        for (int q = 0; q < 4; q++)
        {
            double p = quadrantProbabilities[q];
            if (!double.IsFinite(p) || p < 0)
                throw new ArgumentException($"probability of Q{q + 1} is {p}; it must be finite and non-negative", nameof(quadrantProbabilities));
            sum += p;
        }
        if (sum <= 0)
            throw new ArgumentException("the quadrant probabilities sum to 0", nameof(quadrantProbabilities));
        double p1 = quadrantProbabilities[0] / sum, p2 = quadrantProbabilities[1] / sum;
        double p3 = quadrantProbabilities[2] / sum, p4 = quadrantProbabilities[3] / sum;
        return new ValenceArousal(Math.Clamp(p1 + p4 - p2 - p3, -1, 1), Math.Clamp(p1 + p2 - p3 - p4, -1, 1));
    }

    /// <summary>Computes valence and arousal from single-precision Q1..Q4 probabilities (e.g. a softmax output).</summary>
    /// <param name="quadrantProbabilities">Four non-negative values for Q1..Q4.</param>
    /// <returns>The point.</returns>
    public static ValenceArousal FromQuadrantProbabilities(ReadOnlySpan<float> quadrantProbabilities)
    {
        Span<double> p = stackalloc double[4];
        if (quadrantProbabilities.Length != 4)
            throw new ArgumentException($"expected 4 quadrant probabilities (Q1..Q4), got {quadrantProbabilities.Length}", nameof(quadrantProbabilities));
        for (int q = 0; q < 4; q++)
            p[q] = quadrantProbabilities[q];
        return FromQuadrantProbabilities(p);
    }
}
