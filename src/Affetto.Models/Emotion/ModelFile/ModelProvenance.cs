using System.Text.Json;
using System.Text.Json.Serialization;

namespace Affetto.Models.Emotion.ModelFile;

/// <summary>
/// Where and how a model was trained and how well it scored; stored in the model file as snake_case JSON
/// (<c>affetto.training</c>) and shown by <c>affetto evaluate --report</c>. Every field is optional.
/// </summary>
public sealed record ModelProvenance
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The dataset folder the model was trained on.</summary>
    public string? Dataset { get; init; }

    /// <summary>Tracks used to train the final model.</summary>
    public int? Tracks { get; init; }

    /// <summary>Training segments per epoch (after oversampling).</summary>
    public int? Segments { get; init; }

    /// <summary>Seed of initialisation, shuffling, augmentation and splits.</summary>
    public int? Seed { get; init; }

    /// <summary>Epochs trained (after early stopping).</summary>
    public int? Epochs { get; init; }

    /// <summary>Batch size.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Optimiser name (sgd, adam, adamw).</summary>
    public string? Optimizer { get; init; }

    /// <summary>Peak learning rate.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Wall-clock seconds spent training the final model (cross-validation excluded).</summary>
    public double? TrainingSeconds { get; init; }

    /// <summary>When training finished, ISO 8601 UTC.</summary>
    public string? TrainedAt { get; init; }

    /// <summary>The command line that trained the model.</summary>
    public string? Command { get; init; }

    /// <summary>Number of cross-validation folds (null when none were run).</summary>
    public int? Folds { get; init; }

    /// <summary>Cross-validated track accuracy, mean over folds.</summary>
    public double? CvAccuracyMean { get; init; }

    /// <summary>Cross-validated track accuracy, standard deviation over folds.</summary>
    public double? CvAccuracyStd { get; init; }

    /// <summary>Cross-validated track weighted F1, mean over folds.</summary>
    public double? CvWeightedF1Mean { get; init; }

    /// <summary>Cross-validated track weighted F1, standard deviation over folds.</summary>
    public double? CvWeightedF1Std { get; init; }

    /// <summary>Free-form extra facts (e.g. augmentation settings).</summary>
    public IReadOnlyDictionary<string, string>? Notes { get; init; }

    /// <summary>Serialises to one-line snake_case JSON (null fields left out).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Parses <see cref="ToJson"/>'s output.</summary>
    /// <exception cref="JsonException">Not JSON of this shape.</exception>
    public static ModelProvenance FromJson(string json) =>
        JsonSerializer.Deserialize<ModelProvenance>(json, s_json) ?? throw new JsonException("training provenance JSON is null");

    /// <summary>The facts as display pairs (snake_case keys, invariant numbers), for reports.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToPairs()
    {
        var pairs = new List<KeyValuePair<string, string>>();
        using var doc = JsonDocument.Parse(ToJson());
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Object)
                foreach (var n in p.Value.EnumerateObject()) pairs.Add(new(n.Name, n.Value.ToString()));
            else
                pairs.Add(new(p.Name, p.Value.ToString()));
        }
        return pairs;
    }
}
