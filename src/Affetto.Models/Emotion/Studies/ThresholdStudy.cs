using Affetto.Models.Data;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Models.Emotion.Training;
using Affetto.Models.Evaluation;

namespace Affetto.Models.Emotion.Studies;

/// <summary>
/// Reproduces the seed paper's spectrogram-size study: for each energy-crop threshold the dataset's spectrograms are
/// cropped (<see cref="EnergyCropping"/>), the same network is trained and scored on the same artist-disjoint folds,
/// and the feature size, the training time and the track accuracy are reported relative to the uncropped run.
/// </summary>
public static class ThresholdStudy
{
    /// <summary>The paper's thresholds.</summary>
    public static IReadOnlyList<double> PaperThresholds { get; } = [0, 0.1, 0.15, 0.2];

    /// <summary>Runs the study.</summary>
    /// <param name="dataset">The tracks.</param>
    /// <param name="table">Their uncropped raw segments.</param>
    /// <param name="frontEnd">The uncropped front end.</param>
    /// <param name="architecture">The network trained at every threshold.</param>
    /// <param name="options">Training options.</param>
    /// <param name="thresholds">Thresholds in [0, 1]; the first should be 0 (the reference of the percentages).</param>
    /// <param name="folds">Number of folds of the split (at least 2).</param>
    /// <param name="foldsToRun">How many of them to train (null = all).</param>
    /// <param name="minShare">Share of the segments in which a row must reach the threshold to be kept (<see cref="DatasetEnergyCrop.Fit"/>).</param>
    /// <param name="configure">Adjusts each threshold's network spec (width, dropout), or null.</param>
    /// <param name="progress">Training progress.</param>
    /// <param name="onRow">Called as each row is finished.</param>
    /// <param name="cancellation">Stops between batches.</param>
    public static IReadOnlyList<ThresholdStudyRow> Run(TrackDataset dataset, SegmentTable table, FrontEndSettings frontEnd, Architecture architecture,
        TrainingOptions options, IReadOnlyList<double> thresholds, int folds, int? foldsToRun = null, double minShare = 0, Func<NetworkSpec, NetworkSpec>? configure = null,
        IProgress<TrainingProgress>? progress = null, Action<ThresholdStudyRow>? onRow = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        if (thresholds.Count == 0) throw new ArgumentException("No thresholds.", nameof(thresholds));
        foreach (double t in thresholds)
            if (!(t >= 0 && t <= 1)) throw new ArgumentException($"Threshold {t} is outside [0, 1].", nameof(thresholds));
        if (folds < 2) throw new ArgumentException("The study needs at least 2 folds.", nameof(folds));
        int originalSegments = Enumerable.Range(0, table.TrackIds.Count).Sum(t => table.SegmentsOf(t).Count);
        var rows = new List<ThresholdStudyRow>();
        foreach (double threshold in thresholds)
        {
            var (cropped, settings) = threshold > 0 ? EnergyCropping.Apply(table, frontEnd, (float)threshold, minShare) : (table, frontEnd);
            var spec = EmotionModel.SpecFor(architecture, settings, table.Labels.Count);
            if (configure is not null) spec = configure(spec);
            var result = TrainingJob.Run(dataset, cropped, settings, spec, options, folds, trainFinal: false, progress: progress,
                cancellation: cancellation, foldsToRun: foldsToRun);
            double kib = 4.0 * originalSegments * cropped.ImageSize / 1024;
            double seconds = result.Folds.Sum(f => f.Seconds);
            var reference = rows.Count > 0 ? rows[0] : null;
            var row = new ThresholdStudyRow(threshold, settings.SpectrogramHeight, settings.FullSpectrogramHeight, kib,
                reference is null ? 100 : 100 * kib / reference.Kibibytes, seconds, reference is null ? 100 : 100 * seconds / reference.Seconds,
                Summarize(result.Folds.Select(f => f.Report.Accuracy).ToArray()), Summarize(result.Folds.Select(f => f.Report.WeightedF1).ToArray()),
                result.Folds.Count);
            rows.Add(row);
            onRow?.Invoke(row);
        }
        return rows;
    }

    // A single fold has no spread: its std is reported as 0 with Count 1.
    private static MeanStd Summarize(double[] values) => values.Length >= 2 ? MeanStd.Of(values) : new MeanStd(values[0], 0, 1);
}
