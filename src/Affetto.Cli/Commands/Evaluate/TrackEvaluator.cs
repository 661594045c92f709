using Affetto.Audio.IO;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.Inference;
using Affetto.Models.Emotion.ModelFile;

namespace Affetto.Cli.Commands.Evaluate;

/// <summary>What one track gave: its segment probabilities and the embeddings of its sampled segments.</summary>
/// <param name="Predictions">Probabilities of every segment.</param>
/// <param name="After">Embeddings of the sampled segments by the trained network.</param>
/// <param name="Before">Embeddings of the same segments by the untrained network (same seed).</param>
internal sealed record TrackRun(SegmentPredictions Predictions, IReadOnlyList<float[]> After, IReadOnlyList<float[]> Before);

/// <summary>
/// Streams one track through the model's front end (<see cref="ChunkedFrontEnd"/>, bounded memory), predicts every
/// segment and, for the maps, embeds a few evenly spaced segments with the trained and the untrained network.
/// Thread-safe: each call has its own front end; the networks serialise their own calls.
/// </summary>
internal sealed class TrackEvaluator
{
    private readonly EmotionModel _model;
    private readonly NetworkPredictor? _initial;

    /// <param name="model">The evaluated model.</param>
    /// <param name="initial">The untrained network's predictor, or null when no maps are wanted.</param>
    public TrackEvaluator(EmotionModel model, NetworkPredictor? initial)
    {
        _model = model;
        _initial = initial;
    }

    /// <summary>Evaluates <paramref name="path"/>, embedding up to <paramref name="mapSegments"/> of its segments.</summary>
    public TrackRun Run(string path, int mapSegments, CancellationToken cancellation)
    {
        var settings = _model.FrontEnd;
        var frontEnd = new ChunkedFrontEnd(settings);
        HashSet<int> chosen = mapSegments > 0 && _initial is not null ? ChooseSegments(path, settings, mapSegments) : [];
        var probabilities = new List<float>();
        var starts = new List<double>();
        var after = new List<float[]>();
        var before = new List<float[]>();
        int index = 0;
        double duration = frontEnd.Stream(path, batch =>
        {
            float[] p = _model.PredictProbabilities(batch);
            // NaN weights (a diverged training) give NaN probabilities: no score can be computed from them.
            foreach (float v in p)
                if (!float.IsFinite(v))
                    throw new InvalidDataException("the model gives non-finite probabilities on this track (diverged or damaged weights?)");
            probabilities.AddRange(p);
            starts.AddRange(batch.StartSeconds);
            if (chosen.Count > 0)
            {
                var picked = Enumerable.Range(0, batch.Count).Where(i => chosen.Contains(index + i)).ToArray();
                if (picked.Length > 0)
                {
                    var sub = batch.Select(picked);
                    after.AddRange(_model.Embed(sub));
                    before.AddRange(_initial!.Embed(sub));
                }
            }
            index += batch.Count;
        }, cancellation);
        var predictions = new SegmentPredictions(path, duration, _model.Labels, probabilities.ToArray(), starts.ToArray(), settings.SegmentSeconds);
        return new TrackRun(predictions, after, before);
    }

    /// <summary>
    /// Up to <paramref name="count"/> segment indices spread evenly over the track, from the segment count its header
    /// announces (a deterministic choice that needs no second decoding pass; an index past the real end is skipped).
    /// </summary>
    internal static HashSet<int> ChooseSegments(string path, FrontEndSettings settings, int count)
    {
        var info = AudioFile.ReadInfo(path);
        long samples = info.SampleRate > 0 ? (long)Math.Round(info.Frames * (double)settings.SampleRate / info.SampleRate) : 0;
        int n = new EmotionFrontEnd(settings).SegmentCount((int)Math.Min(samples, int.MaxValue));
        return EvenlySpaced(n, count);
    }

    /// <summary><c>min(n, count)</c> distinct indices in [0, n): the centres of equal parts.</summary>
    internal static HashSet<int> EvenlySpaced(int n, int count)
    {
        int k = Math.Min(n, count);
        var set = new HashSet<int>();
        for (int j = 0; j < k; j++)
            set.Add((int)((j + 0.5) * n / k));
        return set;
    }
}
