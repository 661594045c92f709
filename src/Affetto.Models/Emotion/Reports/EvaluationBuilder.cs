using Affetto.Models.Emotion.Inference;
using Affetto.Models.Evaluation;

namespace Affetto.Models.Emotion.Reports;

/// <summary>
/// Accumulates per-track segment predictions with their true labels and builds the <see cref="EvaluationResult"/>:
/// tracks by the mean of their segments' probabilities (<see cref="TrackVoting"/>, soft), segments by their argmax.
/// </summary>
public sealed class EvaluationBuilder
{
    private readonly List<(SegmentPredictions Segments, string Truth)> _tracks = [];
    private readonly List<(string File, string Error)> _failures = [];

    /// <summary>Creates a builder for <paramref name="labels"/> (the model's label order).</summary>
    /// <param name="labels">The labels; non-empty, distinct.</param>
    /// <exception cref="ArgumentException">No labels or a repeated label.</exception>
    public EvaluationBuilder(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _ = new ConfusionMatrix(labels); // validates the label list
        Labels = labels.ToArray();
    }

    /// <summary>The label order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Adds one analysed track.</summary>
    /// <param name="segments">The model's segment output on the track (same labels, at least one segment).</param>
    /// <param name="truth">The track's true label (one of <see cref="Labels"/>).</param>
    /// <exception cref="ArgumentException">Other labels, no segments, or an unknown true label.</exception>
    public void Add(SegmentPredictions segments, string truth)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (!segments.Labels.SequenceEqual(Labels))
            throw new ArgumentException($"'{segments.File}' was predicted with labels [{string.Join(", ", segments.Labels)}], expected [{string.Join(", ", Labels)}]", nameof(segments));
        if (segments.SegmentCount == 0)
            throw new ArgumentException($"'{segments.File}' has no segments", nameof(segments));
        if (!Labels.Contains(truth))
            throw new ArgumentException($"'{segments.File}' has label '{truth}', which the model does not predict ([{string.Join(", ", Labels)}])", nameof(truth));
        _tracks.Add((segments, truth));
    }

    /// <summary>Records a track that could not be analysed.</summary>
    /// <param name="file">The file.</param>
    /// <param name="error">The reason.</param>
    public void AddFailure(string file, string error) => _failures.Add((file, error));

    /// <summary>Builds the result.</summary>
    /// <returns>The evaluation.</returns>
    /// <exception cref="InvalidOperationException">No track was added.</exception>
    public EvaluationResult Build()
    {
        if (_tracks.Count == 0)
            throw new InvalidOperationException("no track could be evaluated");
        int classes = Labels.Count;
        var trackMatrix = new ConfusionMatrix(Labels);
        var segmentMatrix = new ConfusionMatrix(Labels);
        var outcomes = new List<TrackOutcome>(_tracks.Count);
        foreach (var (segments, truth) in _tracks)
        {
            int truthIndex = IndexOf(truth);
            var ids = Enumerable.Repeat(segments.File, segments.SegmentCount).ToArray();
            var track = TrackVoting.Combine(segments.Probabilities, classes, ids, VotingMethod.Soft)[0];
            trackMatrix.Add(truthIndex, track.PredictedClass);
            for (int s = 0; s < segments.SegmentCount; s++)
                segmentMatrix.Add(truthIndex, ArgMax(segments.Row(s)));
            var probabilities = new Dictionary<string, double>(classes, StringComparer.Ordinal);
            for (int c = 0; c < classes; c++)
                probabilities[Labels[c]] = track.Probabilities[c];
            outcomes.Add(new TrackOutcome(segments.File, truth, Labels[track.PredictedClass], probabilities, segments.SegmentCount));
        }
        return new EvaluationResult(Labels, outcomes, trackMatrix.ToReport(), trackMatrix.PerClass(),
            segmentMatrix.ToReport(), segmentMatrix.PerClass(), _failures.ToArray());
    }

    private int IndexOf(string label)
    {
        for (int i = 0; i < Labels.Count; i++)
        {
            if (Labels[i] == label)
                return i;
        }
        throw new ArgumentException($"unknown label '{label}'", nameof(label));
    }

    // First maximum wins, as TrackVoting and numpy's argmax.
    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++)
        {
            if (row[c] > row[best])
                best = c;
        }
        return best;
    }
}
