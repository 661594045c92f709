using System.Globalization;
using Affetto.Cli.Infrastructure;
using Affetto.Models.Emotion.Inference;

namespace Affetto.Cli.Commands.Analyze;

/// <summary>The outcome of one file of <c>affetto analyze</c>: its result, or the reason it failed.</summary>
/// <param name="File">The file as given.</param>
/// <param name="Result">The analysis, or null when it failed.</param>
/// <param name="Error">Why it failed (without the file name), or null.</param>
internal sealed record AnalysisOutcome(string File, EmotionResult? Result, string? Error);

/// <summary>
/// Prints <c>affetto analyze</c> results as an aligned table (failed files are reported on stderr only), as the JSON of
/// <see cref="AnalysisJson"/>, or as CSV. CSV has one row per file
/// (<c>file,duration,quadrant,Q1,Q2,Q3,Q4,valence,arousal,error</c>); with the timeline it is long-form, one
/// <c>track</c> row per file followed by its <c>segment</c> rows
/// (<c>file,level,start,end,quadrant,Q1,Q2,Q3,Q4,valence,arousal,error</c>).
/// </summary>
internal static class AnalysisWriter
{
    /// <summary>Writes <paramref name="outcomes"/> in <paramref name="format"/>.</summary>
    public static void Write(TextWriter w, IReadOnlyList<AnalysisOutcome> outcomes, OutputFormat format, bool timeline)
    {
        switch (format)
        {
            case OutputFormat.Json:
                w.WriteLine(AnalysisJson.Serialize(outcomes.Select(o => AnalysisJson.Entry(o.File, o.Result, o.Error))));
                break;
            case OutputFormat.Csv:
                if (timeline) WriteTimelineCsv(w, outcomes);
                else WriteCsv(w, outcomes);
                break;
            default:
                WriteTable(w, outcomes, timeline);
                break;
        }
    }

    private static void WriteTable(TextWriter w, IReadOnlyList<AnalysisOutcome> outcomes, bool timeline)
    {
        var done = outcomes.Where(o => o.Result is not null).Select(o => o.Result!).ToList();
        TextOutput.WriteTable(w, ["file", "duration", "quadrant", "Q1", "Q2", "Q3", "Q4", "valence", "arousal"],
            done.Select(r => (IReadOnlyList<string>)
                [r.File, Clock(r.Duration), $"{r.Quadrant} {r.QuadrantName}", .. Probabilities(r.Probabilities, 3), Signed(r.Valence), Signed(r.Arousal)]));
        if (!timeline) return;
        foreach (var r in done)
        {
            w.WriteLine();
            w.WriteLine($"{r.File}: {r.Timeline!.Count} segments");
            TextOutput.WriteTable(w, ["start", "end", "quadrant", "Q1", "Q2", "Q3", "Q4", "valence", "arousal"],
                r.Timeline.Select(t => (IReadOnlyList<string>)
                    [Clock(t.Start), Clock(t.End), $"{t.Quadrant} {Quadrants.NameOf(t.Quadrant)}", .. Probabilities(t.Probabilities, 3),
                     Signed(t.Valence), Signed(t.Arousal)]));
        }
    }

    private static void WriteCsv(TextWriter w, IReadOnlyList<AnalysisOutcome> outcomes)
    {
        TextOutput.WriteCsvRow(w, ["file", "duration", "quadrant", .. Quadrants.Labels, "valence", "arousal", "error"]);
        foreach (var o in outcomes)
        {
            if (o.Result is { } r)
                TextOutput.WriteCsvRow(w, [o.File, Number(r.Duration), r.Quadrant, .. Probabilities(r.Probabilities, 6), Number(r.Valence), Number(r.Arousal), ""]);
            else
                TextOutput.WriteCsvRow(w, [o.File, "", "", "", "", "", "", "", "", o.Error ?? ""]);
        }
    }

    private static void WriteTimelineCsv(TextWriter w, IReadOnlyList<AnalysisOutcome> outcomes)
    {
        TextOutput.WriteCsvRow(w, ["file", "level", "start", "end", "quadrant", .. Quadrants.Labels, "valence", "arousal", "error"]);
        foreach (var o in outcomes)
        {
            if (o.Result is not { } r)
            {
                TextOutput.WriteCsvRow(w, [o.File, "track", "", "", "", "", "", "", "", "", "", o.Error ?? ""]);
                continue;
            }
            TextOutput.WriteCsvRow(w, [o.File, "track", Number(0), Number(r.Duration), r.Quadrant, .. Probabilities(r.Probabilities, 6),
                Number(r.Valence), Number(r.Arousal), ""]);
            foreach (var t in r.Timeline!)
                TextOutput.WriteCsvRow(w, [o.File, "segment", Number(t.Start), Number(t.End), t.Quadrant, .. Probabilities(t.Probabilities, 6),
                    Number(t.Valence), Number(t.Arousal), ""]);
        }
    }

    private static string[] Probabilities(IReadOnlyDictionary<string, double> p, int digits) =>
        Quadrants.Labels.Select(q => p[q].ToString("F" + digits, CultureInfo.InvariantCulture)).ToArray();

    private static string Number(double v) => TextOutput.Num(v, 6);

    private static string Signed(double v) => v.ToString("+0.000;-0.000;+0.000", CultureInfo.InvariantCulture);

    private static string Clock(double seconds)
    {
        var t = TimeSpan.FromSeconds(seconds);
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t:mm\\:ss\\.f}" : $"{(int)t.TotalMinutes}:{t:ss\\.f}";
    }
}
