using System.Globalization;
using System.Net;
using System.Text;
using Affetto.Models.Evaluation;
using Affetto.Plotting;

namespace Affetto.Models.Emotion.Reports;

/// <summary>
/// Writes an evaluation report folder: <c>confusion.svg</c> and <c>confusion.png</c> (track level),
/// <c>confusion-segments.svg</c>, <c>loss.svg</c> and <c>accuracy.svg</c> (training history, when given), one SVG per
/// embedding map, and a self-contained <c>index.html</c> (inline CSS, escaped text, relative links) with the metrics,
/// the per-class table and the model's provenance.
/// </summary>
public static class HtmlReport
{
    /// <summary>Writes the report into <paramref name="directory"/> (created when missing).</summary>
    /// <param name="directory">Output folder.</param>
    /// <param name="title">Report title (e.g. the model file name).</param>
    /// <param name="evaluation">The evaluation.</param>
    /// <param name="curves">Training history: one run, one per ensemble member, or none.</param>
    /// <param name="maps">Embedding maps (PCA/t-SNE before and after training), possibly empty.</param>
    /// <param name="provenance">Key/value facts about the model (architecture, dataset, seed, CV scores...).</param>
    /// <returns>The files written, relative to <paramref name="directory"/>, index.html last.</returns>
    public static IReadOnlyList<string> Write(string directory, string title, EvaluationResult evaluation, IReadOnlyList<TrainingCurves> curves,
        IReadOnlyList<EmbeddingMap> maps, IReadOnlyList<KeyValuePair<string, string>> provenance)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(provenance);
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(title)).Append("</title>\n<style>\n")
            .Append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}\n")
            .Append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .7em;text-align:right}\n")
            .Append("th:first-child,td:first-child{text-align:left}img{max-width:100%;border:1px solid #eee;margin:.5em 0}\n")
            .Append(".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:1em}\n</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(E(title)).Append("</h1>\n");

        var r = evaluation.TrackReport;
        html.Append("<h2>Scores</h2>\n<table><tr><th>level</th><th>accuracy</th><th>weighted precision</th><th>weighted recall</th><th>weighted F1</th><th>macro F1</th><th>items</th></tr>\n");
        Row(html, "tracks", r, evaluation.Tracks.Count);
        Row(html, "segments", evaluation.SegmentReport, evaluation.Tracks.Sum(t => t.SegmentCount));
        html.Append("</table>\n");

        html.Append("<h2>Per class (tracks)</h2>\n<table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n");
        foreach (var c in evaluation.TrackClasses)
            html.Append("<tr><td>").Append(E(c.Label)).Append("</td><td>").Append(N(c.Precision)).Append("</td><td>").Append(N(c.Recall))
                .Append("</td><td>").Append(N(c.F1)).Append("</td><td>").Append(c.Support).Append("</td></tr>\n");
        html.Append("</table>\n");

        html.Append("<h2>Confusion matrices</h2>\n<div class=\"grid\">\n");
        var trackPlot = new ConfusionMatrixPlot(ToMatrix(r.Confusion), r.Labels) { Title = "Tracks (rows = truth)" };
        File.WriteAllText(Path.Combine(directory, "confusion.svg"), trackPlot.ToSvg());
        trackPlot.SavePng(Path.Combine(directory, "confusion.png"));
        files.Add("confusion.svg");
        files.Add("confusion.png");
        var segmentPlot = new ConfusionMatrixPlot(ToMatrix(evaluation.SegmentReport.Confusion), r.Labels) { Title = "Segments (rows = truth)" };
        File.WriteAllText(Path.Combine(directory, "confusion-segments.svg"), segmentPlot.ToSvg());
        files.Add("confusion-segments.svg");
        Img(html, "confusion.svg", "track confusion matrix");
        Img(html, "confusion-segments.svg", "segment confusion matrix");
        html.Append("</div>\n");

        if (curves.Any(c => c.TrainLoss.Count > 0))
        {
            html.Append("<h2>Training</h2>\n<div class=\"grid\">\n");
            Curve(directory, "loss.svg", "Loss per epoch", "loss", curves, c => c.TrainLoss, c => c.ValidationLoss);
            Curve(directory, "accuracy.svg", "Accuracy per epoch", "accuracy", curves, c => c.TrainAccuracy, c => c.ValidationAccuracy);
            files.Add("loss.svg");
            files.Add("accuracy.svg");
            Img(html, "loss.svg", "loss per epoch");
            Img(html, "accuracy.svg", "accuracy per epoch");
            html.Append("</div>\n");
        }

        if (maps.Count > 0)
        {
            html.Append("<h2>Embeddings</h2>\n<div class=\"grid\">\n");
            foreach (var map in maps)
            {
                string name = FileName(map.Title) + ".svg";
                var plot = new ScatterPlot { Title = map.Title, ClassNames = evaluation.Labels };
                plot.AddPoints(map.X, map.Y, map.Labels);
                File.WriteAllText(Path.Combine(directory, name), plot.ToSvg());
                files.Add(name);
                Img(html, name, map.Title);
            }
            html.Append("</div>\n");
        }

        if (provenance.Count > 0)
        {
            html.Append("<h2>Model</h2>\n<table>\n");
            foreach (var (key, value) in provenance)
                html.Append("<tr><td>").Append(E(key)).Append("</td><td style=\"text-align:left\">").Append(E(value)).Append("</td></tr>\n");
            html.Append("</table>\n");
        }

        if (evaluation.Failures.Count > 0)
        {
            html.Append("<h2>Files not evaluated</h2>\n<ul>\n");
            foreach (var (file, error) in evaluation.Failures)
                html.Append("<li>").Append(E(file)).Append(": ").Append(E(error)).Append("</li>\n");
            html.Append("</ul>\n");
        }
        html.Append("</body>\n</html>\n");
        File.WriteAllText(Path.Combine(directory, "index.html"), html.ToString());
        files.Add("index.html");
        return files;
    }

    // One chart for all runs: "train" and "validation", prefixed by the run's name when it has one (ensemble members).
    private static void Curve(string directory, string name, string title, string yLabel, IReadOnlyList<TrainingCurves> runs,
        Func<TrainingCurves, IReadOnlyList<double>> train, Func<TrainingCurves, IReadOnlyList<double>?> validation)
    {
        var chart = new LineChart { Title = title, XLabel = "epoch", YLabel = yLabel };
        foreach (var run in runs)
        {
            string prefix = run.Name is null ? "" : run.Name + " ";
            if (train(run).Count > 0)
                chart.AddSeries(prefix + "train", train(run).ToArray(), x0: 1);
            if (validation(run) is { Count: > 0 } v)
                chart.AddSeries(prefix + "validation", v.ToArray(), x0: 1);
        }
        File.WriteAllText(Path.Combine(directory, name), chart.ToSvg());
    }

    private static void Row(StringBuilder html, string level, ClassificationReport r, int items) =>
        html.Append("<tr><td>").Append(level).Append("</td><td>").Append(N(r.Accuracy)).Append("</td><td>").Append(N(r.WeightedPrecision))
            .Append("</td><td>").Append(N(r.WeightedRecall)).Append("</td><td>").Append(N(r.WeightedF1)).Append("</td><td>").Append(N(r.MacroF1))
            .Append("</td><td>").Append(items).Append("</td></tr>\n");

    private static void Img(StringBuilder html, string file, string alt) =>
        html.Append("<figure><img src=\"").Append(E(file)).Append("\" alt=\"").Append(E(alt)).Append("\"></figure>\n");

    private static int[,] ToMatrix(IReadOnlyList<IReadOnlyList<int>> rows)
    {
        var m = new int[rows.Count, rows.Count];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < rows.Count; j++)
                m[i, j] = rows[i][j];
        return m;
    }

    private static string FileName(string title)
    {
        var sb = new StringBuilder();
        foreach (char ch in title.ToLowerInvariant())
            sb.Append(char.IsAsciiLetterOrDigit(ch) ? ch : '-');
        return sb.ToString().Trim('-');
    }

    private static string N(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
