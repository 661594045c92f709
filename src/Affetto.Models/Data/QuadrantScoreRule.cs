namespace Affetto.Models.Data;

/// <summary>How <see cref="GemsQuadrantMapping"/> turns weighted emotion votes into a quadrant score.</summary>
public enum QuadrantScoreRule
{
    /// <summary>
    /// Weighted mean of the quadrant's emotions: sum(w * vote) / sum(w). Quadrants with more emotions are not
    /// favoured. On the 360 public Emotify tracks with <see cref="GemsQuadrantMapping.Default"/> it gives
    /// Q1 79, Q2 96, Q3 89, Q4 96 tracks.
    /// </summary>
    Mean,

    /// <summary>
    /// Weighted sum: sum(w * vote). Favours quadrants with more emotions: on the same tracks it gives
    /// Q1 118, Q2 34, Q3 34, Q4 174.
    /// </summary>
    Sum,
}
