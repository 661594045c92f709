using System.Text.Json;
using Affetto.Audio.IO;
using Affetto.Models.Emotion.ModelFile;
using Xunit;

namespace Affetto.Cli.Tests;

public sealed class TrainCommandTests
{
    private const int Rate = 8000;

    // A small front end and fast training so a whole cross-validated run takes a few seconds.
    private static readonly string[] s_fast =
    [
        "--sr", "8000", "--segment", "0.5", "--hop", "0.25", "--n-fft", "256", "--hop-length", "128", "--n-mels", "16",
        "--epochs", "3", "--batch", "16", "--segments-per-track", "4", "--lr", "0.003", "--no-cache",
    ];

    /// <summary>Writes a one-folder-per-label dataset of 1.5 s tones with noise (one band per quadrant).</summary>
    internal static string Dataset(TempDir dir, int perLabel = 4)
    {
        string root = dir.File("data");
        double[] hz = [300, 700, 1300, 2200];
        for (int l = 0; l < 4; l++)
        {
            Directory.CreateDirectory(Path.Combine(root, $"Q{l + 1}"));
            for (int t = 0; t < perLabel; t++)
            {
                var y = Signals.Sine(hz[l] * (1 + 0.03 * t), 1.5, Rate, 0.4);
                var n = Signals.Noise(1.5, Rate, seed: 10 * l + t, amplitude: 0.02);
                for (int i = 0; i < y.Length; i++) y[i] += n[i];
                AudioFile.Save(Path.Combine(root, $"Q{l + 1}", $"t{t}.wav"), y, Rate);
            }
        }
        return root;
    }

    [Fact]
    public void Train_cross_validates_saves_a_model_with_its_provenance_and_resumes()
    {
        using var dir = new TempDir();
        string data = Dataset(dir);
        string model = dir.File("m.safetensors");
        var r = CliRunner.Run(["train", "--dataset", data, "--arch", "cnn4", "--folds", "2", "--out", model, .. s_fast]);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("fold 1/2  epoch   1/3", r.Out);
        Assert.Contains("cross-validation (2 folds, artist-disjoint): track accuracy", r.Out);
        Assert.Contains("saved " + model, r.Out);
        var loaded = EmotionModel.Load(model);
        Assert.Equal(["Q1", "Q2", "Q3", "Q4"], loaded.Labels);
        Assert.Equal(2, loaded.Provenance.Folds);
        Assert.NotNull(loaded.Provenance.CvAccuracyMean);
        Assert.Equal(loaded.Provenance.Epochs, loaded.History.Count);
        Assert.Equal(16, loaded.FrontEnd.SpectrogramHeight);
        Assert.NotNull(loaded.FrontEnd.SpectrogramMean);
        Assert.Contains("train --dataset", loaded.Provenance.Command);

        // Everything is checkpointed: a resumed run only reports the finished folds again.
        var again = CliRunner.Run(["train", "--dataset", data, "--arch", "cnn4", "--folds", "2", "--out", model, "--resume", .. s_fast]);
        Assert.True(again.ExitCode == 0, again.Err);
        Assert.DoesNotContain("fold 1/2  epoch", again.Out);
        Assert.Contains("fold 1: track accuracy", again.Out);

        // Evaluating on the training tracks works, with a warning that it is not a test (the model knows its tracks).
        var evaluated = CliRunner.Run(["evaluate", "--model", model, "--dataset", data]);
        Assert.True(evaluated.ExitCode == 0, evaluated.Err);
        Assert.Contains("16 of the 16 tracks are tracks the model was trained on, so their scores are not a test; its cross-validated track accuracy", evaluated.Err);
    }

    [Fact]
    public void Train_mlp_with_crop_is_refused_and_a_cropped_cnn_records_its_rows()
    {
        using var dir = new TempDir();
        string data = Dataset(dir, perLabel: 2);
        var refused = CliRunner.Run(["train", "--dataset", data, "--arch", "mlp", "--summary", "basic", "--crop", "0.1", "--folds", "0", "--out", dir.File("x.safetensors"), .. s_fast]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--crop needs a spectrogram network", refused.Err);

        string model = dir.File("crop.safetensors");
        var r = CliRunner.Run(["train", "--dataset", data, "--arch", "cnn4", "--feature", "stft", "--crop", "0.2", "--folds", "0", "--out", model, .. s_fast]);
        Assert.True(r.ExitCode == 0, r.Err);
        var loaded = EmotionModel.Load(model);
        Assert.NotNull(loaded.FrontEnd.KeptRows);
        Assert.True(loaded.FrontEnd.KeptRows!.Length < 129, $"{loaded.FrontEnd.KeptRows.Length} rows kept");
        Assert.Equal(0.2f, loaded.FrontEnd.CropThreshold);
    }

    [Theory]
    [InlineData(new[] { "--arch", "resnet" }, "--arch 'resnet' is not one of")]
    [InlineData(new[] { "--optimizer", "rmsprop" }, "--optimizer 'rmsprop'")]
    [InlineData(new[] { "--folds", "1" }, "--folds must be 0 (none) or at least 2")]
    [InlineData(new[] { "--epochs", "0" }, "--epochs must be a positive integer")]
    [InlineData(new[] { "--feature", "cqt" }, "--feature 'cqt'")]
    [InlineData(new[] { "--crop", "2" }, "--crop must be in [0, 1]")]
    [InlineData(new[] { "--crop-share", "1" }, "--crop-share must be below 1")]
    [InlineData(new[] { "--mixup", "20" }, "mixup alpha must be in [0, 10] (got 20)")]
    [InlineData(new[] { "--arch", "ensemble" }, "train its members, then combine them with `affetto ensemble")]
    public void Bad_options_are_one_line_with_exit_code_2(string[] extra, string message)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["train", "--dataset", dir.Path, "--out", dir.File("m.safetensors"), .. extra]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void Missing_dataset_and_missing_out_are_reported()
    {
        using var dir = new TempDir();
        var missing = CliRunner.Run(["train", "--dataset", dir.File("nope"), "--out", dir.File("m.safetensors")]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("dataset folder not found", missing.Err);
        var noOut = CliRunner.Run(["train", "--dataset", dir.Path]);
        Assert.Equal(2, noOut.ExitCode);
        Assert.Contains("--out MODEL is required", noOut.Err);
    }

    [Fact]
    public void An_undecodable_track_is_reported_and_the_others_train()
    {
        using var dir = new TempDir();
        string data = Dataset(dir, perLabel: 2);
        File.WriteAllText(Path.Combine(data, "Q1", "broken.wav"), "not audio");
        string model = dir.File("m.safetensors");
        var r = CliRunner.Run(["train", "--dataset", data, "--arch", "mlp", "--summary", "basic", "--folds", "0", "--out", model, .. s_fast]);
        Assert.True(r.ExitCode == 3, r.Out + r.Err);
        Assert.Contains("broken.wav", r.Err);
        Assert.True(File.Exists(model), r.Out + r.Err);
        Assert.Equal(8, EmotionModel.Load(model).Provenance.Tracks);
    }

    [Fact]
    public void Folds_to_run_trains_a_single_artist_disjoint_hold_out()
    {
        using var dir = new TempDir();
        string data = Dataset(dir, perLabel: 3);
        var r = CliRunner.Run(["train", "--dataset", data, "--arch", "mlp", "--summary", "basic", "--folds", "3", "--folds-to-run", "1", "--cv-only", .. s_fast]);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("fold 1: track accuracy", r.Out);
        Assert.DoesNotContain("fold 2: track accuracy", r.Out);
        Assert.Contains("hold-out (fold 1 of 3, artist-disjoint)", r.Out);
    }

    [Fact]
    public void Study_threshold_prints_the_papers_table_and_writes_json()
    {
        using var dir = new TempDir();
        string data = Dataset(dir, perLabel: 3);
        string json = dir.File("study.json");
        var r = CliRunner.Run(["study", "threshold", "--dataset", data, "--thresholds", "0,0.2", "--folds", "3", "--folds-to-run", "1", "--json", json, .. s_fast]);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("size [KiB (%)]", r.Out);
        Assert.Contains("(100%)", r.Out);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var rows = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Equal(129, rows[0].GetProperty("rows").GetInt32());
        Assert.True(rows[1].GetProperty("rows").GetInt32() < 129);
        Assert.True(rows[1].GetProperty("size_percent").GetDouble() < 100);
        Assert.Equal(1, rows[1].GetProperty("folds").GetInt32());
    }
}
