using System.Xml.Linq;
using Affetto.Models.Emotion.Inference;
using Affetto.Models.Emotion.Reports;
using Affetto.Models.Tests.Support;

namespace Affetto.Models.Tests.EmotionInference;

public class HtmlReportTests
{
    private static EvaluationResult Evaluation()
    {
        string[] labels = ["Q1", "Q2", "Q3", "Q4"];
        var builder = new EvaluationBuilder(labels);
        var rng = new Random(2);
        for (int t = 0; t < 8; t++)
        {
            var p = new float[8];
            for (int i = 0; i < 8; i++) p[i] = (float)rng.NextDouble();
            builder.Add(new SegmentPredictions($"track<{t}>&.wav", 2, labels, p, [0, 1], 1), labels[t % 4]);
        }
        builder.AddFailure("bad<file>.wav", "not audio");
        return builder.Build();
    }

    [Fact]
    public void Write_AllParts_WritesValidSvgAndEscapedHtmlLinkingEveryPicture()
    {
        using var dir = new TempDir();
        var rng = new Random(1);
        var embeddings = Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, 6).Select(_ => (float)rng.NextDouble()).ToArray()).ToList();
        var labels = Enumerable.Range(0, 20).Select(i => i % 4).ToArray();
        var (pca, tsne) = EmbeddingMap.Project(embeddings, labels, "after training", seed: 0);
        var curves = new TrainingCurves([1.3, 1.1, 0.9], [1.35, 1.2, 1.1], [0.3, 0.45, 0.6], [0.28, 0.4, 0.5]);

        var files = HtmlReport.Write(dir.Path, "model <cnn4> & co", Evaluation(), [curves], [pca, tsne],
            [new("architecture", "cnn4"), new("note", "<script>alert(1)</script>")]);

        Assert.Equal("index.html", files[^1]);
        Assert.Contains("confusion.svg", files);
        Assert.Contains("loss.svg", files);
        Assert.Contains("pca-after-training.svg", files);
        Assert.Contains("t-sne-after-training.svg", files);
        foreach (var f in files.Where(f => f.EndsWith(".svg")))
            Assert.Equal("svg", XDocument.Load(System.IO.Path.Combine(dir.Path, f)).Root!.Name.LocalName);
        var png = File.ReadAllBytes(System.IO.Path.Combine(dir.Path, "confusion.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        string html = File.ReadAllText(System.IO.Path.Combine(dir.Path, "index.html"));
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("model &lt;cnn4&gt; &amp; co", html);
        Assert.Contains("bad&lt;file&gt;.wav", html);
        foreach (var f in files.Where(f => f.EndsWith(".svg")))
            Assert.Contains($"src=\"{f}\"", html);
    }

    [Fact]
    public void Write_EnsembleMembersCurves_DrawsEveryMembersSeriesInOneChart()
    {
        using var dir = new TempDir();
        TrainingCurves[] runs =
        [
            new([1.3, 1.1, 0.9], null, [0.3, 0.45, 0.6], null, "member 1"),
            new([1.2, 1.0], null, [0.35, 0.5], null, "member 2"),
        ];
        var files = HtmlReport.Write(dir.Path, "e", Evaluation(), runs, [], []);

        Assert.Contains("loss.svg", files);
        string loss = File.ReadAllText(System.IO.Path.Combine(dir.Path, "loss.svg"));
        Assert.Contains("member 1 train", loss);
        Assert.Contains("member 2 train", loss);
        Assert.DoesNotContain("validation", loss);
    }

    [Fact]
    public void Write_WithoutHistoryOrMaps_WritesConfusionAndIndexOnly()
    {
        using var dir = new TempDir();
        var files = HtmlReport.Write(dir.Path, "m", Evaluation(), [], [], []);
        Assert.Equal(["confusion.svg", "confusion.png", "confusion-segments.svg", "index.html"], files);
    }

    [Fact]
    public void Project_TooFewItems_Throws() =>
        Assert.Throws<ArgumentException>(() => EmbeddingMap.Project([new float[] { 1, 2 }, new float[] { 3, 4 }], [0, 1], "x", 0));
}
