using System.Text.Json;
using System.Text.Json.Serialization;

namespace Affetto.Models.Evaluation;

/// <summary>
/// The evaluation summary written to JSON, with exactly the fields accuracy, weighted_precision, weighted_recall,
/// weighted_f1, macro_f1, labels and confusion (rows = truth, columns = prediction, in <c>labels</c> order).
/// </summary>
/// <param name="Accuracy">Fraction of correct predictions.</param>
/// <param name="WeightedPrecision">Support-weighted mean precision.</param>
/// <param name="WeightedRecall">Support-weighted mean recall (equals accuracy).</param>
/// <param name="WeightedF1">Support-weighted mean F1.</param>
/// <param name="MacroF1">Unweighted mean F1 over labels.</param>
/// <param name="Labels">Label order of the matrix.</param>
/// <param name="Confusion">Counts, rows = truth, columns = prediction.</param>
public sealed record ClassificationReport(
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("weighted_precision")] double WeightedPrecision,
    [property: JsonPropertyName("weighted_recall")] double WeightedRecall,
    [property: JsonPropertyName("weighted_f1")] double WeightedF1,
    [property: JsonPropertyName("macro_f1")] double MacroF1,
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("confusion")] IReadOnlyList<IReadOnlyList<int>> Confusion)
{
    private static readonly JsonSerializerOptions s_options = new() { WriteIndented = true };

    /// <summary>Serialises the report as indented JSON.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, s_options);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The report.</returns>
    /// <exception cref="JsonException">Invalid JSON or a missing field.</exception>
    public static ClassificationReport FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var report = JsonSerializer.Deserialize<ClassificationReport>(json, s_options)
                     ?? throw new JsonException("the JSON is null, not a classification report");
        if (report.Labels is null || report.Confusion is null)
            throw new JsonException("the classification report lacks 'labels' or 'confusion'");
        if (report.Confusion.Count != report.Labels.Count || report.Confusion.Any(r => r is null || r.Count != report.Labels.Count))
            throw new JsonException($"the confusion matrix must be {report.Labels.Count} x {report.Labels.Count} to match 'labels'");
        return report;
    }
}
