namespace Affetto.Models.Evaluation;

/// <summary>Combines segment-level class probabilities into track-level predictions.</summary>
public static class TrackVoting
{
    /// <summary>Combines segments given as a row-major probability matrix.</summary>
    /// <param name="segmentProbabilities">segmentCount x classCount probabilities, row-major (e.g. a softmax output).</param>
    /// <param name="classCount">Number of classes (columns).</param>
    /// <param name="segmentTrackIds">For each segment (row), the id of its track.</param>
    /// <param name="method">Soft (mean of probabilities, the default) or majority voting.</param>
    /// <returns>One prediction per track, in order of the tracks' first segment.</returns>
    /// <exception cref="ArgumentException">The matrix size does not match, no segments, a null track id, or a negative or non-finite probability.</exception>
    public static IReadOnlyList<TrackPrediction> Combine(ReadOnlySpan<float> segmentProbabilities, int classCount,
        IReadOnlyList<string> segmentTrackIds, VotingMethod method = VotingMethod.Soft)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ArgumentNullException.ThrowIfNull(segmentTrackIds);
        if (segmentProbabilities.Length != (long)segmentTrackIds.Count * classCount)
            throw new ArgumentException(
                $"{segmentProbabilities.Length} probabilities do not form {segmentTrackIds.Count} segments x {classCount} classes",
                nameof(segmentProbabilities));
        var rows = new double[segmentTrackIds.Count][];
        for (int s = 0; s < rows.Length; s++)
        {
            rows[s] = new double[classCount];
            for (int c = 0; c < classCount; c++)
                rows[s][c] = segmentProbabilities[s * classCount + c];
        }
        return Combine(rows, segmentTrackIds, method);
    }

    /// <summary>Combines segments given as one probability row each.</summary>
    /// <param name="segmentProbabilities">For each segment, its class probabilities (all rows the same length).</param>
    /// <param name="segmentTrackIds">For each segment, the id of its track.</param>
    /// <param name="method">Soft (mean of probabilities, the default) or majority voting.</param>
    /// <returns>One prediction per track, in order of the tracks' first segment.</returns>
    /// <exception cref="ArgumentException">Lists of different lengths, no segments, rows of different lengths, a null track id, or a negative or non-finite probability.</exception>
    public static IReadOnlyList<TrackPrediction> Combine(IReadOnlyList<IReadOnlyList<double>> segmentProbabilities,
        IReadOnlyList<string> segmentTrackIds, VotingMethod method = VotingMethod.Soft)
    {
        ArgumentNullException.ThrowIfNull(segmentProbabilities);
        ArgumentNullException.ThrowIfNull(segmentTrackIds);
        if (!Enum.IsDefined(method))
            throw new ArgumentException($"unknown voting method {method}", nameof(method));
        if (segmentProbabilities.Count != segmentTrackIds.Count)
            throw new ArgumentException($"{segmentProbabilities.Count} probability rows but {segmentTrackIds.Count} track ids", nameof(segmentTrackIds));
        if (segmentProbabilities.Count == 0)
            throw new ArgumentException("no segments to combine", nameof(segmentProbabilities));
        int classCount = segmentProbabilities[0]?.Count ?? 0;
        if (classCount == 0)
            throw new ArgumentException("segment 0 has no probabilities", nameof(segmentProbabilities));

        var order = new List<string>();
        var sums = new Dictionary<string, (double[] Prob, double[] Votes, int Count)>(StringComparer.Ordinal);
        for (int s = 0; s < segmentProbabilities.Count; s++)
        {
            var row = segmentProbabilities[s];
            string id = segmentTrackIds[s] ?? throw new ArgumentException($"segment {s} has a null track id", nameof(segmentTrackIds));
            if (row is null || row.Count != classCount)
                throw new ArgumentException($"segment {s} has {row?.Count ?? 0} probabilities, expected {classCount}", nameof(segmentProbabilities));
            if (!sums.TryGetValue(id, out var acc))
            {
                acc = (new double[classCount], new double[classCount], 0);
                order.Add(id);
            }
            int best = 0;
            for (int c = 0; c < classCount; c++)
            {
                double p = row[c];
                if (!double.IsFinite(p) || p < 0)
                    throw new ArgumentException($"segment {s} (track '{id}') has probability {p} for class {c}", nameof(segmentProbabilities));
                acc.Prob[c] += p;
                if (p > row[best])
                    best = c;
            }
            acc.Votes[best]++;
            sums[id] = (acc.Prob, acc.Votes, acc.Count + 1);
        }

        var result = new TrackPrediction[order.Count];
        for (int t = 0; t < order.Count; t++)
        {
            var (prob, votes, count) = sums[order[t]];
            int predicted = 0;
            double[] output;
            if (method == VotingMethod.Soft)
            {
                output = prob.Select(p => p / count).ToArray();
                for (int c = 1; c < classCount; c++)
                {
                    if (output[c] > output[predicted])
                        predicted = c;
                }
            }
            else
            {
                output = votes.Select(v => v / count).ToArray();
                for (int c = 1; c < classCount; c++)
                {
                    if (votes[c] > votes[predicted] || (votes[c] == votes[predicted] && prob[c] > prob[predicted]))
                        predicted = c;
                }
            }
            result[t] = new TrackPrediction(order[t], output, predicted, count);
        }
        return result;
    }
}
