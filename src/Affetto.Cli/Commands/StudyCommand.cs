using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Affetto.Cli.Commands.Training;
using Affetto.Cli.Infrastructure;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.Studies;

namespace Affetto.Cli.Commands;

/// <summary><c>affetto study threshold --dataset DIR</c>: the seed paper's spectrogram-size study.</summary>
internal sealed class StudyCommand : Command
{
    public StudyCommand(Func<CancellationToken> token)
        : base("study", "Reproduce the seed papers' studies (threshold: spectrogram size vs training time vs accuracy)")
    {
        Subcommands.Add(new ThresholdCommand(token));
    }

    private sealed class ThresholdCommand : CommandBase
    {
        private readonly TrainingCliOptions _common = new(defaultArch: "cnn4", defaultFeature: "stft", defaultEpochs: 12);
        private readonly Option<string> _thresholds = new("--thresholds") { Description = "Comma-separated thresholds", DefaultValueFactory = _ => "0,0.1,0.15,0.2" };
        private readonly Option<string?> _json = new("--json") { Description = "Also write the table as JSON to this file" };

        public ThresholdCommand(Func<CancellationToken> token)
            : base("threshold", "Crop spectrograms by energy threshold (0, 0.1, 0.15, 0.2) and report size, training time and accuracy", token)
        {
            _common.AddTo(this);
            Options.Add(_thresholds);
            Options.Add(_json);
        }

        protected override int Execute(ParseResult parse, CliContext ctx)
        {
            var problems = new List<string>();
            var thresholds = new List<double>();
            foreach (string part in parse.GetValue(_thresholds)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double t) && t >= 0 && t <= 1) thresholds.Add(t);
                else problems.Add($"--thresholds: '{part}' is not a number in [0, 1]");
            }
            if (thresholds.Count == 0) problems.Add("--thresholds lists no threshold");
            var (architecture, frontEnd, options, folds) = _common.Build(parse, problems);
            if (folds < 2) throw new UserError("the study needs --folds 2 or more");
            if (!frontEnd.UseSpectrogram) throw new UserError("the study crops spectrograms: choose a spectrogram network (not mlp)");
            var dataset = _common.LoadDataset(parse, ctx);
            int? foldsToRun = parse.GetValue(_common.FoldsToRun);
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{dataset.Name}: {dataset.Items.Count} tracks; {ArchitectureNames.ToName(architecture)} on {TrainingCliOptions.Describe(frontEnd)}; {Math.Min(folds, foldsToRun ?? folds)} of {folds} artist-disjoint folds per threshold"));
            _common.Spec(parse, architecture, frontEnd, dataset.Labels.Count);
            var table = _common.LoadTable(parse, ctx, dataset, frontEnd, out int failed);

            var (progress, line) = TrainingCliOptions.EpochReporter(ctx);
            IReadOnlyList<ThresholdStudyRow> rows;
            using (line)
            {
                rows = ThresholdStudy.Run(dataset, table, frontEnd, architecture, options, thresholds, folds, foldsToRun, parse.GetValue(_common.CropShare),
                    spec => _common.Customize(parse, spec),
                    progress, row => ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"threshold {row.Threshold}: {row.Rows}/{row.FullRows} rows, accuracy {row.Accuracy.Mean:0.000}, {row.Seconds / 60:0.0} min")),
                    ctx.Cancellation);
            }

            TextOutput.WriteTable(ctx.Out, ["threshold", "rows", "size [KiB (%)]", "time [min (%)]", "accuracy", "weighted F1"],
                rows.Select(r => (IReadOnlyList<string>)
                [
                    r.Threshold.ToString(CultureInfo.InvariantCulture), $"{r.Rows}/{r.FullRows}",
                    string.Create(CultureInfo.InvariantCulture, $"{r.Kibibytes:0} ({r.SizePercent:0}%)"),
                    string.Create(CultureInfo.InvariantCulture, $"{r.Seconds / 60:0.0} ({r.TimePercent:0}%)"),
                    Score(r.Accuracy), Score(r.WeightedF1),
                ]));
            if (parse.GetValue(_json) is { } json)
            {
                File.WriteAllText(json, JsonSerializer.Serialize(rows.Select(r => new
                {
                    threshold = r.Threshold, rows = r.Rows, full_rows = r.FullRows, size_kib = r.Kibibytes, size_percent = r.SizePercent,
                    training_seconds = r.Seconds, time_percent = r.TimePercent, accuracy = r.Accuracy.Mean, accuracy_std = r.Accuracy.Std,
                    weighted_f1 = r.WeightedF1.Mean, weighted_f1_std = r.WeightedF1.Std, folds = r.Folds,
                }), new JsonSerializerOptions { WriteIndented = true }));
                ctx.Out.WriteLine($"wrote {json}");
            }
            return failed > 0 ? ExitCodes.InputFailed : ExitCodes.Success;
        }

        private static string Score(Affetto.Models.Evaluation.MeanStd m) =>
            m.Count >= 2 ? string.Create(CultureInfo.InvariantCulture, $"{m.Mean:0.000} ± {m.Std:0.000}") : string.Create(CultureInfo.InvariantCulture, $"{m.Mean:0.000}");
    }
}
