using System.Text.Json;
using Affetto.Models.Emotion.Inference;

namespace Affetto.Models.Tests.EmotionInference;

public class AnalysisJsonTests
{
    private static readonly Dictionary<string, double> s_p = new() { ["Q1"] = 0.1, ["Q2"] = 0.2, ["Q3"] = 0.6, ["Q4"] = 0.1 };

    [Fact]
    public void Serialize_SuccessAndFailure_HaveExactlyTheSpecifiedShape()
    {
        var ok = new EmotionResult("a.wav", 3.5, "Q3", s_p, -0.6, -0.4, null);
        var timed = ok with { Timeline = [new TimelineEntry(0, 2, "Q3", s_p, -0.6, -0.4)] };
        string json = AnalysisJson.Serialize([AnalysisJson.Entry("a.wav", ok, null), AnalysisJson.Entry("b.wav", null, "not audio"),
            AnalysisJson.Entry("c.wav", timed, null)]);
        using var doc = JsonDocument.Parse(json);
        var items = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(3, items.Length);
        Assert.Equal(["file", "duration", "emotion", "error"], items[0].EnumerateObject().Select(p => p.Name));
        var emotion = items[0].GetProperty("emotion");
        Assert.Equal(["quadrant", "probabilities", "valence", "arousal", "timeline"], emotion.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["Q1", "Q2", "Q3", "Q4"], emotion.GetProperty("probabilities").EnumerateObject().Select(p => p.Name));
        Assert.Equal("Q3", emotion.GetProperty("quadrant").GetString());
        Assert.Equal(JsonValueKind.Null, emotion.GetProperty("timeline").ValueKind);
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("emotion").ValueKind);
        Assert.Equal("not audio", items[1].GetProperty("error").GetString());
        var entry = items[2].GetProperty("emotion").GetProperty("timeline")[0];
        Assert.Equal(["start", "end", "quadrant", "probabilities", "valence", "arousal"], entry.EnumerateObject().Select(p => p.Name));
    }
}

public class EvaluationJsonTests
{
    [Fact]
    public void Serialize_HasExactlyTheSpecifiedKeysAndEqualsTheReports()
    {
        string[] labels = ["Q1", "Q2", "Q3", "Q4"];
        var b = new Affetto.Models.Emotion.Reports.EvaluationBuilder(labels);
        b.Add(new SegmentPredictions("a", 2, labels, [0.7f, 0.1f, 0.1f, 0.1f, 0.1f, 0.6f, 0.2f, 0.1f], [0, 1], 1), "Q1");
        b.Add(new SegmentPredictions("b", 1, labels, [0.1f, 0.1f, 0.1f, 0.7f], [0], 1), "Q3");
        var result = b.Build();
        using var doc = JsonDocument.Parse(Affetto.Models.Emotion.Reports.EvaluationJson.Serialize(result));
        var root = doc.RootElement;
        Assert.Equal(["accuracy", "weighted_precision", "weighted_recall", "weighted_f1", "macro_f1", "labels", "confusion", "tracks", "segments"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(result.TrackReport.Accuracy, root.GetProperty("accuracy").GetDouble());
        Assert.Equal(0.5, root.GetProperty("accuracy").GetDouble());
        Assert.Equal(1, root.GetProperty("confusion")[2][3].GetInt32());
        Assert.Equal(["file", "truth", "prediction", "probabilities"], root.GetProperty("tracks")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(result.SegmentReport.MacroF1, root.GetProperty("segments").GetProperty("macro_f1").GetDouble());
        Assert.Equal(1.0 / 3, root.GetProperty("segments").GetProperty("accuracy").GetDouble(), 12);
    }
}
