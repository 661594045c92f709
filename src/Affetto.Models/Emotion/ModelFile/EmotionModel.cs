using System.Text.Json;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.Inference;
using Affetto.Models.Emotion.Reports;
using Affetto.Nn.Modules;
using Affetto.Nn.Serialization;

namespace Affetto.Models.Emotion.ModelFile;

/// <summary>
/// A trained emotion model: the network with its weights, the exact front end that makes its inputs (sample rate,
/// segments, spectrogram settings, normalisation statistics), its labels, and where and how it was trained. One
/// standard safetensors file holds it all: the network's state dict (PyTorch key names) and, in the header's
/// <c>__metadata__</c>, the JSON entries <see cref="FormatKey"/>, <see cref="FrontEndKey"/>, <see cref="NetworkKey"/>,
/// <see cref="LabelsKey"/>, <see cref="SeedKey"/>, <see cref="TrainingKey"/>, <see cref="HistoryKey"/> and
/// <see cref="CrossValidationKey"/>.
/// </summary>
/// <example>
/// <code>
/// var model = EmotionModel.Load("models/emotion.safetensors");
/// EmotionResult result = model.CreateAnalyzer().Analyze("song.flac", timeline: true);
/// </code>
/// </example>
public sealed class EmotionModel
{
    /// <summary>Metadata key of the format marker.</summary>
    public const string FormatKey = "affetto.format";

    /// <summary>The format marker's value.</summary>
    public const string FormatValue = "affetto-emotion-1";

    /// <summary>Metadata key of the front-end settings JSON.</summary>
    public const string FrontEndKey = "affetto.front_end";

    /// <summary>Metadata key of the network spec JSON.</summary>
    public const string NetworkKey = "affetto.network";

    /// <summary>Metadata key of the labels (JSON array, the order of the network's outputs).</summary>
    public const string LabelsKey = "affetto.labels";

    /// <summary>Metadata key of the initialisation seed (rebuilds the untrained network for before/after maps).</summary>
    public const string SeedKey = "affetto.seed";

    /// <summary>Metadata key of the training provenance JSON.</summary>
    public const string TrainingKey = "affetto.training";

    /// <summary>Metadata key of the per-epoch history JSON.</summary>
    public const string HistoryKey = "affetto.history";

    /// <summary>Metadata key of the out-of-fold predictions JSON (absent when the model was not cross-validated).</summary>
    public const string CrossValidationKey = "affetto.cv_predictions";

    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private NetworkPredictor? _predictor;
    private object? _predictorLock;

    /// <summary>Wraps a network with its front end and labels.</summary>
    /// <param name="frontEnd">The settings that make the network's inputs.</param>
    /// <param name="network">The network (its spec must match the front end's shapes).</param>
    /// <param name="labels">The labels in output order.</param>
    /// <param name="seed">The seed the network was initialised with.</param>
    /// <param name="provenance">Training facts, or null.</param>
    /// <param name="history">Per-epoch history, or null.</param>
    /// <param name="crossValidation">Out-of-fold predictions of the cross-validation, or null.</param>
    /// <exception cref="ArgumentException">Shapes or label count disagree, or the settings are invalid.</exception>
    public EmotionModel(FrontEndSettings frontEnd, EmotionNetwork network, IReadOnlyList<string> labels, int seed,
        ModelProvenance? provenance = null, IReadOnlyList<EpochRecord>? history = null, IReadOnlyList<OutOfFoldPrediction>? crossValidation = null)
    {
        ArgumentNullException.ThrowIfNull(frontEnd);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(labels);
        frontEnd.ThrowIfInvalid();
        var problems = Mismatches(frontEnd, network.Spec, labels);
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
        FrontEnd = frontEnd;
        Network = network;
        Labels = labels.ToArray();
        Seed = seed;
        Provenance = provenance ?? new ModelProvenance();
        History = history?.ToArray() ?? [];
        CrossValidation = crossValidation?.ToArray() ?? [];
        if (CrossValidation.Any(p => p is null || string.IsNullOrEmpty(p.Track) || p.Probabilities is null || p.Probabilities.Count != Labels.Count || !Labels.Contains(p.Label)))
            throw new ArgumentException($"Every out-of-fold prediction needs a track, a known label and {Labels.Count} probabilities.", nameof(crossValidation));
    }

    /// <summary>The front-end settings (with the training set's normalisation statistics).</summary>
    public FrontEndSettings FrontEnd { get; }

    /// <summary>The network.</summary>
    public EmotionNetwork Network { get; }

    /// <summary>The network's spec.</summary>
    public NetworkSpec Spec => Network.Spec;

    /// <summary>The labels in output order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The initialisation seed.</summary>
    public int Seed { get; }

    /// <summary>Where and how the model was trained.</summary>
    public ModelProvenance Provenance { get; }

    /// <summary>
    /// Per-epoch training history (empty when unknown). An ensemble's is its members' histories, each epoch marked
    /// with its <see cref="EpochRecord.Member"/>.
    /// </summary>
    public IReadOnlyList<EpochRecord> History { get; }

    /// <summary>
    /// Each cross-validated track's prediction by the fold model that did not train on it (empty when the model was not
    /// cross-validated): the evidence behind the provenance's cross-validated scores, and what <c>affetto ensemble</c>
    /// combines.
    /// </summary>
    public IReadOnlyList<OutOfFoldPrediction> CrossValidation { get; }

    /// <summary>A freshly initialised model for <paramref name="frontEnd"/> and <paramref name="spec"/>.</summary>
    /// <exception cref="ArgumentException">Invalid or mismatched settings and spec.</exception>
    public static EmotionModel Create(FrontEndSettings frontEnd, NetworkSpec spec, IReadOnlyList<string> labels, int seed)
    {
        ArgumentNullException.ThrowIfNull(frontEnd);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(labels);
        var problems = Mismatches(frontEnd, spec, labels);
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
        return new EmotionModel(frontEnd, NetworkFactory.Create(spec, seed), labels, seed);
    }

    /// <summary>The network spec that fits <paramref name="frontEnd"/>'s input shapes with the architecture's defaults.</summary>
    public static NetworkSpec SpecFor(Architecture architecture, FrontEndSettings frontEnd, int numClasses = 4)
    {
        ArgumentNullException.ThrowIfNull(frontEnd);
        return NetworkSpec.For(architecture, frontEnd.SpectrogramHeight, frontEnd.SpectrogramWidth, frontEnd.FeatureDim, numClasses);
    }

    /// <summary>The same network before training: rebuilt from the spec and <see cref="Seed"/> (for before/after maps).</summary>
    public EmotionNetwork CreateInitialNetwork() => NetworkFactory.Create(Spec, Seed);

    /// <summary>This model with other provenance, history or out-of-fold predictions (the network is shared, not copied).</summary>
    public EmotionModel With(ModelProvenance? provenance = null, IReadOnlyList<EpochRecord>? history = null,
        IReadOnlyList<OutOfFoldPrediction>? crossValidation = null) =>
        new(FrontEnd, Network, Labels, Seed, provenance ?? Provenance, history ?? History, crossValidation ?? CrossValidation);

    /// <summary>
    /// The history as curves for plots: one run for a single network, one per member for an ensemble whose members
    /// kept theirs (named "member 1", "member 2", ...), none when the history is unknown.
    /// </summary>
    public IReadOnlyList<TrainingCurves> ToCurves() =>
        History.GroupBy(h => h.Member).OrderBy(g => g.Key ?? 0).Select(g =>
        {
            var run = g.ToArray();
            bool validation = run.All(h => h.ValidationLoss is not null);
            return new TrainingCurves(
                run.Select(h => h.TrainLoss).ToArray(),
                validation ? run.Select(h => h.ValidationLoss!.Value).ToArray() : null,
                run.Select(h => h.TrainAccuracy).ToArray(),
                validation ? run.Select(h => h.ValidationTrackAccuracy ?? h.ValidationAccuracy ?? 0).ToArray() : null,
                g.Key is { } member ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"member {member}") : null);
        }).ToArray();

    /// <summary>Class probabilities, <c>batch.Count x Labels.Count</c>, segment-major (evaluation mode, thread-safe).</summary>
    /// <exception cref="ArgumentException">The batch does not fit the network.</exception>
    public float[] PredictProbabilities(SegmentBatch batch) => Predictor.PredictProbabilities(batch);

    /// <summary>Penultimate embeddings, one vector per segment.</summary>
    public float[][] Embed(SegmentBatch batch) => Predictor.Embed(batch);

    /// <summary>An analyzer that streams files through this model's front end.</summary>
    /// <param name="segmentsPerChunk">Segments per streamed chunk (memory bound).</param>
    public EmotionAnalyzer CreateAnalyzer(int segmentsPerChunk = 32) =>
        new(FrontEnd, Labels, PredictProbabilities, segmentsPerChunk);

    // One predictor (one lock) per model: a racy ??= could build two, whose separate locks would let two threads
    // run the same non-re-entrant network at once.
    private NetworkPredictor Predictor => LazyInitializer.EnsureInitialized(ref _predictor, ref _predictorLock, () => new NetworkPredictor(Network));

    /// <summary>Writes the model to <paramref name="path"/> (via a temporary file, so a crash never leaves half a model).</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        var metadata = new Dictionary<string, string>
        {
            [FormatKey] = FormatValue,
            [FrontEndKey] = FrontEnd.ToJson(),
            [NetworkKey] = Spec.ToJson(),
            [LabelsKey] = JsonSerializer.Serialize(Labels),
            [SeedKey] = Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [TrainingKey] = Provenance.ToJson(),
            [HistoryKey] = JsonSerializer.Serialize(History, s_json),
        };
        if (CrossValidation.Count > 0) metadata[CrossValidationKey] = JsonSerializer.Serialize(CrossValidation, s_json);
        // Unique per call, so two saves to one path (threads or processes) never share a temporary file.
        string temp = path + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Network.SaveSafeTensors(temp, metadata);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Reads a model written by <see cref="Save"/>, rebuilding its network and front end.</summary>
    /// <exception cref="ModelFileException">Missing file, not safetensors, not an Affetto emotion model, or weights that do not fit.</exception>
    public static EmotionModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new ModelFileException(path, Directory.Exists(path) ? "is a folder, not a model file" : "model file not found");
        Dictionary<string, Nn.Tensors.Tensor> tensors;
        Dictionary<string, string> meta;
        try
        {
            (tensors, meta) = SafeTensors.Load(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or EndOfStreamException)
        {
            throw new ModelFileException(path, $"not a readable safetensors model ({e.Message})", e);
        }

        if (!meta.TryGetValue(FormatKey, out string? format))
            throw new ModelFileException(path, $"a safetensors file but not an Affetto emotion model (no '{FormatKey}' metadata)");
        if (format != FormatValue)
            throw new ModelFileException(path, $"model format '{format}' is not supported (expected '{FormatValue}'); retrain or update Affetto");
        try
        {
            var frontEnd = FrontEndSettings.FromJson(Required(meta, FrontEndKey));
            var spec = NetworkSpec.FromJson(Required(meta, NetworkKey));
            var labels = JsonSerializer.Deserialize<string[]>(Required(meta, LabelsKey)) ?? throw new JsonException("labels are null");
            int seed = int.Parse(Required(meta, SeedKey), System.Globalization.CultureInfo.InvariantCulture);
            var provenance = meta.TryGetValue(TrainingKey, out string? t) ? ModelProvenance.FromJson(t) : null;
            var history = meta.TryGetValue(HistoryKey, out string? h) ? JsonSerializer.Deserialize<EpochRecord[]>(h, s_json) : null;
            if (history is not null && history.Any(r => r is null)) throw new FormatException("the history holds a null epoch.");
            var crossValidation = meta.TryGetValue(CrossValidationKey, out string? cv) ? JsonSerializer.Deserialize<OutOfFoldPrediction[]>(cv, s_json) : null;
            var problems = Mismatches(frontEnd, spec, labels);
            if (problems.Count > 0) throw new FormatException(string.Join(" ", problems));
            var network = NetworkFactory.Create(spec, seed);
            network.LoadStateDict(tensors, strict: true);
            return new EmotionModel(frontEnd, network, labels, seed, provenance, history, crossValidation);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or CheckpointMismatchException or KeyNotFoundException or OverflowException)
        {
            throw new ModelFileException(path, $"damaged model: {e.Message}", e);
        }
    }

    private static string Required(Dictionary<string, string> meta, string key) =>
        meta.TryGetValue(key, out string? v) ? v : throw new KeyNotFoundException($"metadata '{key}' is missing");

    private static List<string> Mismatches(FrontEndSettings f, NetworkSpec spec, IReadOnlyList<string> labels)
    {
        var p = new List<string>();
        for (int i = 0; i < labels.Count; i++)
            if (string.IsNullOrWhiteSpace(labels[i])) p.Add($"Label {i} is empty.");
        if (labels.Count != spec.NumClasses) p.Add($"{labels.Count} labels but the network has {spec.NumClasses} outputs.");
        if (labels.Distinct().Count() != labels.Count) p.Add("Labels repeat.");
        p.AddRange(InputMismatches(f, spec));
        return p;
    }

    private static IEnumerable<string> InputMismatches(FrontEndSettings f, NetworkSpec spec)
    {
        var p = new List<string>();
        if (spec.SeparateInputs || f.Views is not null)
        {
            // Member i reads view i.
            var members = spec.Members ?? [];
            if (!spec.SeparateInputs) p.Add("The front end has views but the network does not read separate inputs.");
            else if (f.Views is null) p.Add("The ensemble's members read separate inputs but the front end has no views.");
            else if (f.Views.Length != members.Count) p.Add($"The ensemble has {members.Count} members but the front end {f.Views.Length} views.");
            else
                for (int i = 0; i < members.Count; i++)
                    p.AddRange(InputMismatches(f.Views[i], members[i]).Select(m => $"Member {i}: {m}"));
            return p;
        }
        if (spec.UsesSpectrogram)
        {
            if (!f.UseSpectrogram) p.Add("The network needs spectrograms but the front end computes none.");
            else if (spec.InputHeight != f.SpectrogramHeight || spec.InputWidth != f.SpectrogramWidth)
                p.Add($"The network expects {spec.InputHeight}x{spec.InputWidth} spectrograms but the front end makes {f.SpectrogramHeight}x{f.SpectrogramWidth}.");
        }
        if (spec.UsesFeatures)
        {
            if (!f.UseSummaryFeatures) p.Add("The network needs summary features but the front end computes none.");
            else if (spec.FeatureDim != f.FeatureDim) p.Add($"The network expects {spec.FeatureDim} features but the front end makes {f.FeatureDim}.");
        }
        return p;
    }
}
