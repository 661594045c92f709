using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Models.Emotion.Training;
using Affetto.Models.Tests.Support;
using Xunit;

namespace Affetto.Models.Tests.Training;

public sealed class TrainerTests
{
    private static readonly TrainingOptions s_fast = new()
    {
        Epochs = 4, BatchSize = 16, LearningRate = 3e-3, SegmentsPerTrack = 4, Patience = 0, ValidationFraction = 0, Seed = 5,
    };

    [Fact]
    public void Cnn4_learns_separable_tones()
    {
        using var dir = new TempDir();
        var (table, all, newModel) = SyntheticEmotionData.Prepared(dir.Path);
        var model = newModel();
        var trainer = new Trainer(table, s_fast with { Epochs = 6 });
        double before = trainer.Evaluate(model, all).Accuracy;
        var run = trainer.Fit(model, all, null);
        double after = trainer.Evaluate(run.Model, all).Accuracy;
        Assert.Equal(6, run.History.Count);
        Assert.True(after >= 0.9, $"track accuracy after training {after} (before {before})");
        Assert.True(run.History[^1].TrainLoss < run.History[0].TrainLoss);
    }

    [Fact]
    public void Resuming_from_a_checkpoint_gives_the_same_weights_as_an_uninterrupted_run()
    {
        using var dir = new TempDir();
        var dataset = SyntheticEmotionData.Write(Path.Combine(dir.Path, "data"), perLabel: 3);
        var settings = SyntheticEmotionData.FrontEnd();
        var (table, _) = TrainingData.Load(dataset, settings, null);
        var all = Enumerable.Range(0, dataset.Items.Count).ToArray();
        var spec = EmotionModel.SpecFor(Architecture.Cnn4, settings) with { Dropout = 0 };
        var stats = table.WithStatistics(settings, all);

        var straight = new Trainer(table, s_fast).Fit(EmotionModel.Create(stats, spec, table.Labels, 2), all, null);

        string checkpoint = Path.Combine(dir.Path, "run.ckpt");
        using (var cts = new CancellationTokenSource())
        {
            var progress = new StopAfter(2, cts);
            Assert.ThrowsAny<OperationCanceledException>(() =>
                new Trainer(table, s_fast).Fit(EmotionModel.Create(stats, spec, table.Labels, 2), all, null, checkpointPath: checkpoint, progress: progress, cancellation: cts.Token));
        }
        Assert.True(File.Exists(checkpoint));
        var resumed = new Trainer(table, s_fast).Fit(EmotionModel.Create(stats, spec, table.Labels, 2), all, null, checkpointPath: checkpoint, resume: true);

        Assert.Equal(straight.History.Count, resumed.History.Count);
        var a = straight.Model.Network.StateDict();
        var b = resumed.Model.Network.StateDict();
        foreach (var (key, value) in a)
        {
            var x = value.Contiguous().ToArray();
            var y = b[key].Contiguous().ToArray();
            for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(x[i] - y[i]) <= 1e-5f * (1 + Math.Abs(x[i])), $"{key}[{i}]: {x[i]} vs {y[i]}");
        }
    }

    [Fact]
    public void A_checkpoint_of_another_run_is_refused()
    {
        using var dir = new TempDir();
        var dataset = SyntheticEmotionData.Write(Path.Combine(dir.Path, "data"), perLabel: 2);
        var settings = SyntheticEmotionData.FrontEnd();
        var (table, _) = TrainingData.Load(dataset, settings, null);
        var all = Enumerable.Range(0, dataset.Items.Count).ToArray();
        var spec = EmotionModel.SpecFor(Architecture.Cnn4, settings);
        var stats = table.WithStatistics(settings, all);
        string checkpoint = Path.Combine(dir.Path, "run.ckpt");
        new Trainer(table, s_fast with { Epochs = 1 }).Fit(EmotionModel.Create(stats, spec, table.Labels, 2), all, null, checkpointPath: checkpoint);
        var e = Assert.Throws<InvalidDataException>(() =>
            new Trainer(table, s_fast with { Epochs = 2, LearningRate = 1e-2 }).Fit(EmotionModel.Create(stats, spec, table.Labels, 2), all, null, checkpointPath: checkpoint, resume: true));
        Assert.Contains("different run", e.Message);
    }

    [Fact]
    public void Early_stopping_keeps_the_best_validation_epoch()
    {
        using var dir = new TempDir();
        var dataset = SyntheticEmotionData.Write(dir.Path, perLabel: 4);
        var settings = SyntheticEmotionData.FrontEnd(spectrogram: false, features: true);
        var (table, _) = TrainingData.Load(dataset, settings, null);
        var train = Enumerable.Range(0, dataset.Items.Count).Where(i => i % 4 != 0).ToArray();
        var validation = Enumerable.Range(0, dataset.Items.Count).Where(i => i % 4 == 0).ToArray();
        var model = EmotionModel.Create(table.WithStatistics(settings, train), EmotionModel.SpecFor(Architecture.Mlp, settings), table.Labels, 1);
        var run = new Trainer(table, s_fast with { Epochs = 12, Patience = 2, Schedule = LrSchedule.Constant, LearningRate = 1e-2 }).Fit(model, train, validation);
        var best = run.History.MaxBy(h => h.ValidationTrackAccuracy!.Value - 1e-3 * h.ValidationLoss!.Value)!;
        Assert.Equal(best.Epoch, run.BestEpoch);
        if (run.StoppedEarly) Assert.Equal(run.BestEpoch + 2, run.History.Count);
        Assert.All(run.History, h => Assert.NotNull(h.ValidationLoss));
    }

    [Fact]
    public void Invalid_options_are_listed()
    {
        var table = new SegmentTable(["a", "b"], ["t"], [0], []);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(table, new TrainingOptions { Epochs = 0, LearningRate = -1, ValidationFraction = 0.7 }));
        Assert.Contains("epochs", e.Message);
        Assert.Contains("learning rate", e.Message);
        Assert.Contains("validation fraction", e.Message);
    }

    private sealed class StopAfter(int epochs, CancellationTokenSource cts) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Completed is { } e && e.Epoch >= epochs) cts.Cancel();
        }
    }
}
