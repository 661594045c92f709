using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Affetto.Cli.Infrastructure;
using Affetto.Models.Data;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Models.Emotion.Training;

namespace Affetto.Cli.Commands;

/// <summary>
/// <c>affetto train --dataset DIR --arch cnn4 --feature logmel --folds 5 --out MODEL</c>: cross-validates an
/// architecture on artist-disjoint folds, then trains the final model on every track and saves it.
/// </summary>
internal sealed class TrainCommand : CommandBase
{
    private readonly Option<string> _dataset = new("--dataset", "-d") { Description = "Dataset folder: the 4Q layout or one folder per label", Required = true };
    private readonly Option<string> _arch = new("--arch") { Description = $"Network: {string.Join(", ", ArchitectureNames.All)}", DefaultValueFactory = _ => "cnn4" };
    private readonly Option<string> _feature = new("--feature") { Description = "Spectrogram: stft, mel or logmel", DefaultValueFactory = _ => "logmel" };
    private readonly Option<string> _summary = new("--summary") { Description = "Per-segment 1-D features for mlp/multimodal: basic (26) or extended (69)", DefaultValueFactory = _ => "extended" };
    private readonly Option<double> _segment = Positive(new Option<double>("--segment") { Description = "Segment length in seconds", DefaultValueFactory = _ => 2 });
    private readonly Option<double> _hop = Positive(new Option<double>("--hop") { Description = "Seconds between segment starts", DefaultValueFactory = _ => 1 });
    private readonly Option<int> _sampleRate = Positive(new Option<int>("--sr") { Description = "Sample rate (Hz)", DefaultValueFactory = _ => 22050 });
    private readonly Option<int> _nFft = Positive(new Option<int>("--n-fft") { Description = "FFT size (the paper: 512)", DefaultValueFactory = _ => 512 });
    private readonly Option<int> _hopLength = Positive(new Option<int>("--hop-length") { Description = "Samples between STFT frames (the paper: 256, 50% overlap)", DefaultValueFactory = _ => 256 });
    private readonly Option<int> _nMels = Positive(new Option<int>("--n-mels") { Description = "Mel bands (mel, logmel)", DefaultValueFactory = _ => 64 });
    private readonly Option<double> _crop = NonNegative(new Option<double>("--crop") { Description = "Energy-crop threshold in [0, 1] (0 = none)", DefaultValueFactory = _ => 0 });
    private readonly Option<double?> _width = new("--width") { Description = "Channel multiplier [default: the architecture's]" };
    private readonly Option<double> _dropout = NonNegative(new Option<double>("--dropout") { Description = "Dropout before the classifier", DefaultValueFactory = _ => 0.3 });
    private readonly Option<int> _epochs = Positive(new Option<int>("--epochs") { Description = "Maximum epochs", DefaultValueFactory = _ => 30 });
    private readonly Option<int> _batch = Positive(new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 32 });
    private readonly Option<string> _optimizer = new("--optimizer") { Description = "sgd (Nesterov), adam or adamw", DefaultValueFactory = _ => "adamw" };
    private readonly Option<double> _lr = Positive(new Option<double>("--lr") { Description = "Peak learning rate", DefaultValueFactory = _ => 1e-3 });
    private readonly Option<double> _weightDecay = NonNegative(new Option<double>("--weight-decay") { Description = "Weight decay", DefaultValueFactory = _ => 1e-2 });
    private readonly Option<string> _schedule = new("--schedule") { Description = "onecycle, cosine or constant", DefaultValueFactory = _ => "onecycle" };
    private readonly Option<double> _smoothing = NonNegative(new Option<double>("--label-smoothing") { Description = "Label smoothing", DefaultValueFactory = _ => 0.1 });
    private readonly Option<int> _perTrack = new("--segments-per-track") { Description = "Random segments per track per epoch (0 = all)", DefaultValueFactory = _ => 8 };
    private readonly Option<int> _augment = new("--augment") { Description = "Augmented audio copies per track (pitch, stretch, gain, noise)", DefaultValueFactory = _ => 0 };
    private readonly Option<bool> _noOversample = new("--no-oversample") { Description = "Do not oversample minority classes" };
    private readonly Option<double> _specMask = NonNegative(new Option<double>("--mask") { Description = "SpecAugment: largest mask as a fraction of rows/frames (0 = off)", DefaultValueFactory = _ => 0.15 });
    private readonly Option<int> _patience = new("--patience") { Description = "Early stopping: epochs without improvement (0 = off)", DefaultValueFactory = _ => 8 };
    private readonly Option<double> _valFraction = NonNegative(new Option<double>("--val-fraction") { Description = "Held-out fraction of training tracks for early stopping", DefaultValueFactory = _ => 0.15 });
    private readonly Option<int> _folds = new("--folds") { Description = "Cross-validation folds (0 = none)", DefaultValueFactory = _ => 5 };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of everything random", DefaultValueFactory = _ => 1 };
    private readonly Option<string?> _out = new("--out", "-o") { Description = "Where to save the final model (.safetensors)" };
    private readonly Option<bool> _cvOnly = new("--cv-only") { Description = "Only cross-validate; do not train the final model" };
    private readonly Option<string?> _cache = new("--cache") { Description = "Feature cache folder [default: $AFFETTO_CACHE or ~/.cache/affetto]" };
    private readonly Option<bool> _noCache = new("--no-cache") { Description = "Do not read or write the feature cache" };
    private readonly Option<string?> _checkpoints = new("--checkpoints") { Description = "Checkpoint folder [default: MODEL.checkpoints]" };
    private readonly Option<bool> _resume = new("--resume") { Description = "Continue an interrupted run from its checkpoints" };

    public TrainCommand(Func<CancellationToken> token)
        : base("train", "Train an emotion model (cross-validated on artist-disjoint folds) and save it", token)
    {
        foreach (var o in new Option[] { _dataset, _arch, _feature, _summary, _segment, _hop, _sampleRate, _nFft, _hopLength, _nMels, _crop, _width,
                     _dropout, _epochs, _batch, _optimizer, _lr, _weightDecay, _schedule, _smoothing, _perTrack, _augment, _noOversample, _specMask,
                     _patience, _valFraction, _folds, _seed, _out, _cvOnly, _cache, _noCache, _checkpoints, _resume })
            Options.Add(o);
    }

    protected override int Execute(ParseResult parse, CliContext ctx)
    {
        var (architecture, frontEnd, options, folds) = Settings(parse);
        string? outPath = parse.GetValue(_out);
        bool cvOnly = parse.GetValue(_cvOnly);
        if (outPath is null && !cvOnly) throw new UserError("--out MODEL is required (or --cv-only to only cross-validate)");
        if (cvOnly && folds < 2) throw new UserError("--cv-only needs --folds 2 or more");
        var dataset = LoadDataset(parse.GetValue(_dataset)!);
        foreach (string w in dataset.Warnings) ctx.Warn(w);
        var spec = EmotionModel.SpecFor(architecture, frontEnd, dataset.Labels.Count) with { Dropout = (float)parse.GetValue(_dropout) };
        if (parse.GetValue(_width) is { } width) spec = spec with { Width = width };
        var problems = NetworkFactory.Validate(spec);
        if (problems.Count > 0) throw new UserError($"{ArchitectureNames.ToName(architecture)} cannot take this input: {string.Join("; ", problems)}");

        string? cache = parse.GetValue(_noCache) ? null : parse.GetValue(_cache) ?? DefaultCache();
        string? checkpoints = parse.GetValue(_checkpoints) ?? (outPath is null ? null : outPath + ".checkpoints");
        int copies = parse.GetValue(_augment);
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{dataset.Name}: {dataset.Items.Count} tracks ({string.Join(", ", dataset.Labels.Zip(dataset.CountsPerLabel(), (l, n) => $"{l} {n}"))}), " +
            $"{dataset.Items.Select(i => i.Group).Distinct().Count()} groups; {ArchitectureNames.ToName(architecture)} on {Describe(frontEnd)}"));

        var clock = Stopwatch.StartNew();
        SegmentTable table;
        IReadOnlyList<(TrackItem Track, string Error)> failures;
        using (var bar = new ProgressLine(ctx, "decoded", dataset.Items.Count * (1 + copies)))
        {
            (table, failures) = TrainingData.Load(dataset, frontEnd, cache, copies, ctx.Jobs, new SyncProgress<(int, int)>(_ => bar.Advance()), ctx.Cancellation);
        }
        foreach (var (track, error) in failures) ctx.Error($"{track.Path}: {error}");
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"features: {table.Count} segments of {table.Height}x{table.Width}{(table.FeatureDim > 0 ? $" + {table.FeatureDim} features" : "")} in {clock.Elapsed.TotalSeconds:0.0} s{(cache is null ? "" : $" (cache {cache})")}"));

        ProgressLine? batchBar = null;
        string? barStage = null;
        int barEpoch = 0;
        var trainingProgress = new SyncProgress<TrainingProgress>(p =>
        {
            if (p.Completed is { } e)
            {
                batchBar?.Dispose();
                batchBar = null;
                ctx.Out.WriteLine(EpochLine(p.Stage, p.Epochs, e));
                return;
            }
            if (batchBar is null || barStage != p.Stage || barEpoch != p.Epoch)
            {
                batchBar?.Dispose();
                batchBar = new ProgressLine(ctx, $"batches ({p.Stage}, epoch {p.Epoch})", p.Batches);
                (barStage, barEpoch) = (p.Stage, p.Epoch);
            }
            batchBar.Advance();
        });
        TrainingJobResult result;
        try
        {
            result = TrainingJob.Run(dataset, table, frontEnd, spec, options, folds, trainFinal: !cvOnly, checkpoints, parse.GetValue(_resume),
                trainingProgress, fold => ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"fold {fold.Fold}: track accuracy {fold.Report.Accuracy:0.000}, weighted F1 {fold.Report.WeightedF1:0.000} on {fold.TestTracks} tracks (best epoch {fold.BestEpoch}, {fold.Seconds:0} s)")),
                ctx.Cancellation);
        }
        finally
        {
            batchBar?.Dispose();
        }

        if (result.Summary is { } s)
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cross-validation ({result.Folds.Count} folds, artist-disjoint): track accuracy {s.Accuracy.Mean:0.000} ± {s.Accuracy.Std:0.000}, weighted F1 {s.WeightedF1.Mean:0.000} ± {s.WeightedF1.Std:0.000}, macro F1 {s.MacroF1.Mean:0.000} ± {s.MacroF1.Std:0.000}"));
        if (result.Model is { } model && outPath is not null)
        {
            var provenance = new ModelProvenance
            {
                Dataset = Path.GetFullPath(dataset.Root),
                Tracks = table.TrackIds.Count - failures.Count,
                Segments = table.Count,
                Seed = options.Seed,
                Epochs = result.FinalRun!.History.Count,
                BatchSize = options.BatchSize,
                Optimizer = options.Optimizer.ToString().ToLowerInvariant(),
                LearningRate = options.LearningRate,
                TrainingSeconds = Math.Round(result.FinalRun.Seconds, 1),
                TrainedAt = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                Command = "affetto " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
                Folds = result.Summary is null ? null : result.Folds.Count,
                CvAccuracyMean = result.Summary?.Accuracy.Mean,
                CvAccuracyStd = result.Summary?.Accuracy.Std,
                CvWeightedF1Mean = result.Summary?.WeightedF1.Mean,
                CvWeightedF1Std = result.Summary?.WeightedF1.Std,
                Notes = new Dictionary<string, string>
                {
                    ["augment_copies"] = copies.ToString(CultureInfo.InvariantCulture),
                    ["segments_per_track"] = options.SegmentsPerTrack?.ToString(CultureInfo.InvariantCulture) ?? "all",
                    ["schedule"] = options.Schedule.ToString().ToLowerInvariant(),
                    ["label_smoothing"] = options.LabelSmoothing.ToString(CultureInfo.InvariantCulture),
                },
            };
            model.With(provenance).Save(outPath);
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"saved {outPath} ({new FileInfo(outPath).Length / 1024.0:0} KiB, {model.Network.ParameterCount():N0} parameters; final model {result.FinalRun.History.Count} epochs in {result.FinalRun.Seconds:0} s; total {clock.Elapsed.TotalMinutes:0.0} min)"));
        }
        return ExitCodes.Success;
    }

    private (Architecture, FrontEndSettings, TrainingOptions, int Folds) Settings(ParseResult parse)
    {
        var problems = new List<string>();
        if (!ArchitectureNames.TryParse(parse.GetValue(_arch), out var architecture))
            problems.Add($"--arch '{parse.GetValue(_arch)}' is not one of {string.Join(", ", ArchitectureNames.All)}");
        SpectrogramKind kind = SpectrogramKind.LogMel;
        string feature = parse.GetValue(_feature)!.ToLowerInvariant().Replace("-", "");
        if (feature is "stft") kind = SpectrogramKind.Stft;
        else if (feature is "mel") kind = SpectrogramKind.Mel;
        else if (feature is not "logmel") problems.Add($"--feature '{parse.GetValue(_feature)}' is not stft, mel or logmel");
        string summary = parse.GetValue(_summary)!.ToLowerInvariant();
        if (summary is not ("basic" or "extended")) problems.Add($"--summary '{summary}' is not basic or extended");
        var optimizer = parse.GetValue(_optimizer)!.ToLowerInvariant() switch
        {
            "sgd" => OptimizerKind.Sgd,
            "adam" => OptimizerKind.Adam,
            "adamw" => OptimizerKind.AdamW,
            var o => Fail(problems, $"--optimizer '{o}' is not sgd, adam or adamw", OptimizerKind.AdamW),
        };
        var schedule = parse.GetValue(_schedule)!.ToLowerInvariant() switch
        {
            "onecycle" or "one-cycle" => LrSchedule.OneCycle,
            "cosine" => LrSchedule.Cosine,
            "constant" or "none" => LrSchedule.Constant,
            var o => Fail(problems, $"--schedule '{o}' is not onecycle, cosine or constant", LrSchedule.OneCycle),
        };
        int folds = parse.GetValue(_folds), perTrack = parse.GetValue(_perTrack), augment = parse.GetValue(_augment);
        if (folds < 0 || folds == 1) problems.Add($"--folds must be 0 (none) or at least 2 (got {folds})");
        if (perTrack < 0) problems.Add($"--segments-per-track must be 0 (all) or more (got {perTrack})");
        if (augment is < 0 or > 16) problems.Add($"--augment must be between 0 and 16 copies (got {augment})");
        if (parse.GetValue(_crop) > 1) problems.Add($"--crop must be in [0, 1] (got {parse.GetValue(_crop)})");
        if (parse.GetValue(_dropout) >= 1) problems.Add($"--dropout must be below 1 (got {parse.GetValue(_dropout)})");

        bool usesSpectrogram = architecture != Architecture.Mlp;
        bool usesFeatures = architecture is Architecture.Mlp or Architecture.Multimodal;
        var frontEnd = new FrontEndSettings
        {
            SampleRate = parse.GetValue(_sampleRate),
            SegmentSeconds = parse.GetValue(_segment),
            HopSeconds = parse.GetValue(_hop),
            UseSpectrogram = usesSpectrogram,
            Feature = kind,
            NFft = parse.GetValue(_nFft),
            HopLength = parse.GetValue(_hopLength),
            NMels = parse.GetValue(_nMels),
            CropThreshold = (float)parse.GetValue(_crop),
            UseSummaryFeatures = usesFeatures,
            ExtendedSummaryFeatures = usesFeatures && summary == "extended",
        };
        problems.AddRange(frontEnd.Validate());
        var options = new TrainingOptions
        {
            Epochs = parse.GetValue(_epochs),
            BatchSize = parse.GetValue(_batch),
            Optimizer = optimizer,
            LearningRate = parse.GetValue(_lr),
            WeightDecay = parse.GetValue(_weightDecay),
            Schedule = schedule,
            LabelSmoothing = parse.GetValue(_smoothing),
            SegmentsPerTrack = perTrack == 0 ? null : perTrack,
            Oversample = !parse.GetValue(_noOversample),
            MaskFraction = parse.GetValue(_specMask),
            Patience = parse.GetValue(_patience),
            ValidationFraction = parse.GetValue(_valFraction),
            Seed = parse.GetValue(_seed),
        };
        problems.AddRange(options.Validate());
        if (problems.Count > 0) throw new UserError(string.Join("; ", problems));
        return (architecture, frontEnd, options, folds);
    }

    private static T Fail<T>(List<string> problems, string message, T fallback)
    {
        problems.Add(message);
        return fallback;
    }

    private static TrackDataset LoadDataset(string path)
    {
        if (!Directory.Exists(path)) throw new UserError($"{path}: dataset folder not found");
        return File.Exists(Path.Combine(path, FourQuadrantDataset.AnnotationsFileName))
            ? FourQuadrantDataset.Load(path)
            : FolderPerLabelDataset.Load(path);
    }

    private static string DefaultCache() =>
        Environment.GetEnvironmentVariable("AFFETTO_CACHE") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "affetto");

    private static string Describe(FrontEndSettings f)
    {
        var parts = new List<string>();
        if (f.UseSpectrogram)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{f.Feature.ToString().ToLowerInvariant()} {f.SpectrogramHeight}x{f.SpectrogramWidth} (n_fft {f.NFft}, hop {f.HopLength})"));
        if (f.UseSummaryFeatures) parts.Add($"{f.FeatureDim} summary features");
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"{f.SegmentSeconds:0.##} s segments every {f.HopSeconds:0.##} s at {f.SampleRate} Hz"));
        return string.Join(", ", parts);
    }

    private static string EpochLine(string stage, int epochs, EpochRecord e)
    {
        string validation = e.ValidationLoss is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $"  val loss {e.ValidationLoss:0.000} seg {e.ValidationAccuracy:0.000} track {e.ValidationTrackAccuracy:0.000}");
        return string.Create(CultureInfo.InvariantCulture,
            $"{stage,-9} epoch {e.Epoch,3}/{epochs}  loss {e.TrainLoss:0.000} acc {e.TrainAccuracy:0.000}{validation}  lr {e.LearningRate:0.00000}  {e.Seconds:0.0} s");
    }

    /// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly Lock _lock = new();

        public void Report(T value)
        {
            lock (_lock) report(value);
        }
    }
}
