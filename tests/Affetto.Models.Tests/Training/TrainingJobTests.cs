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

        string path = Path.Combine(dir.Path, "model.safetensors");
        result.Model!.Save(path);
        var loaded = EmotionModel.Load(path);
        Assert.True(loaded.FrontEnd.ContentEquals(result.Model.FrontEnd));
        Assert.Equal(result.FinalRun.History, loaded.History);

        // Resume: every fold is finished, so only the final model is (re)trained from its checkpoint.
        var again = TrainingJob.Run(dataset, table, settings, EmotionModel.SpecFor(Architecture.Mlp, settings), options, folds: 4, trainFinal: false,
            checkpointDirectory: Path.Combine(dir.Path, "ckpt"), resume: true);
        Assert.Equal(result.Folds.Select(f => f.Report.Accuracy), again.Folds.Select(f => f.Report.Accuracy));
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
