using System.CommandLine;
using Affetto.Cli.Commands.Evaluate;
using Affetto.Cli.Infrastructure;
using Affetto.Models.Data;
using Affetto.Models.Emotion.Inference;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Models.Emotion.Reports;

namespace Affetto.Cli.Commands;

/// <summary>
/// <c>affetto evaluate [--model FILE] --dataset DIR [--format table|json] [--report DIR]</c>: scores a model on a
/// labelled dataset, per track (segment probabilities averaged) and per segment: accuracy, confusion matrix,
/// per-class precision/recall/F1, their class-size-weighted averages and macro F1. <c>--report</c> adds a folder
/// with the confusion matrices, the training curves, PCA and t-SNE maps of the embeddings before and after training,
/// and an <c>index.html</c> tying them together.
/// </summary>
/// <remarks>
/// Maps use at most <c>--map-points</c> segments (default 2000, so exact t-SNE stays fast): every track gets the same
/// quota of evenly spaced segments (when there are more tracks than points, evenly spaced tracks get one each), and
/// both networks embed exactly those segments. The choice depends only on the dataset, so reruns draw the same maps.
/// </remarks>
internal sealed class EvaluateCommand : CommandBase
{
    private readonly Option<string?> _model = new("--model", "-m")
    {
        Description = $"Model file [default: ${DefaultModel.EnvironmentVariable}, else the shipped {DefaultModel.RelativePath}]",
        HelpName = "FILE",
    };
    private readonly Option<string> _dataset = new("--dataset", "-d")
    {
        Description = "Dataset folder: the 4Q layout (with its annotations CSV) or one folder per label",
        HelpName = "DIR",
        Required = true,
    };
    private readonly Option<OutputFormat> _format = new("--format", "-f")
    {
        Description = "Output format: table or json",
        HelpName = "table|json",
        DefaultValueFactory = _ => OutputFormat.Table,
    };
    private readonly Option<string?> _report = new("--report", "-r")
    {
        Description = "Write an HTML report with pictures into this folder",
        HelpName = "DIR",
    };
    private readonly Option<int> _mapPoints = Positive(new Option<int>("--map-points")
    {
        Description = "Segments embedded for the PCA/t-SNE maps of the report (deterministic sample)",
        HelpName = "N",
        DefaultValueFactory = _ => 2000,
    });

    public EvaluateCommand(Func<CancellationToken> token)
        : base("evaluate", "Score an emotion model on a labelled dataset (tracks and segments), optionally with an HTML report", token)
    {
        Options.Add(_model);
        Options.Add(_dataset);
        Options.Add(_format);
        Options.Add(_report);
        Options.Add(_mapPoints);
        _format.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<OutputFormat>() == OutputFormat.Csv) r.AddError("--format must be table or json for evaluate");
        });
        _mapPoints.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 3) r.AddError("--map-points must be at least 3");
        });
    }

    protected override int Execute(ParseResult parse, CliContext ctx)
    {
        string modelPath;
        try
        {
            modelPath = DefaultModel.Resolve(parse.GetValue(_model));
        }
        catch (FileNotFoundException e)
        {
            throw new UserError(e.Message);
        }
        EmotionModel model;
        try
        {
            model = EmotionModel.Load(modelPath);
        }
        catch (ModelFileException e)
        {
            ctx.Error(e.Message);
            return ExitCodes.InputFailed;
        }

        string datasetPath = parse.GetValue(_dataset)!;
        TrackDataset dataset;
        try
        {
            dataset = DatasetLoader.Load(datasetPath);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new UserError(e.Message);
        }
        catch (Exception e) when (e is InvalidDataException or CsvFormatException or FileNotFoundException)
        {
            ctx.Error(e.Message);
            return ExitCodes.InputFailed;
        }
        // As train: one summary line, the full list with --verbose (4Q's metadata warnings do not matter here).
        if (ctx.Verbose) foreach (string warning in dataset.Warnings) ctx.Warn(warning);
        else if (dataset.Warnings.Count > 0)
            ctx.Warn($"{dataset.Warnings.Count} dataset warning{(dataset.Warnings.Count > 1 ? "s" : "")} (e.g. {dataset.Warnings[0]}); --verbose lists them");
        var unknown = dataset.Items.Select(i => i.Label).Distinct(StringComparer.Ordinal).Where(l => !model.Labels.Contains(l)).ToArray();
        if (unknown.Length > 0)
        {
            throw new UserError(
                $"the dataset '{datasetPath}' has label{(unknown.Length > 1 ? "s" : "")} {string.Join(", ", unknown)}, which the model " +
                $"'{modelPath}' does not predict (its labels: {string.Join(", ", model.Labels)})");
        }

        WarnAboutTrainingTracks(ctx, model, dataset);

        string? reportDir = parse.GetValue(_report);
        int mapPoints = parse.GetValue(_mapPoints);
        var evaluator = new TrackEvaluator(model, reportDir is null ? null : new NetworkPredictor(model.CreateInitialNetwork()));
        var items = dataset.Items;
        var quota = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
            quota[items[i].Path] = reportDir is null ? 0 : Quota(i, items.Count, mapPoints);
        var runs = BatchRunner.Run(ctx, items.Select(i => i.Path).ToArray(), "tracks",
            path => evaluator.Run(path, quota[path], ctx.Cancellation));

        var builder = new EvaluationBuilder(model.Labels);
        var after = new List<float[]>();
        var before = new List<float[]>();
        var pointLabels = new List<int>();
        for (int i = 0; i < runs.Length; i++)
        {
            if (!runs[i].Succeeded)
            {
                builder.AddFailure(runs[i].Path, runs[i].Error!);
                continue;
            }
            var run = runs[i].Result!;
            builder.Add(run.Predictions, items[i].Label);
            int truth = model.Labels.ToList().IndexOf(items[i].Label);
            after.AddRange(run.After);
            before.AddRange(run.Before);
            pointLabels.AddRange(Enumerable.Repeat(truth, run.After.Count));
        }
        if (runs.All(r => !r.Succeeded))
        {
            ctx.Error($"none of the {runs.Length} tracks of '{datasetPath}' could be evaluated");
            return BatchRunner.Finish(ctx, runs, "tracks");
        }
        var result = builder.Build();

        if (parse.GetValue(_format) == OutputFormat.Json)
        {
            ctx.Out.WriteLine(EvaluationJson.Serialize(result));
        }
        else
        {
            ctx.Out.WriteLine($"model    {modelPath} ({ArchitectureNamesOf(model)}; {ModelFacts.FrontEnd(model.FrontEnd)}; {ModelFacts.Segments(model.FrontEnd)})");
            ctx.Out.WriteLine($"dataset  {dataset.Root} ({dataset.Name}, {result.Tracks.Count} of {items.Count} tracks evaluated, labels {string.Join(" ", dataset.Labels)})");
            ctx.Out.WriteLine();
            EvaluationTable.Write(ctx.Out, result);
        }

        if (reportDir is not null)
        {
            var maps = new List<EmbeddingMap>();
            if (after.Count >= 3)
            {
                if (ctx.ShowProgress)
                    ctx.Err.WriteLine($"affetto: PCA and t-SNE maps of {after.Count} segments, before and after training...");
                int seed = model.Seed;
                var labels = pointLabels.ToArray();
                try
                {
                    var (pcaBefore, tsneBefore) = EmbeddingMap.Project(before, labels, "before training", seed);
                    var (pcaAfter, tsneAfter) = EmbeddingMap.Project(after, labels, "after training", seed);
                    maps.AddRange([pcaBefore, pcaAfter, tsneBefore, tsneAfter]);
                }
                catch (ArgumentException e)
                {
                    // E.g. non-finite embeddings: the scores are still worth a report.
                    maps.Clear();
                    ctx.Warn($"the report has no PCA/t-SNE maps: {e.Message}");
                }
            }
            else
            {
                ctx.Warn($"only {after.Count} segments were embedded: the report has no PCA/t-SNE maps (they need 3)");
            }
            var facts = ModelFacts.Describe(modelPath, model);
            facts.Add(new("evaluated_dataset", dataset.Root));
            facts.Add(new("map_points", $"{after.Count} segments (at most {mapPoints}, evenly spaced in each track)"));
            HtmlReport.Write(reportDir, Path.GetFileName(modelPath) + " on " + dataset.Name, result, model.ToCurves(), maps, facts);
            string index = Path.Combine(reportDir, "index.html");
            (parse.GetValue(_format) == OutputFormat.Json ? ctx.Err : ctx.Out).WriteLine($"{(parse.GetValue(_format) == OutputFormat.Json ? "" : "\n")}report: {index}");
        }
        return BatchRunner.Finish(ctx, runs, "tracks");
    }

    // The model keeps the ids of the tracks it was cross-validated (and then finally trained) on: scores on those
    // tracks measure memory, not generalisation, and users evaluating on the training set should hear so.
    private static void WarnAboutTrainingTracks(CliContext ctx, EmotionModel model, TrackDataset dataset)
    {
        if (model.CrossValidation.Count == 0) return;
        var trained = model.CrossValidation.Select(p => p.Track).ToHashSet(StringComparer.Ordinal);
        int overlap = dataset.Items.Count(i => trained.Contains(i.Id));
        if (overlap == 0) return;
        var p = model.Provenance;
        string cv = p.CvAccuracyMean is { } mean && p.CvAccuracyStd is { } std
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"; its cross-validated track accuracy, {mean:0.000} ± {std:0.000} over {p.Folds} folds, is the measure of how it generalises")
            : "";
        ctx.Warn($"{overlap} of the {dataset.Items.Count} tracks are tracks the model was trained on, so their scores are not a test{cv}");
    }

    private static string ArchitectureNamesOf(EmotionModel model) =>
        Models.Emotion.Architectures.ArchitectureNames.ToName(model.Spec.Architecture);

    /// <summary>
    /// Segments track <paramref name="index"/> of <paramref name="tracks"/> contributes to the maps: an equal share of
    /// <paramref name="points"/>, or, with more tracks than points, one for evenly spaced tracks and none for the rest.
    /// </summary>
    internal static int Quota(int index, int tracks, int points)
    {
        if (tracks <= points) return points / tracks;
        return (long)(index + 1) * points / tracks > (long)index * points / tracks ? 1 : 0;
    }
}
