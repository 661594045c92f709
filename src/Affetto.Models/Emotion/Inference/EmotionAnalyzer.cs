using Affetto.Models.Emotion.FrontEnd;

namespace Affetto.Models.Emotion.Inference;

/// <summary>
/// Analyses audio files with an emotion model with bounded memory: the file streams through the front end in
/// chunks of <c>segmentsPerChunk</c> segments (<see cref="ChunkedFrontEnd"/>), each chunk is predicted, and the
/// track's probabilities are the mean of its segments' (training's soft voting). Thread-safe: each call uses its own
/// front end; the prediction function must itself be safe to call from several threads.
/// </summary>
public sealed class EmotionAnalyzer
{
    private readonly Func<SegmentBatch, float[]> _predict;

    /// <summary>Creates an analyzer from front-end settings and a prediction function.</summary>
    /// <param name="settings">The model's front-end settings.</param>
    /// <param name="labels">The model's labels (Q1..Q4 in some order).</param>
    /// <param name="predict">Returns <c>batch.Count x labels.Count</c> probabilities, segment-major.</param>
    /// <param name="segmentsPerChunk">Segments per streamed chunk.</param>
    /// <exception cref="ArgumentException">The labels are not Q1..Q4.</exception>
    public EmotionAnalyzer(FrontEndSettings settings, IReadOnlyList<string> labels, Func<SegmentBatch, float[]> predict, int segmentsPerChunk = 32)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(predict);
        Quadrants.ColumnsOf(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentsPerChunk, 1);
        Settings = settings;
        Labels = labels.ToArray();
        _predict = predict;
        SegmentsPerChunk = segmentsPerChunk;
    }

    /// <summary>The front-end settings.</summary>
    public FrontEndSettings Settings { get; }

    /// <summary>The model's labels.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Segments per streamed chunk.</summary>
    public int SegmentsPerChunk { get; }

    /// <summary>The model's per-segment probabilities on <paramref name="path"/>.</summary>
    /// <param name="path">Audio file.</param>
    /// <param name="cancellation">Stops between chunks.</param>
    /// <returns>The segments' probabilities and start times.</returns>
    /// <exception cref="Affetto.Audio.AudioException">Missing or unreadable file.</exception>
    /// <exception cref="InvalidOperationException">The prediction function returned the wrong number of values.</exception>
    public SegmentPredictions PredictSegments(string path, CancellationToken cancellation = default)
    {
        var frontEnd = new ChunkedFrontEnd(Settings, SegmentsPerChunk);
        var probabilities = new List<float>();
        var starts = new List<double>();
        double duration = frontEnd.Stream(path, batch =>
        {
            float[] p = _predict(batch);
            if (p.Length != batch.Count * Labels.Count)
                throw new InvalidOperationException($"the model returned {p.Length} probabilities for {batch.Count} segments x {Labels.Count} labels");
            probabilities.AddRange(p);
            starts.AddRange(batch.StartSeconds);
        }, cancellation);
        return new SegmentPredictions(path, duration, Labels, probabilities.ToArray(), starts.ToArray(), Settings.SegmentSeconds);
    }

    /// <summary>Analyses <paramref name="path"/>.</summary>
    /// <param name="path">Audio file.</param>
    /// <param name="timeline">Whether to include the per-segment timeline.</param>
    /// <param name="cancellation">Stops between chunks.</param>
    /// <returns>The quadrant, probabilities, valence, arousal and optional timeline.</returns>
    /// <exception cref="Affetto.Audio.AudioException">Missing or unreadable file.</exception>
    public EmotionResult Analyze(string path, bool timeline = false, CancellationToken cancellation = default) =>
        EmotionSummary.Summarize(PredictSegments(path, cancellation), timeline);
}
