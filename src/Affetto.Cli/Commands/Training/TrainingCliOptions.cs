using System.CommandLine;
using System.Globalization;
using Affetto.Cli.Infrastructure;
using Affetto.Models.Data;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Models.Emotion.Training;
using static Affetto.Cli.Commands.CommandBase;

namespace Affetto.Cli.Commands.Training;

/// <summary>
/// The options <c>train</c> and <c>study</c> share: dataset, architecture, front end, training hyper-parameters and
/// the feature cache; validated together so a user sees every mistake in one line.
/// </summary>
internal sealed class TrainingCliOptions
{
    public readonly Option<string> Dataset = new("--dataset", "-d") { Description = "Dataset folder: the 4Q layout or one folder per label", Required = true };
    public readonly Option<string> Arch;
    public readonly Option<string> Feature;
    public readonly Option<string> Summary = new("--summary") { Description = "Per-segment 1-D features for mlp/multimodal: basic (26) or extended (69)", DefaultValueFactory = _ => "extended" };
    public readonly Option<double> Segment = Positive(new Option<double>("--segment") { Description = "Segment length in seconds", DefaultValueFactory = _ => 2 });
    public readonly Option<double> Hop = Positive(new Option<double>("--hop") { Description = "Seconds between segment starts", DefaultValueFactory = _ => 1 });
    public readonly Option<int> SampleRate = Positive(new Option<int>("--sr") { Description = "Sample rate (Hz)", DefaultValueFactory = _ => 22050 });
    public readonly Option<int> NFft = Positive(new Option<int>("--n-fft") { Description = "FFT size (the paper: 512)", DefaultValueFactory = _ => 512 });
    public readonly Option<int> HopLength = Positive(new Option<int>("--hop-length") { Description = "Samples between STFT frames (the paper: 256, 50% overlap)", DefaultValueFactory = _ => 256 });
    public readonly Option<int> NMels = Positive(new Option<int>("--n-mels") { Description = "Mel bands (mel, logmel)", DefaultValueFactory = _ => 64 });
    public readonly Option<double?> Width = new("--width") { Description = "Channel multiplier [default: the architecture's]" };
    public readonly Option<double> Dropout = NonNegative(new Option<double>("--dropout") { Description = "Dropout before the classifier", DefaultValueFactory = _ => 0.3 });
    public readonly Option<int> Epochs;
    public readonly Option<int> Batch = Positive(new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 32 });
    public readonly Option<string> Optimizer = new("--optimizer") { Description = "sgd (Nesterov), adam or adamw", DefaultValueFactory = _ => "adamw" };
    public readonly Option<double> Lr = Positive(new Option<double>("--lr") { Description = "Peak learning rate", DefaultValueFactory = _ => 1e-3 });
    public readonly Option<double> WeightDecay = NonNegative(new Option<double>("--weight-decay") { Description = "Weight decay", DefaultValueFactory = _ => 1e-2 });
    public readonly Option<string> Schedule = new("--schedule") { Description = "onecycle, cosine or constant", DefaultValueFactory = _ => "onecycle" };
    public readonly Option<double> Smoothing = NonNegative(new Option<double>("--label-smoothing") { Description = "Label smoothing", DefaultValueFactory = _ => 0.1 });
    public readonly Option<int> PerTrack = new("--segments-per-track") { Description = "Random segments per track per epoch (0 = all)", DefaultValueFactory = _ => 8 };
    public readonly Option<int> Augment = new("--augment") { Description = "Augmented audio copies per track (pitch, stretch, gain, noise)", DefaultValueFactory = _ => 0 };
    public readonly Option<bool> NoOversample = new("--no-oversample") { Description = "Do not oversample minority classes" };
    public readonly Option<double> Mask = NonNegative(new Option<double>("--mask") { Description = "SpecAugment: largest mask as a fraction of rows/frames (0 = off)", DefaultValueFactory = _ => 0.15 });
    public readonly Option<double> Mixup = NonNegative(new Option<double>("--mixup") { Description = "mixup: alpha of the Beta(alpha, alpha) mixing weight, e.g. 0.4 (0 = off)", DefaultValueFactory = _ => 0 });
    public readonly Option<int> Patience = new("--patience") { Description = "Early stopping with --val-fraction: epochs without improvement (0 = off)", DefaultValueFactory = _ => 8 };
    public readonly Option<double> ValFraction = NonNegative(new Option<double>("--val-fraction") { Description = "Held-out fraction of training tracks (artist-disjoint) that picks the best epoch and stops early; 0 = none: train on all and keep the last epoch (e.g. 0.15)", DefaultValueFactory = _ => 0.0 });
    public readonly Option<int> Folds = new("--folds") { Description = "Cross-validation folds, artist-disjoint (0 = none)", DefaultValueFactory = _ => 5 };
    public readonly Option<int?> FoldsToRun = new("--folds-to-run") { Description = "Train only the first N of the --folds (e.g. 1: one artist-disjoint hold-out) [default: all]" };
    public readonly Option<int> Seed = new("--seed") { Description = "Seed of everything random", DefaultValueFactory = _ => 1 };
    public readonly Option<int?> SplitSeed = new("--split-seed") { Description = "Seed of the folds and the validation split, to train ensemble members on the same folds [default: --seed]" };
    public readonly Option<double> CropShare = NonNegative(new Option<double>("--crop-share") { Description = "Energy crop: share of the segments in which a frequency row must reach the threshold to be kept (0 = any one segment)", DefaultValueFactory = _ => 0.01 });
    public readonly Option<string?> Cache = new("--cache") { Description = "Feature cache folder [default: $AFFETTO_CACHE or ~/.cache/affetto]" };
    public readonly Option<bool> NoCache = new("--no-cache") { Description = "Do not read or write the feature cache" };

    public TrainingCliOptions(string defaultArch = "cnn4", string defaultFeature = "logmel", int defaultEpochs = 30)
    {
        Arch = new("--arch") { Description = $"Network: {string.Join(", ", ArchitectureNames.Trainable)}", DefaultValueFactory = _ => defaultArch };
        Feature = new("--feature") { Description = "Spectrogram: stft, mel or logmel", DefaultValueFactory = _ => defaultFeature };
        Epochs = Positive(new Option<int>("--epochs") { Description = "Maximum epochs", DefaultValueFactory = _ => defaultEpochs });
    }

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Dataset, Arch, Feature, Summary, Segment, Hop, SampleRate, NFft, HopLength, NMels, Width, Dropout, Epochs, Batch,
                     Optimizer, Lr, WeightDecay, Schedule, Smoothing, PerTrack, Augment, NoOversample, Mask, Mixup, Patience, ValFraction, Folds, FoldsToRun, Seed, SplitSeed, CropShare, Cache, NoCache })
            command.Options.Add(o);
    }

    /// <summary>Everything parsed and validated; throws one <see cref="UserError"/> listing every problem.</summary>
    public (Architecture Architecture, FrontEndSettings FrontEnd, TrainingOptions Options, int Folds) Build(ParseResult parse, List<string>? problems = null)
    {
        problems ??= [];
        if (!ArchitectureNames.TryParse(parse.GetValue(Arch), out var architecture))
            problems.Add($"--arch '{parse.GetValue(Arch)}' is not one of {string.Join(", ", ArchitectureNames.Trainable)}");
        else if (architecture == Architecture.Ensemble)
            problems.Add("--arch ensemble is not trained as one network: train its members, then combine them with `affetto ensemble MODEL... --out FILE`");
        SpectrogramKind kind = SpectrogramKind.LogMel;
        string feature = parse.GetValue(Feature)!.ToLowerInvariant().Replace("-", "");
        if (feature is "stft") kind = SpectrogramKind.Stft;
        else if (feature is "mel") kind = SpectrogramKind.Mel;
        else if (feature is not "logmel") problems.Add($"--feature '{parse.GetValue(Feature)}' is not stft, mel or logmel");
        string summary = parse.GetValue(Summary)!.ToLowerInvariant();
        if (summary is not ("basic" or "extended")) problems.Add($"--summary '{summary}' is not basic or extended");
        var optimizer = parse.GetValue(Optimizer)!.ToLowerInvariant() switch
        {
            "sgd" => OptimizerKind.Sgd,
            "adam" => OptimizerKind.Adam,
            "adamw" => OptimizerKind.AdamW,
            var o => Fail(problems, $"--optimizer '{o}' is not sgd, adam or adamw", OptimizerKind.AdamW),
        };
        var schedule = parse.GetValue(Schedule)!.ToLowerInvariant() switch
        {
            "onecycle" or "one-cycle" => LrSchedule.OneCycle,
            "cosine" => LrSchedule.Cosine,
            "constant" or "none" => LrSchedule.Constant,
            var o => Fail(problems, $"--schedule '{o}' is not onecycle, cosine or constant", LrSchedule.OneCycle),
        };
        int folds = parse.GetValue(Folds), perTrack = parse.GetValue(PerTrack), augment = parse.GetValue(Augment);
        if (folds < 0 || folds == 1) problems.Add($"--folds must be 0 (none) or at least 2 (got {folds})");
        if (parse.GetValue(FoldsToRun) is < 1) problems.Add("--folds-to-run must be at least 1");
        if (perTrack < 0) problems.Add($"--segments-per-track must be 0 (all) or more (got {perTrack})");
        if (augment is < 0 or > 16) problems.Add($"--augment must be between 0 and 16 copies (got {augment})");
        if (parse.GetValue(CropShare) >= 1) problems.Add($"--crop-share must be below 1 (got {parse.GetValue(CropShare)})");
        if (parse.GetValue(Dropout) >= 1) problems.Add($"--dropout must be below 1 (got {parse.GetValue(Dropout)})");

        bool usesFeatures = architecture is Architecture.Mlp or Architecture.Multimodal;
        var frontEnd = new FrontEndSettings
        {
            SampleRate = parse.GetValue(SampleRate),
            SegmentSeconds = parse.GetValue(Segment),
            HopSeconds = parse.GetValue(Hop),
            UseSpectrogram = architecture != Architecture.Mlp,
            Feature = kind,
            NFft = parse.GetValue(NFft),
            HopLength = parse.GetValue(HopLength),
            NMels = parse.GetValue(NMels),
            UseSummaryFeatures = usesFeatures,
            ExtendedSummaryFeatures = usesFeatures && summary == "extended",
        };
        problems.AddRange(frontEnd.Validate());
        var options = new TrainingOptions
        {
            Epochs = parse.GetValue(Epochs),
            BatchSize = parse.GetValue(Batch),
            Optimizer = optimizer,
            LearningRate = parse.GetValue(Lr),
            WeightDecay = parse.GetValue(WeightDecay),
            Schedule = schedule,
            LabelSmoothing = parse.GetValue(Smoothing),
            SegmentsPerTrack = perTrack == 0 ? null : perTrack,
            Oversample = !parse.GetValue(NoOversample),
            MaskFraction = parse.GetValue(Mask),
            Mixup = parse.GetValue(Mixup),
            Patience = parse.GetValue(Patience),
            ValidationFraction = parse.GetValue(ValFraction),
            Seed = parse.GetValue(Seed),
            SplitSeed = parse.GetValue(SplitSeed),
        };
        problems.AddRange(options.Validate());
        if (problems.Count > 0) throw new UserError(string.Join("; ", problems));
        return (architecture, frontEnd, options, folds);
    }

    /// <summary>The network for <paramref name="frontEnd"/>, with the --width and --dropout options applied and validated.</summary>
    public NetworkSpec Spec(ParseResult parse, Architecture architecture, FrontEndSettings frontEnd, int classes)
    {
        var spec = Customize(parse, EmotionModel.SpecFor(architecture, frontEnd, classes));
        var problems = NetworkFactory.Validate(spec);
        if (problems.Count > 0) throw new UserError($"{ArchitectureNames.ToName(architecture)} cannot take this input: {string.Join("; ", problems)}");
        return spec;
    }

    /// <summary><paramref name="spec"/> with the --width and --dropout options applied.</summary>
    public NetworkSpec Customize(ParseResult parse, NetworkSpec spec)
    {
        spec = spec with { Dropout = (float)parse.GetValue(Dropout) };
        return parse.GetValue(Width) is { } width ? spec with { Width = width } : spec;
    }

    /// <summary>The cache folder, or null with --no-cache.</summary>
    public string? CacheFolder(ParseResult parse) =>
        parse.GetValue(NoCache) ? null
        : parse.GetValue(Cache) ?? (Environment.GetEnvironmentVariable("AFFETTO_CACHE") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "affetto"));

    /// <summary>Loads the dataset (4Q layout when its annotations file is there, else one folder per label).</summary>
    public TrackDataset LoadDataset(ParseResult parse, CliContext ctx)
    {
        string path = parse.GetValue(Dataset)!;
        TrackDataset dataset;
        try
        {
            dataset = DatasetLoader.Load(path);
        }
        catch (DirectoryNotFoundException)
        {
            throw new UserError($"{path}: dataset folder not found");
        }
        if (ctx.Verbose) foreach (string w in dataset.Warnings) ctx.Warn(w);
        else if (dataset.Warnings.Count > 0) ctx.Warn($"{dataset.Warnings.Count} dataset warnings (e.g. {dataset.Warnings[0]}); --verbose lists them");
        return dataset;
    }

    /// <summary>Decodes (or reads from the cache) every track, with a progress line; prints failures; returns the table.</summary>
    public SegmentTable LoadTable(ParseResult parse, CliContext ctx, TrackDataset dataset, FrontEndSettings frontEnd, out int failed)
    {
        string? cache = CacheFolder(parse);
        int copies = parse.GetValue(Augment);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        SegmentTable table;
        IReadOnlyList<(TrackItem Track, string Error)> failures;
        using (var bar = new ProgressLine(ctx, "decoded", dataset.Items.Count * (1 + copies)))
            (table, failures) = TrainingData.Load(dataset, frontEnd, cache, copies, ctx.Jobs, new SyncProgress<(int, int)>(_ => bar.Advance()), ctx.Cancellation);
        foreach (var (track, error) in failures) ctx.Error(error.Contains(track.Path, StringComparison.Ordinal) ? error : $"{track.Path}: {error}");
        failed = failures.Count;
        if (dataset.Items.Count - failed < 2)
            throw new InvalidDataException($"{dataset.Root}: only {dataset.Items.Count - failed} of {dataset.Items.Count} tracks could be read; nothing to train on");
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"features: {table.Count} segments of {table.Height}x{table.Width}{(table.FeatureDim > 0 ? $" + {table.FeatureDim} features" : "")}{(copies > 0 ? $" ({copies} augmented copies per track)" : "")} in {clock.Elapsed.TotalSeconds:0.0} s{(cache is null ? "" : $" (cache {cache})")}"));
        return table;
    }

    /// <summary>One line describing the front end.</summary>
    public static string Describe(FrontEndSettings f)
    {
        var parts = new List<string>();
        if (f.UseSpectrogram)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{f.Feature.ToString().ToLowerInvariant()} {f.SpectrogramHeight}x{f.SpectrogramWidth} (n_fft {f.NFft}, hop {f.HopLength})"));
        if (f.UseSummaryFeatures) parts.Add($"{f.FeatureDim} summary features");
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"{f.SegmentSeconds:0.##} s segments every {f.HopSeconds:0.##} s at {f.SampleRate} Hz"));
        return string.Join(", ", parts);
    }

    /// <summary>The per-epoch line.</summary>
    public static string EpochLine(string stage, int epochs, EpochRecord e)
    {
        string validation = e.ValidationLoss is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $"  val loss {e.ValidationLoss:0.000} seg {e.ValidationAccuracy:0.000} track {e.ValidationTrackAccuracy:0.000}");
        return string.Create(CultureInfo.InvariantCulture,
            $"{stage,-9} epoch {e.Epoch,3}/{epochs}  loss {e.TrainLoss:0.000} acc {e.TrainAccuracy:0.000}{validation}  lr {e.LearningRate:0.00000}  {e.Seconds:0.0} s");
    }

    /// <summary>Progress that prints finished epochs and draws a batch progress line; dispose to erase the line.</summary>
    public static (IProgress<TrainingProgress> Progress, IDisposable Line) EpochReporter(CliContext ctx)
    {
        var reporter = new EpochProgress(ctx);
        return (new SyncProgress<TrainingProgress>(reporter.Report), reporter);
    }

    private static T Fail<T>(List<string> problems, string message, T fallback)
    {
        problems.Add(message);
        return fallback;
    }

    private sealed class EpochProgress(CliContext ctx) : IDisposable
    {
        private ProgressLine? _bar;
        private (string Stage, int Epoch) _at;

        public void Report(TrainingProgress p)
        {
            if (p.Completed is { } e)
            {
                Dispose();
                ctx.Out.WriteLine(EpochLine(p.Stage, p.Epochs, e));
                return;
            }
            if (_bar is null || _at != (p.Stage, p.Epoch))
            {
                _bar?.Dispose();
                _bar = new ProgressLine(ctx, $"batches ({p.Stage}, epoch {p.Epoch})", p.Batches);
                _at = (p.Stage, p.Epoch);
            }
            _bar.Advance();
        }

        public void Dispose()
        {
            _bar?.Dispose();
            _bar = null;
        }
    }
}
