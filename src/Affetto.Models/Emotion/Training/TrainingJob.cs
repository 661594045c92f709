using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Affetto.Models.Data;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Models.Evaluation;

namespace Affetto.Models.Emotion.Training;

/// <summary>One cross-validation fold's outcome.</summary>
/// <param name="Fold">1-based fold number.</param>
/// <param name="Report">Track-level scores on the fold's test tracks.</param>
/// <param name="BestEpoch">The epoch early stopping kept.</param>
/// <param name="Epochs">Epochs run.</param>
/// <param name="Seconds">Training time.</param>
/// <param name="TrainTracks">Tracks trained on (validation split included).</param>
/// <param name="TestTracks">Tracks scored.</param>
/// <param name="Predictions">The test tracks' predictions (null in fold files written before they were kept).</param>
public sealed record FoldResult(int Fold, ClassificationReport Report, int BestEpoch, int Epochs, double Seconds, int TrainTracks, int TestTracks,
    IReadOnlyList<OutOfFoldPrediction>? Predictions = null);

/// <summary>What <see cref="TrainingJob.Run"/> produced.</summary>
/// <param name="Folds">Per-fold results (empty without cross-validation).</param>
/// <param name="Summary">Mean ± std over folds (null with fewer than two folds).</param>
/// <param name="Model">The final model trained on every track (null when not asked for).</param>
/// <param name="FinalRun">The final model's run (null when not trained).</param>
public sealed record TrainingJobResult(IReadOnlyList<FoldResult> Folds, CrossValidationSummary? Summary, EmotionModel? Model, TrainingRun? FinalRun)
{
    /// <summary>Every scored track's out-of-fold prediction, by fold.</summary>
    public IReadOnlyList<OutOfFoldPrediction> OutOfFold => Collect(Folds);

    internal static OutOfFoldPrediction[] Collect(IReadOnlyList<FoldResult> folds) => folds.SelectMany(f => f.Predictions ?? []).ToArray();
}

/// <summary>
/// The whole training procedure behind <c>affetto train</c>: k-fold cross-validation on artist-disjoint, stratified
/// folds (all segments of a track, and all tracks of an artist when known, on one side), each fold with its own
/// normalisation statistics and an artist-disjoint validation split for early stopping; then the final model on all
/// tracks for the mean of the folds' best epoch counts (so no track is held out of the shipped model).
/// </summary>
public static class TrainingJob
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Runs cross-validation (when <paramref name="folds"/> ≥ 2) and then, if asked, trains the final model.</summary>
    /// <param name="dataset">The tracks (their order matches <paramref name="table"/>'s).</param>
    /// <param name="table">Their raw segments (<see cref="TrainingData.Load"/>).</param>
    /// <param name="frontEnd">Front-end settings (statistics are computed here).</param>
    /// <param name="spec">The network to train (shapes must fit the front end).</param>
    /// <param name="options">Training options.</param>
    /// <param name="folds">Number of folds (0 or 1 = no cross-validation).</param>
    /// <param name="trainFinal">Whether to train the final model on all tracks.</param>
    /// <param name="checkpointDirectory">Folder for per-run checkpoints and finished folds (null = none).</param>
    /// <param name="resume">Skip finished folds and continue interrupted runs from their checkpoints (refused with an
    /// <see cref="InvalidDataException"/> when they were made for other tracks, another split or another network).</param>
    /// <param name="progress">Per-batch and per-epoch progress.</param>
    /// <param name="onFold">Called after each finished fold.</param>
    /// <param name="cancellation">Stops between batches.</param>
    /// <param name="foldsToRun">Run only the first this many folds (e.g. 1 for a single artist-disjoint hold-out); null = all.</param>
    public static TrainingJobResult Run(TrackDataset dataset, SegmentTable table, FrontEndSettings frontEnd, NetworkSpec spec, TrainingOptions options,
        int folds, bool trainFinal, string? checkpointDirectory = null, bool resume = false, IProgress<TrainingProgress>? progress = null,
        Action<FoldResult>? onFold = null, CancellationToken cancellation = default, int? foldsToRun = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(table);
        var trainer = new Trainer(table, options);
        int[] usable = Enumerable.Range(0, dataset.Items.Count).Where(t => table.SegmentsOf(t).Count > 0).ToArray();
        if (usable.Length < 2) throw new ArgumentException("Fewer than two readable tracks: nothing to train on.", nameof(dataset));
        var usableItems = usable.Select(t => dataset.Items[t]).ToArray();
        if (checkpointDirectory is not null)
        {
            Directory.CreateDirectory(checkpointDirectory);
            ClaimCheckpoints(checkpointDirectory, RunFingerprint(dataset, table, spec, options, folds), resume);
        }

        var results = new List<FoldResult>();
        if (folds >= 2)
        {
            var splits = new StratifiedGroupKFold(folds, options.EffectiveSplitSeed).Split(usableItems);
            for (int k = 0; k < Math.Min(splits.Count, foldsToRun ?? int.MaxValue); k++)
            {
                string stage = $"fold {k + 1}/{splits.Count}";
                string? done = checkpointDirectory is null ? null : Path.Combine(checkpointDirectory, $"fold-{k + 1}.json");
                // A finished fold is read back; one written before predictions were kept is re-scored from its checkpoint
                // below (Fit returns at once from a finished checkpoint).
                if (resume && done is not null && File.Exists(done) && JsonSerializer.Deserialize<FoldResult>(File.ReadAllText(done), s_json) is { Predictions: not null } finished)
                {
                    results.Add(finished);
                    onFold?.Invoke(finished);
                    continue;
                }
                int[] train = splits[k].TrainIndices.Select(i => usable[i]).ToArray();
                int[] test = splits[k].TestIndices.Select(i => usable[i]).ToArray();
                var (fit, validation) = ValidationSplit(dataset, train, options);
                var model = EmotionModel.Create(table.WithStatistics(frontEnd, fit), spec, table.Labels, options.Seed + k + 1);
                string? checkpoint = checkpointDirectory is null ? null : Path.Combine(checkpointDirectory, $"fold-{k + 1}.ckpt");
                var run = trainer.Fit(model, fit, validation, stage, checkpoint, resume, progress, cancellation);
                var (report, scored) = trainer.EvaluateTracks(run.Model, test);
                var predictions = scored.Select(s => new OutOfFoldPrediction(table.TrackIds[s.Track], table.Labels[table.TrackLabels[s.Track]], k + 1, s.Probabilities)).ToArray();
                var result = new FoldResult(k + 1, report, run.BestEpoch, run.History.Count, run.Seconds, train.Length, test.Length, predictions);
                if (done is not null) File.WriteAllText(done, JsonSerializer.Serialize(result, s_json));
                results.Add(result);
                onFold?.Invoke(result);
            }
        }

        var summary = results.Count >= 2 ? CrossValidationSummary.From(results.Select(r => r.Report).ToArray()) : null;
        if (!trainFinal) return new TrainingJobResult(results, summary, null, null);

        // With cross-validation the final model trains on every track for the folds' mean best epoch count;
        // without it, early stopping on a validation split decides.
        int[] all = usable;
        int[] finalTrain = all;
        int[]? finalValidation = null;
        var finalOptions = options;
        if (results.Count > 0)
            finalOptions = options with { Epochs = Math.Max(1, (int)Math.Round(results.Average(r => r.BestEpoch))), Patience = 0 };
        else
            (finalTrain, finalValidation) = ValidationSplit(dataset, all, options);
        var finalModel = EmotionModel.Create(table.WithStatistics(frontEnd, finalTrain), spec, table.Labels, options.Seed);
        string? finalCheckpoint = checkpointDirectory is null ? null : Path.Combine(checkpointDirectory, "final.ckpt");
        var finalRun = new Trainer(table, finalOptions).Fit(finalModel, finalTrain, finalValidation, "final", finalCheckpoint, resume, progress, cancellation);
        return new TrainingJobResult(results, summary, finalRun.Model.With(crossValidation: TrainingJobResult.Collect(results)), finalRun);
    }

    // Resumed folds must belong to the same experiment: finished folds are read back as they are, so checkpoints of another
    // split (e.g. after the dataset's artist groups changed) would silently mix two different partitions into one score.
    // The fingerprint covers what decides the split and the models: tracks in order with labels and groups, folds, seed,
    // validation share, input shape and network.
    private static string RunFingerprint(TrackDataset dataset, SegmentTable table, NetworkSpec spec, TrainingOptions options, int folds)
    {
        var text = new StringBuilder();
        foreach (var item in dataset.Items) text.Append(item.Id).Append('\t').Append(item.Label).Append('\t').Append(item.Group).Append('\n');
        // The split seed is written only when it differs from the seed, so runs from before the option still resume.
        string split = options.SplitSeed is { } s && s != options.Seed ? $" split={s}" : "";
        text.Append(CultureInfo.InvariantCulture, $"folds={folds} seed={options.Seed}{split} val={options.ValidationFraction} input={table.Height}x{table.Width}+{table.FeatureDim} {spec}");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void ClaimCheckpoints(string directory, string fingerprint, bool resume)
    {
        string path = Path.Combine(directory, "run.id");
        if (resume && File.Exists(path) && File.ReadAllText(path).Trim() != fingerprint)
            throw new InvalidDataException($"{directory}: these checkpoints belong to another run (other tracks, split, seed, input or network); " +
                "remove them or choose another checkpoint folder");
        File.WriteAllText(path, fingerprint);
    }

    private static (int[] Fit, int[]? Validation) ValidationSplit(TrackDataset dataset, int[] tracks, TrainingOptions options)
    {
        if (options.ValidationFraction <= 0) return (tracks, null);
        var items = tracks.Select(t => dataset.Items[t]).ToArray();
        var split = StratifiedGroupSplit.TrainValidation(items, options.ValidationFraction, options.EffectiveSplitSeed);
        if (split.TestIndices.Length == 0 || split.TrainIndices.Length == 0) return (tracks, null);
        return (split.TrainIndices.Select(i => tracks[i]).ToArray(), split.TestIndices.Select(i => tracks[i]).ToArray());
    }
}
