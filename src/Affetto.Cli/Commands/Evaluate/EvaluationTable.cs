using Affetto.Cli.Infrastructure;
using Affetto.Models.Emotion.Reports;
using Affetto.Models.Evaluation;

namespace Affetto.Cli.Commands.Evaluate;

/// <summary>The human summary of <c>affetto evaluate</c>: scores, per-class table, confusion matrices.</summary>
internal static class EvaluationTable
{
    public static void Write(TextWriter w, EvaluationResult e)
    {
        int segments = e.Tracks.Sum(t => t.SegmentCount);
        TextOutput.WriteTable(w, ["level", "items", "accuracy", "weighted P", "weighted R", "weighted F1", "macro F1"],
        [
            Scores("tracks", e.Tracks.Count, e.TrackReport),
            Scores("segments", segments, e.SegmentReport),
        ]);
        w.WriteLine();
        w.WriteLine("Per class (tracks | segments):");
        TextOutput.WriteTable(w, ["label", "precision", "recall", "F1", "support", "|", "precision", "recall", "F1", "support"],
            e.TrackClasses.Zip(e.SegmentClasses, (t, s) => (IReadOnlyList<string>)
            [
                t.Label, F(t.Precision), F(t.Recall), F(t.F1), t.Support.ToString(), "|",
                F(s.Precision), F(s.Recall), F(s.F1), s.Support.ToString(),
            ]));
        w.WriteLine();
        Confusion(w, "Confusion, tracks (rows = truth, columns = prediction):", e.TrackReport);
        w.WriteLine();
        Confusion(w, "Confusion, segments (rows = truth, columns = prediction):", e.SegmentReport);
    }

    private static IReadOnlyList<string> Scores(string level, int items, ClassificationReport r) =>
        [level, items.ToString(), F(r.Accuracy), F(r.WeightedPrecision), F(r.WeightedRecall), F(r.WeightedF1), F(r.MacroF1)];

    private static void Confusion(TextWriter w, string title, ClassificationReport r)
    {
        w.WriteLine(title);
        TextOutput.WriteTable(w, ["truth \\ predicted", .. r.Labels, "total"],
            r.Labels.Select((label, i) => (IReadOnlyList<string>)
                [label, .. r.Confusion[i].Select(c => c.ToString()), r.Confusion[i].Sum().ToString()]));
    }

    private static string F(double v) => v.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);
}
