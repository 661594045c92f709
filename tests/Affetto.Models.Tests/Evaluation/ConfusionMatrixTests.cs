using System.Text.Json;
using Affetto.Models.Evaluation;
using Affetto.Models.Tests.Support;

namespace Affetto.Models.Tests.Evaluation;

public class ConfusionMatrixTests
{
    private const double Tolerance = 1e-12;

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Fixture.Load("metrics_fixture.json").GetProperty("cases").EnumerateArray())
            data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static JsonElement Case(string name) =>
        Fixture.Load("metrics_fixture.json").GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Metrics_MatchScikitLearn(string name)
    {
        var c = Case(name);
        var labels = c.GetProperty("labels").Strings();
        var m = ConfusionMatrix.From(c.GetProperty("truth").Strings(), c.GetProperty("pred").Strings(), labels);
        Assert.Equal(c.GetProperty("accuracy").GetDouble(), m.Accuracy, Tolerance);
        var per = m.PerClass();
        var precision = c.GetProperty("precision").Doubles();
        var recall = c.GetProperty("recall").Doubles();
        var f1 = c.GetProperty("f1").Doubles();
        var support = c.GetProperty("support").Ints();
        for (int k = 0; k < labels.Length; k++)
        {
            Assert.Equal(labels[k], per[k].Label);
            Assert.Equal(precision[k], per[k].Precision, Tolerance);
            Assert.Equal(recall[k], per[k].Recall, Tolerance);
            Assert.Equal(f1[k], per[k].F1, Tolerance);
            Assert.Equal(support[k], per[k].Support);
        }
        Assert.Equal(c.GetProperty("weighted_precision").GetDouble(), m.Weighted.Precision, Tolerance);
        Assert.Equal(c.GetProperty("weighted_recall").GetDouble(), m.Weighted.Recall, Tolerance);
        Assert.Equal(c.GetProperty("weighted_f1").GetDouble(), m.Weighted.F1, Tolerance);
        Assert.Equal(c.GetProperty("macro_precision").GetDouble(), m.Macro.Precision, Tolerance);
        Assert.Equal(c.GetProperty("macro_recall").GetDouble(), m.Macro.Recall, Tolerance);
        Assert.Equal(c.GetProperty("macro_f1").GetDouble(), m.Macro.F1, Tolerance);
        var confusion = c.GetProperty("confusion").EnumerateArray().Select(r => r.Ints()).ToArray();
        Assert.Equal(confusion, m.ToArray());

        var report = m.ToReport();
        Assert.Equal(m.Accuracy, report.Accuracy);
        Assert.Equal(m.Weighted.F1, report.WeightedF1);
        Assert.Equal(m.Macro.F1, report.MacroF1);
    }

    [Fact]
    public void ZeroDivision_NeverPredictedAndNeverTrue_AreZeroAndFlagged()
    {
        var m = ConfusionMatrix.From(["Q1", "Q1", "Q2"], ["Q1", "Q3", "Q1"], ["Q1", "Q2", "Q3", "Q4"]);
        var q2 = m.ForClass(1);
        Assert.Equal((0.0, 0.0, 0.0), (q2.Precision, q2.Recall, q2.F1));
        Assert.True(q2.PrecisionUndefined);
        Assert.False(q2.RecallUndefined);
        var q3 = m.ForClass(2);
        Assert.True(q3.RecallUndefined);
        Assert.False(q3.PrecisionUndefined);
        var q4 = m.ForClass(3);
        Assert.True(q4.PrecisionUndefined && q4.RecallUndefined);
        Assert.True(m.Macro.ZeroDivision);
        Assert.True(m.Weighted.ZeroDivision);
        var perfect = ConfusionMatrix.From(["a", "b"], ["a", "b"]);
        Assert.False(perfect.Weighted.ZeroDivision);
        Assert.False(perfect.Macro.ZeroDivision);
    }

    [Fact]
    public void From_WithoutLabels_UsesSortedUnion()
    {
        var m = ConfusionMatrix.From(["b", "c"], ["a", "c"]);
        Assert.Equal(["a", "b", "c"], m.Labels);
        Assert.Equal(1, m[1, 0]);
        Assert.Equal(2, m.Total);
    }

    [Fact]
    public void FromIndices_MatchesFromLabels()
    {
        string[] labels = ["x", "y", "z"];
        var a = ConfusionMatrix.FromIndices([0, 1, 2, 2, 1], [0, 2, 2, 1, 1], labels);
        var b = ConfusionMatrix.From(["x", "y", "z", "z", "y"], ["x", "z", "z", "y", "y"], labels);
        Assert.Equal(b.ToArray(), a.ToArray());
    }

    [Fact]
    public void Add_LabelMissingFromMatrix_ThrowsNamingIt()
    {
        var m = new ConfusionMatrix(["Q1", "Q2"]);
        var e = Assert.Throws<ArgumentException>(() => m.Add("Q1", "Q5"));
        Assert.Contains("'Q5'", e.Message);
        Assert.Contains("Q1, Q2", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(-1, 0));
    }

    [Fact]
    public void BadConstruction_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix([]));
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => new ConfusionMatrix(["a", "a"])).Message);
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(["a", ""]));
        Assert.Contains("2 true labels but 1", Assert.Throws<ArgumentException>(() => ConfusionMatrix.From(["a", "b"], ["a"])).Message);
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromIndices([0], [0, 1], ["a", "b"]));
    }

    [Fact]
    public void Metrics_EmptyMatrix_ThrowInvalidOperation()
    {
        var m = new ConfusionMatrix(["a"]);
        Assert.Contains("empty", Assert.Throws<InvalidOperationException>(() => m.Accuracy).Message);
        Assert.Throws<InvalidOperationException>(() => m.ToReport());
    }

    [Fact]
    public void Report_Json_HasExactlyTheDocumentedFieldsAndRoundTrips()
    {
        var report = ConfusionMatrix.From(["Q1", "Q2", "Q2", "Q3"], ["Q1", "Q2", "Q1", "Q3"], ["Q1", "Q2", "Q3", "Q4"]).ToReport();
        var json = report.ToJson();
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(["accuracy", "weighted_precision", "weighted_recall", "weighted_f1", "macro_f1", "labels", "confusion"],
            doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.75, doc.RootElement.GetProperty("accuracy").GetDouble());
        Assert.Equal([1, 1, 0, 0], doc.RootElement.GetProperty("confusion")[1].Ints());
        var back = ClassificationReport.FromJson(json);
        Assert.Equal(report.Accuracy, back.Accuracy);
        Assert.Equal(report.WeightedPrecision, back.WeightedPrecision);
        Assert.Equal(report.MacroF1, back.MacroF1);
        Assert.Equal(report.Labels, back.Labels);
        Assert.Equal(report.Confusion.Select(r => r.ToArray()), back.Confusion.Select(r => r.ToArray()));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{\"accuracy\":1}")]
    [InlineData("{\"accuracy\":1,\"labels\":[\"a\",\"b\"],\"confusion\":[[1,0]]}")]
    [InlineData("{not json")]
    public void Report_FromBadJson_ThrowsJsonException(string json) =>
        Assert.ThrowsAny<JsonException>(() => ClassificationReport.FromJson(json));
}
