using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Affetto.Models.Evaluation;

namespace Affetto.Models.Emotion.Reports;

/// <summary>
/// The JSON shape of <c>affetto evaluate --format json</c>: the track-level report's keys (<c>accuracy</c>,
/// <c>weighted_precision</c>, <c>weighted_recall</c>, <c>weighted_f1</c>, <c>macro_f1</c>, <c>labels</c>,
/// <c>confusion</c>), then <c>tracks</c> (file, truth, prediction, probabilities) and <c>segments</c> (the
/// segment-level report with the same keys).
/// </summary>
public static class EvaluationJson
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Serialises <paramref name="evaluation"/>.</summary>
    /// <param name="evaluation">The evaluation.</param>
    /// <returns>Indented JSON text.</returns>
    public static string Serialize(EvaluationResult evaluation) => Build(evaluation).ToJsonString(s_options);

    /// <summary>The JSON object of <paramref name="evaluation"/>.</summary>
    /// <param name="evaluation">The evaluation.</param>
    /// <returns>The object.</returns>
    public static JsonObject Build(EvaluationResult evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var o = Report(evaluation.TrackReport);
        o["tracks"] = new JsonArray(evaluation.Tracks.Select(JsonNode? (t) =>
        {
            var p = new JsonObject();
            foreach (string label in evaluation.Labels)
                p[label] = t.Probabilities[label];
            return new JsonObject { ["file"] = t.File, ["truth"] = t.Truth, ["prediction"] = t.Prediction, ["probabilities"] = p };
        }).ToArray());
        o["segments"] = Report(evaluation.SegmentReport);
        return o;
    }

    private static JsonObject Report(ClassificationReport r) => new()
    {
        ["accuracy"] = r.Accuracy,
        ["weighted_precision"] = r.WeightedPrecision,
        ["weighted_recall"] = r.WeightedRecall,
        ["weighted_f1"] = r.WeightedF1,
        ["macro_f1"] = r.MacroF1,
        ["labels"] = new JsonArray(r.Labels.Select(JsonNode? (l) => l).ToArray()),
        ["confusion"] = new JsonArray(r.Confusion.Select(JsonNode? (row) => new JsonArray(row.Select(JsonNode? (c) => c).ToArray())).ToArray()),
    };
}
