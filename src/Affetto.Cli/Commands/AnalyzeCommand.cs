using System.CommandLine;
using Affetto.Cli.Commands.Analyze;
using Affetto.Cli.Infrastructure;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.Inference;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Nn.Kernels;

namespace Affetto.Cli.Commands;

/// <summary>
/// <c>affetto analyze PATH... [--model FILE] [--timeline] [--format table|json|csv] [-o FILE]</c>: the Russell quadrant
/// each song expresses, the four quadrant probabilities, valence and arousal, and optionally the same per segment over
/// time. Files stream through the model's own front end (rebuilt from the model file), so a one-hour file needs about
/// as much memory as a 30-second one; files run on all cores.
/// </summary>
internal sealed class AnalyzeCommand : CommandBase
{
    private readonly Argument<string[]> _paths = PathsArgument();
    private readonly Option<string?> _model = new("--model", "-m")
    {
        Description = $"Emotion model file [default: ${DefaultModel.EnvironmentVariable}, else {DefaultModel.RelativePath} of the installation]",
    };
    private readonly Option<bool> _timeline = new("--timeline", "-t")
    {
        Description = "Also print the quadrant, probabilities, valence and arousal of every segment over time",
    };
    private readonly Option<OutputFormat> _format = TextOutput.FormatOption();
    private readonly Option<string?> _output = new("--output", "-o")
    {
        Description = "Write the table, JSON or CSV to this file instead of standard output",
    };

    // Segments streamed per network call: 16 keeps a worker's activations near 150 MB (peak RSS of a one-hour file:
    // 330 MB at 8, 870 MB at 32) at about the speed of 32.
    private const int SegmentsPerChunk = 16;

    public AnalyzeCommand(Func<CancellationToken> token)
        : base("analyze", "Say which emotion (Russell quadrant, valence, arousal) each song expresses", token)
    {
        Arguments.Add(_paths);
        Options.Add(_model);
        Options.Add(_timeline);
        Options.Add(_format);
        Options.Add(_output);
    }

    protected override int Execute(ParseResult parse, CliContext ctx)
    {
        string? output = parse.GetValue(_output);
        var files = InputExpander.Expand(parse.GetValue(_paths)!);
        if (files.Count == 0) throw new UserError("no audio files found in the given folders");
        if (output is not null) AudioOptions.RefuseOverwritingInput(output, [.. files]);

        string modelPath;
        try
        {
            // A folder named as the model is reported by the loader ("is a folder, not a model file").
            string? named = parse.GetValue(_model);
            modelPath = named is not null && Directory.Exists(named) ? named : DefaultModel.Resolve(named);
        }
        catch (FileNotFoundException e)
        {
            ctx.Error(e.Message);
            return ExitCodes.InvalidArguments;
        }
        EmotionModel model;
        try
        {
            model = EmotionModel.Load(modelPath);
            // Refuses models whose labels are not the four quadrants.
            _ = model.CreateAnalyzer();
        }
        catch (ModelFileException e)
        {
            ctx.Error(e.Message);
            return ExitCodes.InputFailed;
        }
        catch (ArgumentException e)
        {
            ctx.Error($"{modelPath}: not a quadrant emotion model: {ErrorDescriber.Describe(e, null, false)}");
            return ExitCodes.InputFailed;
        }

        // The output file is opened before the work, so a path that cannot be written fails at once, not after an hour.
        using var file = output is null ? null : OpenOutput(output);
        bool timeline = parse.GetValue(_timeline);
        var items = Run(ctx, model, files, timeline);
        var results = items.Select(i => new AnalysisOutcome(i.Path, i.Result, i.Error is null ? null : Reason(i.Path, i.Error))).ToList();
        AnalysisWriter.Write(file ?? ctx.Out, results, parse.GetValue(_format), timeline);
        if (file is not null)
        {
            file.Flush();
            ctx.Out.WriteLine($"{output}: {results.Count(r => r.Error is null)} of {results.Count} files analysed");
        }
        return BatchRunner.Finish(ctx, items, "files");
    }

    /// <summary>Analyses every file on <see cref="CliContext.Jobs"/> workers with a progress line in segments.</summary>
    private static BatchItem<EmotionResult>[] Run(CliContext ctx, EmotionModel model, IReadOnlyList<string> files, bool timeline)
    {
        // cnn4 (and an ensemble of cnn4s) runs folded (BatchNorm in the convolutions) and lock-free, so the file workers
        // predict at once, each with single-threaded kernels; other networks serialise their calls and parallelise
        // inside each kernel.
        var fused = FoldedPredictor.TryCreate(model.Network);
        Func<SegmentBatch, float[]> predict = fused ?? model.PredictProbabilities;
        int workers = Math.Min(ctx.Jobs, files.Count);
        int previousThreads = Parallelism.MaxThreads;
        // --jobs bounds the whole run: workers x kernel threads never exceed it.
        Parallelism.MaxThreads = Math.Max(1, Math.Min(previousThreads, fused is not null ? ctx.Jobs / workers : ctx.Jobs));
        try
        {
            using var progress = SegmentProgress.Start(ctx, model.FrontEnd, files);
            var analyzer = new EmotionAnalyzer(model.FrontEnd, model.Labels, batch =>
            {
                float[] p = predict(batch);
                progress.Advance(batch.Count);
                return p;
            }, SegmentsPerChunk);
            return BatchRunner.Run(progress.Context, files, "files", path => analyzer.Analyze(path, timeline, ctx.Cancellation));
        }
        finally
        {
            Parallelism.MaxThreads = previousThreads;
        }
    }

    private static StreamWriter OpenOutput(string path)
    {
        try
        {
            AudioOptions.EnsureParentFolder(path);
            return new StreamWriter(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{path}: cannot write the output ({ErrorDescriber.Describe(e, null, false)})");
        }
    }

    /// <summary>The error without the "path: " prefix the batch runner puts before it (the file has its own field).</summary>
    private static string Reason(string path, string error) =>
        error.StartsWith(path + ": ", StringComparison.Ordinal) ? error[(path.Length + 2)..] : error;
}
