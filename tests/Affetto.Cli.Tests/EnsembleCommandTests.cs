using System.Text.Json;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.ModelFile;
using Xunit;

namespace Affetto.Cli.Tests;

public sealed class EnsembleCommandTests
{
    private static readonly string[] s_fast =
    [
        "--sr", "8000", "--segment", "0.5", "--hop", "0.25", "--n-fft", "256", "--hop-length", "128", "--n-mels", "16",
        "--epochs", "2", "--batch", "16", "--segments-per-track", "4", "--lr", "0.003", "--no-cache", "--folds", "2",
    ];

    private static string Dataset(TempDir dir) => TrainCommandTests.Dataset(dir, perLabel: 3);

    private static string Train(TempDir dir, string data, string name, params string[] extra) => Train(dir, data, name, s_fast, extra);

    private static string Train(TempDir dir, string data, string name, string[] options, params string[] extra)
    {
        string model = dir.File(name);
        var r = CliRunner.Run(["train", "--dataset", data, "--arch", "cnn4", "--out", model, .. options, .. extra]);
        Assert.True(r.ExitCode == 0, r.Err);
        return model;
    }

    [Fact]
    public void Members_on_the_same_folds_combine_into_a_model_that_analyze_runs()
    {
        using var dir = new TempDir();
        string data = Dataset(dir);
        string a = Train(dir, data, "a.safetensors", "--seed", "1");
        string b = Train(dir, data, "b.safetensors", "--seed", "2", "--split-seed", "1");
        string ensemble = dir.File("e.safetensors");

        var r = CliRunner.Run(["ensemble", a, b, "--out", ensemble]);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("a.safetensors (cnn4)  accuracy", r.Out);
        Assert.Contains("ensemble of 2", r.Out);
        Assert.Contains("a.safetensors and b.safetensors: same prediction on ", r.Out);
        Assert.Contains("saved " + ensemble, r.Out);
        var model = EmotionModel.Load(ensemble);
        Assert.IsType<EnsembleNetwork>(model.Network);
        Assert.Equal(12, model.CrossValidation.Count);
        Assert.Equal(2, model.Provenance.Folds);
        Assert.Contains("ensemble", model.Provenance.Command);
        Assert.Contains("train --dataset", model.Provenance.Notes!["member_2"]);

        var analysed = CliRunner.Run(["analyze", Path.Combine(data, "Q1", "t0.wav"), "--model", ensemble, "--format", "json"]);
        Assert.True(analysed.ExitCode == 0, analysed.Err);
        var p = JsonDocument.Parse(analysed.Out).RootElement[0].GetProperty("emotion").GetProperty("probabilities");
        Assert.Equal(1.0, p.EnumerateObject().Sum(q => q.Value.GetDouble()), 4);
    }

    [Fact]
    public void Members_on_other_spectrograms_each_read_their_own_and_other_segments_are_only_scored()
    {
        using var dir = new TempDir();
        string data = Dataset(dir);
        string a = Train(dir, data, "a.safetensors", "--seed", "1");
        string[] moreBands = [.. s_fast.Select((o, i) => i > 0 && s_fast[i - 1] == "--n-mels" ? "24" : o)];
        string c = Train(dir, data, "c.safetensors", moreBands, "--seed", "3", "--split-seed", "1");

        var scored = CliRunner.Run(["ensemble", a, c]);
        Assert.True(scored.ExitCode == 0, scored.Err);
        Assert.Contains("ensemble of 2", scored.Out);
        Assert.Contains("a.safetensors and c.safetensors: same prediction on ", scored.Out);
        Assert.Contains("not saved (no --out)", scored.Out);

        // Saved, the members keep their own front ends as views, and the ensemble's probabilities are their mean.
        string ensemble = dir.File("e.safetensors");
        var saved = CliRunner.Run(["ensemble", a, c, "--out", ensemble]);
        Assert.True(saved.ExitCode == 0, saved.Err);
        var model = EmotionModel.Load(ensemble);
        Assert.True(model.Spec.SeparateInputs);
        Assert.Equal([16, 24], model.FrontEnd.Views!.Select(v => v.SpectrogramHeight));
        string clip = Path.Combine(data, "Q2", "t1.wav");
        double[] Probabilities(string m)
        {
            var r = CliRunner.Run(["analyze", clip, "--model", m, "--format", "json"]);
            Assert.True(r.ExitCode == 0, r.Err);
            return [.. JsonDocument.Parse(r.Out).RootElement[0].GetProperty("emotion").GetProperty("probabilities").EnumerateObject().Select(q => q.Value.GetDouble())];
        }
        double[] pa = Probabilities(a), pc = Probabilities(c), pe = Probabilities(ensemble);
        for (int q = 0; q < 4; q++) Assert.Equal((pa[q] + pc[q]) / 2, pe[q], 5);
        string report = dir.File("report");
        var evaluated = CliRunner.Run(["evaluate", "--model", ensemble, "--dataset", data, "--report", report]);
        Assert.True(evaluated.ExitCode == 0, evaluated.Err);
        Assert.True(File.Exists(Path.Combine(report, "index.html")));
        Assert.Contains("member 1: logmel (dB) 16x", evaluated.Out);
        Assert.Contains("member 2: logmel (dB) 24x", evaluated.Out);

        // Other segments cannot run as one model: scored, not saved.
        string[] longer = [.. s_fast.Select((o, i) => i > 0 && s_fast[i - 1] == "--segment" ? "0.75" : o)];
        string d = Train(dir, data, "d.safetensors", longer, "--seed", "4", "--split-seed", "1");
        Assert.Equal(0, CliRunner.Run(["ensemble", a, d]).ExitCode);
        var refused = CliRunner.Run(["ensemble", a, d, "--out", dir.File("e2.safetensors")]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("d.safetensors: its segments", refused.Err);
        Assert.Contains("without --out the command scores their average", refused.Err);
        Assert.False(File.Exists(dir.File("e2.safetensors")));
    }

    [Fact]
    public void Members_that_do_not_fit_together_are_one_line_errors()
    {
        using var dir = new TempDir();
        string data = Dataset(dir);
        string a = Train(dir, data, "a.safetensors", "--seed", "1");
        string other = Train(dir, data, "other.safetensors", "--seed", "4");

        var folds = CliRunner.Run(["ensemble", a, other, "--out", dir.File("e.safetensors")]);
        Assert.Equal(2, folds.ExitCode);
        Assert.Contains("other.safetensors was cross-validated on other folds", folds.Err);
        Assert.Contains("--split-seed", folds.Err);

        var one = CliRunner.Run(["ensemble", a, "--out", dir.File("e.safetensors")]);
        Assert.Equal(2, one.ExitCode);
        Assert.Contains("at least two models", one.Err);

        var missing = CliRunner.Run(["ensemble", a, dir.File("nope.safetensors"), "--out", dir.File("e.safetensors")]);
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("nope.safetensors: model file not found", missing.Err);
        Assert.DoesNotContain("internal error", missing.Err);

        var overwrite = CliRunner.Run(["ensemble", a, other, "--out", a]);
        Assert.Equal(2, overwrite.ExitCode);
        Assert.Contains("would overwrite one of the members", overwrite.Err);
        Assert.False(File.Exists(dir.File("e.safetensors")));
    }
}
