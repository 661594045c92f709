using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Affetto.Cli.Commands.Training;
using Affetto.Cli.Infrastructure;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Models.Emotion.Training;

namespace Affetto.Cli.Commands;

/// <summary>
/// <c>affetto train --dataset DIR --arch cnn4 --feature logmel --folds 5 --out MODEL</c>: cross-validates an
/// architecture on artist-disjoint folds, then trains the final model on every track and saves it.
/// </summary>
internal sealed class TrainCommand : CommandBase
{
    private readonly TrainingCliOptions _common = new();
    private readonly Option<double> _crop = NonNegative(new Option<double>("--crop") { Description = "Energy-crop threshold in [0, 1] (0 = none): drop frequency rows that rarely reach it (see --crop-share)", DefaultValueFactory = _ => 0 });
    private readonly Option<string?> _out = new("--out", "-o") { Description = "Where to save the final model (.safetensors)" };
    private readonly Option<bool> _cvOnly = new("--cv-only") { Description = "Only cross-validate; do not train the final model" };
    private readonly Option<string?> _checkpoints = new("--checkpoints") { Description = "Checkpoint folder [default: MODEL.checkpoints]" };
    private readonly Option<bool> _resume = new("--resume") { Description = "Continue an interrupted run from its checkpoints" };

    public TrainCommand(Func<CancellationToken> token)
        : base("train", "Train an emotion model (cross-validated on artist-disjoint folds) and save it", token)
    {
        _common.AddTo(this);
        foreach (var o in new Option[] { _crop, _out, _cvOnly, _checkpoints, _resume }) Options.Add(o);
    }

    protected override int Execute(ParseResult parse, CliContext ctx)
    {
        var problems = new List<string>();
        double crop = parse.GetValue(_crop);
        if (crop > 1) problems.Add($"--crop must be in [0, 1] (got {crop})");
        string? outPath = parse.GetValue(_out);
        bool cvOnly = parse.GetValue(_cvOnly);
        if (outPath is null && !cvOnly) problems.Add("--out MODEL is required (or --cv-only to only cross-validate)");
        var (architecture, frontEnd, options, folds) = _common.Build(parse, problems);
        if (cvOnly && folds < 2) throw new UserError("--cv-only needs --folds 2 or more");
        if (crop > 0 && !frontEnd.UseSpectrogram) throw new UserError("--crop needs a spectrogram network (not mlp)");
        var dataset = _common.LoadDataset(parse, ctx);
        _common.Spec(parse, architecture, frontEnd, dataset.Labels.Count);
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{dataset.Name}: {dataset.Items.Count} tracks ({string.Join(", ", dataset.Labels.Zip(dataset.CountsPerLabel(), (l, n) => $"{l} {n}"))}), " +
            $"{dataset.Items.Select(i => i.Group ?? i.Id).Distinct().Count()} artist groups; {ArchitectureNames.ToName(architecture)} on {TrainingCliOptions.Describe(frontEnd)}"));

        var clock = Stopwatch.StartNew();
        var table = _common.LoadTable(parse, ctx, dataset, frontEnd, out int failed);
        if (crop > 0)
        {
            (table, frontEnd) = EnergyCropping.Apply(table, frontEnd, (float)crop, parse.GetValue(_common.CropShare));
            ctx.Out.WriteLine($"energy crop {crop}: {frontEnd.SpectrogramHeight} of {frontEnd.FullSpectrogramHeight} frequency rows kept");
        }
        var spec = _common.Spec(parse, architecture, frontEnd, dataset.Labels.Count);
        string? checkpoints = parse.GetValue(_checkpoints) ?? (outPath is null ? null : outPath + ".checkpoints");

        var (progress, line) = TrainingCliOptions.EpochReporter(ctx);
        TrainingJobResult result;
        using (line)
        {
            result = TrainingJob.Run(dataset, table, frontEnd, spec, options, folds, trainFinal: !cvOnly, checkpoints, parse.GetValue(_resume), progress,
                fold => ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"fold {fold.Fold}: track accuracy {fold.Report.Accuracy:0.000}, weighted F1 {fold.Report.WeightedF1:0.000} on {fold.TestTracks} tracks (best epoch {fold.BestEpoch}, {fold.Seconds:0} s)")),
                ctx.Cancellation, parse.GetValue(_common.FoldsToRun));
        }

        if (result.Summary is null && result.Folds.Count == 1)
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"hold-out (fold 1 of {folds}, artist-disjoint): track accuracy {result.Folds[0].Report.Accuracy:0.000}, weighted F1 {result.Folds[0].Report.WeightedF1:0.000}"));
        if (result.Summary is { } s)
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cross-validation ({result.Folds.Count}{(result.Folds.Count < folds ? $" of {folds}" : "")} folds, artist-disjoint): track accuracy {s.Accuracy.Mean:0.000} ± {s.Accuracy.Std:0.000}, weighted F1 {s.WeightedF1.Mean:0.000} ± {s.WeightedF1.Std:0.000}, macro F1 {s.MacroF1.Mean:0.000} ± {s.MacroF1.Std:0.000}"));
        if (result.Model is { } model && outPath is not null)
        {
            var provenance = new ModelProvenance
            {
                Dataset = Path.GetFullPath(dataset.Root),
                Tracks = table.TrackIds.Count - failed,
                Segments = table.Count,
                Seed = options.Seed,
                Epochs = result.FinalRun!.History.Count,
                BatchSize = options.BatchSize,
                Optimizer = options.Optimizer.ToString().ToLowerInvariant(),
                LearningRate = options.LearningRate,
                TrainingSeconds = Math.Round(result.FinalRun.Seconds, 1),
                TrainedAt = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                // --resume is left out: a resumed run is fingerprinted to be the same run, so the command without it makes this model.
                Command = "affetto " + string.Join(' ', parse.Tokens.Where(t => t.Value != "--resume").Select(t => t.Value.Contains(' ') ? $"\"{t.Value}\"" : t.Value)),
                Folds = result.Summary is null ? null : result.Folds.Count,
                CvAccuracyMean = result.Summary?.Accuracy.Mean,
                CvAccuracyStd = result.Summary?.Accuracy.Std,
                CvWeightedF1Mean = result.Summary?.WeightedF1.Mean,
                CvWeightedF1Std = result.Summary?.WeightedF1.Std,
                Notes = new Dictionary<string, string>
                {
                    ["augment_copies"] = parse.GetValue(_common.Augment).ToString(CultureInfo.InvariantCulture),
                    ["segments_per_track"] = options.SegmentsPerTrack?.ToString(CultureInfo.InvariantCulture) ?? "all",
                    ["schedule"] = options.Schedule.ToString().ToLowerInvariant(),
                    ["label_smoothing"] = options.LabelSmoothing.ToString(CultureInfo.InvariantCulture),
                    ["mixup"] = options.Mixup.ToString(CultureInfo.InvariantCulture),
                },
            };
            model.With(provenance).Save(outPath);
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"saved {outPath} ({new FileInfo(outPath).Length / 1024.0:0} KiB, {model.Network.ParameterCount():N0} parameters; final model {result.FinalRun.History.Count} epochs in {result.FinalRun.Seconds:0} s; total {clock.Elapsed.TotalMinutes:0.0} min)"));
        }
        return failed > 0 ? ExitCodes.InputFailed : ExitCodes.Success;
    }
}
