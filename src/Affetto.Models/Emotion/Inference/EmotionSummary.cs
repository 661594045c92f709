using Affetto.Models.Evaluation;

namespace Affetto.Models.Emotion.Inference;

/// <summary>Turns per-segment probabilities into an <see cref="EmotionResult"/>.</summary>
public static class EmotionSummary
{
    /// <summary>
    /// Combines the segments by the mean of their probabilities (<see cref="TrackVoting"/>, soft voting, as in
    /// training), derives valence and arousal (<see cref="ValenceArousal"/>) and, when asked, the timeline.
    /// </summary>
    /// <param name="segments">The per-segment output; the labels must be Q1..Q4.</param>
    /// <param name="timeline">Whether to include one <see cref="TimelineEntry"/> per segment.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">Labels other than Q1..Q4, no segments, or invalid probabilities.</exception>
    public static EmotionResult Summarize(SegmentPredictions segments, bool timeline)
    {
        ArgumentNullException.ThrowIfNull(segments);
        int[] columns = Quadrants.ColumnsOf(segments.Labels);
        if (segments.SegmentCount == 0)
            throw new ArgumentException($"'{segments.File}' produced no segments to analyse", nameof(segments));
        var ids = new string[segments.SegmentCount];
        Array.Fill(ids, segments.File);
        var track = TrackVoting.Combine(segments.Probabilities, segments.Labels.Count, ids, VotingMethod.Soft)[0];
        var (quadrant, probabilities, va) = Describe(track.Probabilities, columns);

        List<TimelineEntry>? entries = null;
        if (timeline)
        {
            entries = new List<TimelineEntry>(segments.SegmentCount);
            var row = new double[segments.Labels.Count];
            for (int s = 0; s < segments.SegmentCount; s++)
            {
                var span = segments.Row(s);
                for (int c = 0; c < row.Length; c++)
                    row[c] = span[c];
                var (q, p, v) = Describe(row, columns);
                double start = segments.StartSeconds[s];
                // A padded last segment ends where the audio ends.
                entries.Add(new TimelineEntry(start, Math.Max(start, Math.Min(start + segments.SegmentSeconds, segments.Duration)),
                    q, p, v.Valence, v.Arousal));
            }
        }
        return new EmotionResult(segments.File, segments.Duration, quadrant, probabilities, va.Valence, va.Arousal, entries);
    }

    private static (string Quadrant, IReadOnlyDictionary<string, double> Probabilities, ValenceArousal Va) Describe(
        IReadOnlyList<double> row, int[] columns)
    {
        Span<double> q = stackalloc double[4];
        double sum = 0;
        for (int k = 0; k < 4; k++)
        {
            q[k] = row[columns[k]];
            sum += q[k];
        }
        var va = ValenceArousal.FromQuadrantProbabilities(q);
        var probabilities = new Dictionary<string, double>(4, StringComparer.Ordinal);
        int best = 0;
        for (int k = 0; k < 4; k++)
        {
            probabilities[Quadrants.Labels[k]] = sum > 0 ? q[k] / sum : q[k];
            if (q[k] > q[best])
                best = k;
        }
        return (Quadrants.Labels[best], probabilities, va);
    }
}
