using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Affetto.Models.Data;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Models.Evaluation;
using Affetto.Nn.Modules;
using Affetto.Nn.Optim;
using Affetto.Nn.Serialization;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Emotion.Training;

/// <summary>
/// Trains emotion networks on a <see cref="SegmentTable"/>: shuffled segment batches of the training tracks
/// (oversampled, a few random segments per track per epoch, augmented audio copies, SpecAugment masks, feature noise,
/// optional mixup), cross-entropy with label smoothing, the chosen optimiser and schedule, gradient clipping, validation on held-out
/// tracks after every epoch (track = mean of its segments' probabilities), early stopping on the validation track
/// accuracy, and a checkpoint after every epoch from which <see cref="Fit"/> resumes.
/// </summary>
public sealed class Trainer
{
    private const int PredictBatch = 64;
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Creates a trainer over <paramref name="table"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public Trainer(SegmentTable table, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException("Invalid training options: " + string.Join("; ", problems), nameof(options));
        Table = table;
        Options = options;
    }

    /// <summary>The data.</summary>
    public SegmentTable Table { get; }

    /// <summary>The options.</summary>
    public TrainingOptions Options { get; }

    /// <summary>
    /// Trains <paramref name="model"/> (whose front end already holds the training tracks' statistics) on
    /// <paramref name="trainTracks"/>, validating on <paramref name="validationTracks"/> when given.
    /// </summary>
    /// <param name="model">A freshly created model; its network is trained in place.</param>
    /// <param name="trainTracks">Training track indices.</param>
    /// <param name="validationTracks">Validation track indices for early stopping, or null/empty.</param>
    /// <param name="stage">Label of this run in progress reports.</param>
    /// <param name="checkpointPath">Where to write a checkpoint after every epoch (null = none).</param>
    /// <param name="resume">Continue from <paramref name="checkpointPath"/> when it exists.</param>
    /// <param name="progress">Receives progress, or null.</param>
    /// <param name="cancellation">Stops between batches (the last checkpoint stays valid).</param>
    /// <returns>The trained model and its history.</returns>
    /// <exception cref="InvalidDataException">The checkpoint belongs to another run or is damaged.</exception>
    public TrainingRun Fit(EmotionModel model, IReadOnlyList<int> trainTracks, IReadOnlyList<int>? validationTracks, string stage = "train",
        string? checkpointPath = null, bool resume = false, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainTracks);
        if (trainTracks.Count == 0) throw new ArgumentException("No training tracks.", nameof(trainTracks));
        var o = Options;
        var network = model.Network;
        int[] epochTracks = o.Oversample
            ? Oversampling.RandomOversample(trainTracks.Select(t => Table.Labels[Table.TrackLabels[t]]).ToArray(), o.Seed).Select(i => trainTracks[i]).ToArray()
            : trainTracks.ToArray();
        int perEpoch = o.SegmentsPerTrack is { } k ? epochTracks.Length * k : epochTracks.Sum(t => Table.SegmentsOf(t).Count);
        int batches = Math.Max(1, perEpoch / o.BatchSize + (perEpoch % o.BatchSize >= 2 ? 1 : 0));
        var optimizer = CreateOptimizer(network);
        var (perBatch, perEpochScheduler) = CreateScheduler(optimizer, batches);
        var loss = new CrossEntropyLoss(labelSmoothing: (float)o.LabelSmoothing);
        bool validate = validationTracks is { Count: > 0 };

        var history = new List<EpochRecord>();
        Dictionary<string, Tensor>? best = null;
        int bestEpoch = 0, startEpoch = 1, stale = 0;
        double bestScore = double.NegativeInfinity, priorSeconds = 0;
        string fingerprint = Fingerprint(model, trainTracks, validationTracks);
        if (resume && checkpointPath is not null && File.Exists(checkpointPath))
        {
            var c = Checkpoint.Load(checkpointPath, fingerprint);
            network.LoadStateDict(c.Model);
            optimizer.LoadStateDict(c.Optimizer);
            best = c.Best;
            bestEpoch = c.BestEpoch;
            bestScore = c.BestScore;
            stale = c.Stale;
            priorSeconds = c.Seconds;
            history.AddRange(c.History);
            startEpoch = history.Count + 1;
            for (int s = 0; s < history.Count * (perBatch is null ? 1 : batches); s++) (perBatch ?? perEpochScheduler)?.Step();
        }

        var clock = Stopwatch.StartNew();
        bool stoppedEarly = startEpoch > 1 && o.Patience > 0 && stale >= o.Patience;
        for (int epoch = startEpoch; epoch <= o.Epochs && !stoppedEarly; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            var random = new Random(HashCode.Combine(o.Seed, epoch, 0x5eed));
            int[] order = DrawSegments(epochTracks, random);
            network.Train();
            double lossSum = 0;
            int correct = 0, seen = 0;
            for (int b = 0; b < batches; b++)
            {
                cancellation.ThrowIfCancellationRequested();
                int start = b * o.BatchSize, count = Math.Min(o.BatchSize, order.Length - start);
                var segments = order.AsSpan(start, count);
                var mix = Mixup.Draw(o.Mixup, count, random);
                var (x, f) = Inputs(model, segments, random, augment: true, mix);
                float[] labels = Targets(segments);
                var target = Tensor.FromArray(labels, count);
                optimizer.ZeroGrad();
                var logits = network.Logits(x, f);
                var l = loss.Forward(logits, target);
                if (mix is not null)
                {
                    var partners = Tensor.FromArray(mix.Partners.Select(i => labels[i]).ToArray(), count);
                    l = l * mix.Lambda + loss.Forward(logits, partners) * (1 - mix.Lambda);
                }
                // Read everything the step needs from the graph first: Backward hands its activations back to the pool.
                correct += CountCorrect(logits.ToArray(), segments);
                float value = l.Item();
                l.Backward(releaseIntermediates: true);
                if (o.ClipNorm > 0) GradClip.ClipGradNorm(optimizer.Parameters, (float)o.ClipNorm);
                optimizer.Step();
                perBatch?.Step();
                if (!float.IsFinite(value))
                    throw new InvalidOperationException($"{stage}: the training loss became {value} in epoch {epoch}; lower the learning rate (--lr).");
                lossSum += value * count;
                seen += count;
                progress?.Report(new TrainingProgress(stage, epoch, o.Epochs, b + 1, batches, lossSum / seen, null));
            }
            perEpochScheduler?.Step();

            double? vLoss = null, vAcc = null, vTrack = null;
            if (validate)
            {
                var v = Validate(model, validationTracks!);
                (vLoss, vAcc, vTrack) = (v.Loss, v.SegmentAccuracy, v.TrackAccuracy);
                double score = v.TrackAccuracy - 1e-3 * v.Loss;
                if (score > bestScore)
                {
                    (bestScore, bestEpoch, stale) = (score, epoch, 0);
                    best = CopyState(network);
                }
                else
                {
                    stale++;
                }
            }
            else
            {
                bestEpoch = epoch;
            }

            var record = new EpochRecord(epoch, lossSum / seen, correct / (double)seen, vLoss, vAcc, vTrack, optimizer.LearningRate,
                epochClock.Elapsed.TotalSeconds);
            history.Add(record);
            stoppedEarly = validate && o.Patience > 0 && stale >= o.Patience && epoch < o.Epochs;
            if (checkpointPath is not null)
                Checkpoint.Save(checkpointPath, fingerprint, network, optimizer, best, bestEpoch, bestScore, stale, priorSeconds + clock.Elapsed.TotalSeconds, history);
            progress?.Report(new TrainingProgress(stage, epoch, o.Epochs, batches, batches, record.TrainLoss, record));
        }

        if (best is not null) network.LoadStateDict(best);
        network.Eval();
        return new TrainingRun(model.With(history: history), history, bestEpoch, priorSeconds + clock.Elapsed.TotalSeconds, stoppedEarly);
    }

    /// <summary>
    /// Per-segment probabilities of <paramref name="model"/> on the original segments of <paramref name="tracks"/>
    /// (segment-major, tracks in the given order), with the segments' track indices.
    /// </summary>
    public (float[] Probabilities, int[] Segments) Predict(EmotionModel model, IReadOnlyList<int> tracks)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tracks);
        int[] segments = tracks.SelectMany(t => Table.SegmentsOf(t)).ToArray();
        int classes = model.Labels.Count;
        var probabilities = new float[segments.Length * classes];
        model.Network.Eval();
        using (Tensor.NoGrad())
        {
            for (int start = 0; start < segments.Length; start += PredictBatch)
            {
                var part = segments.AsSpan(start, Math.Min(PredictBatch, segments.Length - start));
                var (x, f) = Inputs(model, part, null, augment: false, mix: null);
                model.Network.Logits(x, f).Softmax(1).ToArray().CopyTo(probabilities, start * classes);
            }
        }
        return (probabilities, segments);
    }

    /// <summary>Track-level report (mean of segment probabilities per track) of <paramref name="model"/> on <paramref name="tracks"/>.</summary>
    public ClassificationReport Evaluate(EmotionModel model, IReadOnlyList<int> tracks) => Validate(model, tracks).Report;

    /// <summary>
    /// The track-level report of <paramref name="model"/> on <paramref name="tracks"/> and each track's mean segment
    /// probabilities (tracks without segments are left out).
    /// </summary>
    public (ClassificationReport Report, IReadOnlyList<(int Track, float[] Probabilities)> Tracks) EvaluateTracks(EmotionModel model, IReadOnlyList<int> tracks)
    {
        var v = Validate(model, tracks);
        return (v.Report, v.Tracks);
    }

    private (double Loss, double SegmentAccuracy, double TrackAccuracy, ClassificationReport Report, List<(int Track, float[] Probabilities)> Tracks) Validate(
        EmotionModel model, IReadOnlyList<int> tracks)
    {
        var (p, segments) = Predict(model, tracks);
        int classes = model.Labels.Count;
        double loss = 0;
        int correct = 0;
        var trackSum = new Dictionary<int, (double[] Sum, int Count)>();
        for (int i = 0; i < segments.Length; i++)
        {
            var row = p.AsSpan(i * classes, classes);
            int track = Table.SegmentTrack[segments[i]], truth = Table.TrackLabels[track];
            loss -= Math.Log(Math.Max(row[truth], 1e-12f));
            if (ArgMax(row) == truth) correct++;
            var (sum, count) = trackSum.TryGetValue(track, out var entry) ? entry : (new double[classes], 0);
            for (int c = 0; c < classes; c++) sum[c] += row[c];
            trackSum[track] = (sum, count + 1);
        }
        var confusion = new ConfusionMatrix(Table.Labels);
        var means = new List<(int, float[])>(trackSum.Count);
        foreach (var (track, (sum, count)) in trackSum)
        {
            int best = 0;
            for (int c = 1; c < classes; c++) if (sum[c] > sum[best]) best = c;
            confusion.Add(Table.TrackLabels[track], best);
            means.Add((track, sum.Select(v => (float)(v / count)).ToArray()));
        }
        return (loss / Math.Max(1, segments.Length), correct / (double)Math.Max(1, segments.Length), confusion.Accuracy, confusion.ToReport(), means);
    }

    private int[] DrawSegments(int[] tracks, Random random)
    {
        var o = Options;
        var drawn = new List<int>();
        foreach (int t in tracks)
        {
            var original = Table.SegmentsOf(t);
            var augmented = Table.AugmentedSegmentsOf(t);
            if (original.Count == 0) continue;
            int n = o.SegmentsPerTrack ?? original.Count;
            for (int i = 0; i < n; i++)
            {
                bool useAugmented = augmented.Count > 0 && random.NextDouble() < o.AugmentedFraction;
                var pool = useAugmented ? augmented : original;
                drawn.Add(o.SegmentsPerTrack is null && !useAugmented ? original[i] : pool[random.Next(pool.Count)]);
            }
        }
        var order = drawn.ToArray();
        random.Shuffle(order);
        return order;
    }

    private (Tensor? Images, Tensor? Features) Inputs(EmotionModel model, ReadOnlySpan<int> segments, Random? random, bool augment, Mixup? mix)
    {
        var s = model.FrontEnd;
        int n = segments.Length;
        Tensor? x = null, f = null;
        if (model.Network.UsesSpectrogram)
        {
            int size = Table.ImageSize;
            var images = new float[n * size];
            for (int i = 0; i < n; i++) Table.Images.AsSpan(segments[i] * size, size).CopyTo(images.AsSpan(i * size));
            if (s.SpectrogramMean is { } mean && s.SpectrogramStd is { } std)
                EmotionFrontEnd.NormalizeImages(images, n, Table.Height, Table.Width, mean, std);
            if (augment && random is not null) SpecAugment(images, n, random);
            mix?.Apply(images, size);
            x = Tensor.Wrap(images, n, 1, Table.Height, Table.Width);
        }
        if (model.Network.UsesFeatures)
        {
            int d = Table.FeatureDim;
            var features = new float[n * d];
            for (int i = 0; i < n; i++) Table.Features.AsSpan(segments[i] * d, d).CopyTo(features.AsSpan(i * d));
            if (s.FeatureMean is { } mean && s.FeatureStd is { } std)
                EmotionFrontEnd.NormalizeRows(features, n, d, mean, std);
            if (augment && random is not null && Options.FeatureNoise > 0)
                for (int i = 0; i < features.Length; i++) features[i] += (float)(Options.FeatureNoise * RandomDraws.Normal(random));
            mix?.Apply(features, d);
            f = Tensor.Wrap(features, n, d);
        }
        return (x, f);
    }

    private void SpecAugment(float[] images, int n, Random random)
    {
        int h = Table.Height, w = Table.Width;
        int maxRows = (int)(Options.MaskFraction * h), maxCols = (int)(Options.MaskFraction * w);
        for (int i = 0; i < n; i++)
        {
            var image = images.AsSpan(i * h * w, h * w);
            for (int m = 0; m < Options.FrequencyMasks && maxRows > 0; m++)
            {
                int rows = random.Next(maxRows + 1), from = random.Next(h - rows + 1);
                image.Slice(from * w, rows * w).Clear();
            }
            for (int m = 0; m < Options.TimeMasks && maxCols > 0; m++)
            {
                int cols = random.Next(maxCols + 1), from = random.Next(w - cols + 1);
                for (int r = 0; r < h; r++) image.Slice(r * w + from, cols).Clear();
            }
        }
    }

    private float[] Targets(ReadOnlySpan<int> segments)
    {
        var y = new float[segments.Length];
        for (int i = 0; i < y.Length; i++) y[i] = Table.TrackLabels[Table.SegmentTrack[segments[i]]];
        return y;
    }

    private int CountCorrect(float[] logits, ReadOnlySpan<int> segments)
    {
        int classes = logits.Length / segments.Length, correct = 0;
        for (int i = 0; i < segments.Length; i++)
            if (ArgMax(logits.AsSpan(i * classes, classes)) == Table.TrackLabels[Table.SegmentTrack[segments[i]]]) correct++;
        return correct;
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return best;
    }

    private Optimizer CreateOptimizer(Module network)
    {
        var o = Options;
        float lr = (float)o.LearningRate, wd = (float)o.WeightDecay;
        return o.Optimizer switch
        {
            OptimizerKind.Sgd => new SGD(network.Parameters(), lr, momentum: (float)o.Momentum, weightDecay: wd, nesterov: o.Momentum > 0),
            OptimizerKind.Adam => new Adam(network.Parameters(), lr, weightDecay: wd),
            _ => new AdamW(network.Parameters(), lr, weightDecay: wd),
        };
    }

    private (LRScheduler? PerBatch, LRScheduler? PerEpoch) CreateScheduler(Optimizer optimizer, int batches) => Options.Schedule switch
    {
        LrSchedule.OneCycle => (new OneCycleLR(optimizer, Options.LearningRate, Options.Epochs * batches), null),
        LrSchedule.Cosine => (null, new CosineAnnealingLR(optimizer, Options.Epochs)),
        _ => (null, null),
    };

    private static Dictionary<string, Tensor> CopyState(Module network) =>
        network.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Detach().Clone());

    private string Fingerprint(EmotionModel model, IReadOnlyList<int> train, IReadOnlyList<int>? validation)
    {
        string text = string.Join("|", model.Spec.ToJson(), model.FrontEnd.RawKey(), model.Seed.ToString(CultureInfo.InvariantCulture),
            JsonSerializer.Serialize(Options, s_json), string.Join(",", train.Select(t => Table.TrackIds[t])),
            string.Join(",", (validation ?? []).Select(t => Table.TrackIds[t])));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)).AsSpan(0, 12));
    }
}
