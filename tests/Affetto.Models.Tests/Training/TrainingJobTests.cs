using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Models.Emotion.Training;
using Affetto.Models.Tests.Support;
using Xunit;

namespace Affetto.Models.Tests.Training;

public sealed class TrainingJobTests
{
    [Fact]
    public void Cross_validation_scores_every_track_once_and_the_final_model_round_trips()
    {
        using var dir = new TempDir();
        var dataset = SyntheticEmotionData.Write(Path.Combine(dir.Path, "data"), perLabel: 4);
        var settings = SyntheticEmotionData.FrontEnd(spectrogram: false, features: true);
        var (table, _) = TrainingData.Load(dataset, settings, Path.Combine(dir.Path, "cache"));
        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, SegmentsPerTrack = 4, LearningRate = 1e-2, Seed = 2 };
        var folds = new List<FoldResult>();
        var result = TrainingJob.Run(dataset, table, settings, EmotionModel.SpecFor(Architecture.Mlp, settings), options, folds: 4, trainFinal: true,
            checkpointDirectory: Path.Combine(dir.Path, "ckpt"), onFold: folds.Add);

        Assert.Equal(4, result.Folds.Count);
        Assert.Equal(folds, result.Folds);
        Assert.Equal(dataset.Items.Count, result.Folds.Sum(f => f.TestTracks));
        Assert.Equal(dataset.Items.Count, result.Folds.Sum(f => f.Report.Confusion.Sum(r => r.Sum())));
        Assert.NotNull(result.Summary);
        Assert.Equal(result.Folds.Average(f => f.Report.Accuracy), result.Summary!.Accuracy.Mean, 12);
        Assert.NotNull(result.Model);
        Assert.Equal(Math.Max(1, (int)Math.Round(result.Folds.Average(f => f.BestEpoch))), result.FinalRun!.History.Count);

        // Every track is predicted once, by the fold that held it out; the predictions give the fold scores back.
        var oof = result.OutOfFold;
        Assert.Equal(dataset.Items.Select(i => i.Id).Order(), oof.Select(p => p.Track).Order());
        Assert.Equal(result.Folds.Select(f => f.Report.Accuracy), Affetto.Models.Emotion.Ensembles.EmotionEnsemble.FoldReports(oof, table.Labels).Select(r => r.Accuracy));
        Assert.All(oof, p => Assert.Equal(1f, p.Probabilities.Sum(), 4));
        Assert.Equal(oof, result.Model!.CrossValidation);

        string path = Path.Combine(dir.Path, "model.safetensors");
        result.Model!.Save(path);
        var loaded = EmotionModel.Load(path);
        Assert.True(loaded.FrontEnd.ContentEquals(result.Model.FrontEnd));
        Assert.Equal(result.FinalRun.History, loaded.History);
        Assert.Equal(oof.Select(p => (p.Track, p.Label, p.Fold)), loaded.CrossValidation.Select(p => (p.Track, p.Label, p.Fold)));
        Assert.Equal(oof.SelectMany(p => p.Probabilities), loaded.CrossValidation.SelectMany(p => p.Probabilities));

        // Resume: every fold is finished, so only the final model is (re)trained from its checkpoint. A fold file written
        // before predictions were kept is re-scored from its checkpoint, to the same predictions.
        string fold2 = Path.Combine(dir.Path, "ckpt", "fold-2.json");
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(fold2))!.AsObject();
        Assert.True(node.Remove("predictions"));
        File.WriteAllText(fold2, node.ToJsonString());
        var again = TrainingJob.Run(dataset, table, settings, EmotionModel.SpecFor(Architecture.Mlp, settings), options, folds: 4, trainFinal: false,
            checkpointDirectory: Path.Combine(dir.Path, "ckpt"), resume: true);
        Assert.Equal(result.Folds.Select(f => f.Report.Accuracy), again.Folds.Select(f => f.Report.Accuracy));
        Assert.Equal(oof.SelectMany(p => p.Probabilities), again.OutOfFold.SelectMany(p => p.Probabilities));
    }

    [Fact]
    public void A_split_seed_keeps_the_folds_while_the_seed_changes_the_networks()
    {
        using var dir = new TempDir();
        var dataset = SyntheticEmotionData.Write(Path.Combine(dir.Path, "data"), perLabel: 3);
        var settings = SyntheticEmotionData.FrontEnd(spectrogram: false, features: true);
        var (table, _) = TrainingData.Load(dataset, settings, null);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 16, SegmentsPerTrack = 2, Seed = 2 };
        var spec = EmotionModel.SpecFor(Architecture.Mlp, settings);
        IEnumerable<(string, int)> Folds(TrainingJobResult r) => r.OutOfFold.Select(p => (p.Track, p.Fold)).Order();

        var first = TrainingJob.Run(dataset, table, settings, spec, options, folds: 3, trainFinal: false);
        var member = TrainingJob.Run(dataset, table, settings, spec, options with { Seed = 7, SplitSeed = 2 }, folds: 3, trainFinal: false);
        var other = TrainingJob.Run(dataset, table, settings, spec, options with { Seed = 7 }, folds: 3, trainFinal: false);
        Assert.Equal(Folds(first), Folds(member));
        Assert.NotEqual(Folds(first), Folds(other));
        Assert.NotEqual(first.OutOfFold.SelectMany(p => p.Probabilities), member.OutOfFold.SelectMany(p => p.Probabilities));
    }

    [Fact]
    public void Resuming_checkpoints_of_another_split_is_refused()
    {
        using var dir = new TempDir();
        var dataset = SyntheticEmotionData.Write(Path.Combine(dir.Path, "data"), perLabel: 3);
        var settings = SyntheticEmotionData.FrontEnd(spectrogram: false, features: true);
        var (table, _) = TrainingData.Load(dataset, settings, Path.Combine(dir.Path, "cache"));
        var options = new TrainingOptions { Epochs = 1, BatchSize = 16, SegmentsPerTrack = 2, Seed = 2 };
        var spec = EmotionModel.SpecFor(Architecture.Mlp, settings);
        string checkpoints = Path.Combine(dir.Path, "ckpt");
        TrainingJob.Run(dataset, table, settings, spec, options, folds: 3, trainFinal: false, checkpointDirectory: checkpoints, foldsToRun: 1);

        // Another seed draws another split: its finished fold must not be mixed in.
        var error = Assert.Throws<InvalidDataException>(() => TrainingJob.Run(dataset, table, settings, spec, options with { Seed = 3 }, folds: 3,
            trainFinal: false, checkpointDirectory: checkpoints, resume: true, foldsToRun: 1));
        Assert.Contains(checkpoints, error.Message);
        Assert.Contains("another run", error.Message);
        // The same run resumes; a fresh (not resumed) run claims the folder.
        Assert.Single(TrainingJob.Run(dataset, table, settings, spec, options, folds: 3, trainFinal: false, checkpointDirectory: checkpoints, resume: true, foldsToRun: 1).Folds);
        TrainingJob.Run(dataset, table, settings, spec, options with { Seed = 3 }, folds: 3, trainFinal: false, checkpointDirectory: checkpoints, foldsToRun: 1);
    }

    [Fact]
    public void Cache_entries_are_reused_and_damaged_ones_recomputed()
    {
        using var dir = new TempDir();
        var dataset = SyntheticEmotionData.Write(Path.Combine(dir.Path, "data"), perLabel: 1);
        var settings = SyntheticEmotionData.FrontEnd(features: true);
        var cache = new SegmentCache(settings, Path.Combine(dir.Path, "cache"));
        string track = dataset.Items[0].Path;
        var (first, cached1) = cache.Get(track);
        var (second, cached2) = cache.Get(track);
        Assert.False(cached1);
        Assert.True(cached2);
        Assert.Equal(first.Spectrograms, second.Spectrograms);
        Assert.Equal(first.Features, second.Features);
        Assert.Equal(first.StartSeconds, second.StartSeconds);

        foreach (string f in Directory.GetFiles(cache.Folder!)) File.WriteAllBytes(f, [1, 2, 3]);
        var (third, cached3) = cache.Get(track);
        Assert.False(cached3);
        Assert.Equal(first.Spectrograms, third.Spectrograms);

        var augmented = cache.Get(track, variant: 1).Batch;
        Assert.NotEqual(first.Spectrograms, augmented.Spectrograms);
        Assert.Equal(augmented.Spectrograms, cache.Get(track, variant: 1).Batch.Spectrograms);

        var other = new SegmentCache(settings with { NMels = 20 }, Path.Combine(dir.Path, "cache"));
        Assert.NotEqual(cache.Folder, other.Folder);
    }

    [Fact]
    public void Statistics_are_the_mean_and_deviation_of_the_chosen_tracks_rows()
    {
        using var dir = new TempDir();
        var dataset = SyntheticEmotionData.Write(Path.Combine(dir.Path, "data"), perLabel: 1);
        var settings = SyntheticEmotionData.FrontEnd();
        var (table, _) = TrainingData.Load(dataset, settings, null, augmentedCopies: 1);
        int[] tracks = [0, 2];
        var s = table.WithStatistics(settings, tracks);
        var segments = tracks.SelectMany(t => table.SegmentsOf(t)).ToArray();
        Assert.DoesNotContain(segments, i => table.AugmentedSegmentsOf(0).Contains(i));
        for (int r = 0; r < table.Height; r += 5)
        {
            var values = segments.SelectMany(i => table.Images!.AsSpan(i * table.ImageSize + r * table.Width, table.Width).ToArray()).Select(v => (double)v).ToArray();
            double mean = values.Average();
            double std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
            Assert.Equal(mean, s.SpectrogramMean![r], 3);
            Assert.Equal(std, s.SpectrogramStd![r], 3);
        }
    }

    [Fact]
    public void Selecting_rows_keeps_exactly_those_rows_of_every_segment()
    {
        using var dir = new TempDir();
        var dataset = SyntheticEmotionData.Write(Path.Combine(dir.Path, "data"), perLabel: 1);
        var settings = SyntheticEmotionData.FrontEnd();
        var (table, _) = TrainingData.Load(dataset, settings, null, augmentedCopies: 1);
        int[] rows = [1, 4, 5, 15];
        var cropped = table.SelectRows(rows);
        Assert.Equal(table.Count, cropped.Count);
        Assert.Equal(rows.Length, cropped.Height);
        for (int i = 0; i < table.Count; i++)
            for (int r = 0; r < rows.Length; r++)
                Assert.Equal(table.Images.AsSpan((i * table.Height + rows[r]) * table.Width, table.Width).ToArray(),
                    cropped.Images.AsSpan((i * rows.Length + r) * table.Width, table.Width).ToArray());
        Assert.Equal(table.AugmentedSegmentsOf(2), cropped.AugmentedSegmentsOf(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => table.SelectRows([16]));
    }
}
