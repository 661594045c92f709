using System.CommandLine;
using System.Globalization;
using Affetto.Cli.Infrastructure;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.Ensembles;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Models.Evaluation;

namespace Affetto.Cli.Commands;

/// <summary>
/// <c>affetto ensemble MODEL MODEL... [--out FILE]</c>: prints each member's and the average's cross-validated scores,
/// computed from the members' out-of-fold predictions (so the ensemble's score is as honest as its members'), and with
/// <c>--out</c> combines the models into one that averages their probabilities. Scoring alone works for any models
/// cross-validated on the same folds; saving needs members that cut the same segments (each may read its own
/// spectrogram).
/// </summary>
internal sealed class EnsembleCommand : CommandBase
{
    private readonly Argument<string[]> _models = new("MODEL")
    {
        Description = "Trained models (.safetensors) cross-validated on the same folds (same dataset, --folds and --split-seed)",
        Arity = ArgumentArity.OneOrMore,
    };
    private readonly Option<string?> _out = new("--out", "-o") { Description = "Where to save the ensemble (.safetensors); without it the members' average is only scored" };

    public EnsembleCommand(Func<CancellationToken> token)
        : base("ensemble", "Score the average of trained models' predictions by cross-validation, and combine them into one model", token)
    {
        Arguments.Add(_models);
        Options.Add(_out);
    }

    protected override int Execute(ParseResult parse, CliContext ctx)
    {
        string[] paths = parse.GetValue(_models)!;
        string? outPath = parse.GetValue(_out);
        if (paths.Length < 2) throw new UserError($"an ensemble needs at least two models (got {paths.Length})");
        foreach (string path in paths)
            if (outPath is not null && Path.GetFullPath(path) == Path.GetFullPath(outPath))
                throw new UserError($"{outPath}: the output would overwrite one of the members; choose another --out");
        // ModelFileException (missing, damaged) propagates as one line naming the file.
        var members = paths.Select(EmotionModel.Load).ToArray();
        var names = paths.Select(Path.GetFileName).Select(n => n!).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() < names.Length) names = paths;

        var provenance = new ModelProvenance
        {
            Dataset = members.Select(m => m.Provenance.Dataset).Distinct().Count() == 1 ? members[0].Provenance.Dataset : null,
            Tracks = members[0].Provenance.Tracks,
            Segments = members[0].Provenance.Segments,
            TrainingSeconds = members.All(m => m.Provenance.TrainingSeconds is not null) ? Math.Round(members.Sum(m => m.Provenance.TrainingSeconds!.Value), 1) : null,
            TrainedAt = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            Command = "affetto " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ') ? $"\"{t.Value}\"" : t.Value)),
            Notes = members.Select((m, i) => new KeyValuePair<string, string>(
                string.Create(CultureInfo.InvariantCulture, $"member_{i + 1}"), $"{names[i]}: {m.Provenance.Command ?? ArchitectureNames.ToName(m.Spec.Architecture)}"))
                .ToDictionary(),
        };
        EnsembleResult? result = null;
        EnsembleScores scores;
        try
        {
            if (outPath is null)
            {
                scores = EmotionEnsemble.Score(members, names);
            }
            else
            {
                result = EmotionEnsemble.Combine(members, names, provenance);
                scores = result.Scores;
            }
        }
        catch (ArgumentException e)
        {
            // Mismatched segments only stop saving: the out-of-fold predictions are per track whatever made them.
            throw new UserError(outPath is null ? e.Message : $"{e.Message} (without --out the command scores their average all the same)");
        }

        ctx.Out.WriteLine("cross-validated track scores (mean ± std over folds, from the out-of-fold predictions):");
        var rows = new List<(string Name, CrossValidationSummary Summary)>();
        for (int i = 0; i < members.Length; i++) rows.Add(($"{names[i]} ({ArchitectureNames.ToName(members[i].Spec.Architecture)})", scores.Members[i]));
        rows.Add(($"ensemble of {members.Length}", scores.Summary));
        int width = rows.Max(r => r.Name.Length);
        foreach (var (name, s) in rows)
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name.PadRight(width)}  accuracy {s.Accuracy.Mean:0.000} ± {s.Accuracy.Std:0.000}  weighted F1 {s.WeightedF1.Mean:0.000} ± {s.WeightedF1.Std:0.000}  macro F1 {s.MacroF1.Mean:0.000} ± {s.MacroF1.Std:0.000}"));
        ctx.Out.WriteLine("ensemble per fold: " + string.Join(" ", scores.Folds.Select(f => f.Accuracy.ToString("0.000", CultureInfo.InvariantCulture))));
        // An ensemble gains only where its members err differently: show how alike they are.
        foreach (var pair in scores.Pairs)
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{names[pair.First]} and {names[pair.Second]}: same prediction on {pair.SamePrediction} of {pair.Tracks} tracks; wrong on {pair.FirstWrong} and {pair.SecondWrong}, both on {pair.BothWrong}"));
        if (result is null || outPath is null)
        {
            ctx.Out.WriteLine("not saved (no --out)");
            return ExitCodes.Success;
        }
        result.Model.Save(outPath);
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"saved {outPath} ({new FileInfo(outPath).Length / 1024.0:0} KiB, {result.Model.Network.ParameterCount():N0} parameters in {members.Length} members)"));
        return ExitCodes.Success;
    }
}
