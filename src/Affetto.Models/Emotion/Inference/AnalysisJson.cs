using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Affetto.Models.Emotion.Inference;

/// <summary>
/// The JSON shape of <c>affetto analyze --format json</c>: a list with one object per file,
/// <c>{"file", "duration", "emotion": {"quadrant", "probabilities": {"Q1".."Q4"}, "valence", "arousal", "timeline"}, "error"}</c>;
/// a failed file has <c>"emotion": null</c> and the reason in <c>"error"</c>; <c>timeline</c> is null unless asked for.
/// </summary>
public static class AnalysisJson
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The object for one file.</summary>
    /// <param name="file">The file as given.</param>
    /// <param name="result">The analysis, or null when it failed.</param>
    /// <param name="error">The reason of the failure, or null.</param>
    /// <returns>The JSON object.</returns>
    public static JsonObject Entry(string file, EmotionResult? result, string? error)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new JsonObject
        {
            ["file"] = file,
            ["duration"] = result is null ? null : JsonValue.Create(result.Duration),
            ["emotion"] = result is null ? null : Emotion(result),
            ["error"] = error,
        };
    }

    /// <summary>Serialises entries as an indented JSON list.</summary>
    /// <param name="entries">One object per file, from <see cref="Entry"/>.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(IEnumerable<JsonObject> entries) =>
        new JsonArray(entries.Select(JsonNode? (e) => e).ToArray()).ToJsonString(s_options);

    private static JsonObject Emotion(EmotionResult r) => new()
    {
        ["quadrant"] = r.Quadrant,
        ["probabilities"] = Probabilities(r.Probabilities),
        ["valence"] = r.Valence,
        ["arousal"] = r.Arousal,
        ["timeline"] = r.Timeline is null
            ? null
            : new JsonArray(r.Timeline.Select(JsonNode? (t) => new JsonObject
            {
                ["start"] = t.Start,
                ["end"] = t.End,
                ["quadrant"] = t.Quadrant,
                ["probabilities"] = Probabilities(t.Probabilities),
                ["valence"] = t.Valence,
                ["arousal"] = t.Arousal,
            }).ToArray()),
    };

    private static JsonObject Probabilities(IReadOnlyDictionary<string, double> p)
    {
        var o = new JsonObject();
        foreach (string q in Quadrants.Labels)
            o[q] = p[q];
        return o;
    }
}
