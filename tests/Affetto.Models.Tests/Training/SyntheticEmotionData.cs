using Affetto.Audio.IO;
using Affetto.Models.Data;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Models.Emotion.Training;

namespace Affetto.Models.Tests.Training;

/// <summary>
/// A tiny dataset whose classes are audibly different (each label a tone band with noise), written as WAV files in
/// one folder per label, and a small front end that turns it into 16x32 log-mel images in milliseconds.
/// </summary>
internal static class SyntheticEmotionData
{
    public const int Rate = 8000;

    public static FrontEndSettings FrontEnd(bool spectrogram = true, bool features = false) => new()
    {
        SampleRate = Rate, SegmentSeconds = 0.5, HopSeconds = 0.25, Feature = SpectrogramKind.LogMel, NFft = 256, HopLength = 128,
        NMels = 16, UseSpectrogram = spectrogram, UseSummaryFeatures = features,
    };

    /// <summary>
    /// The dataset written under <paramref name="root"/>, its segment table, every track's index, and a fresh
    /// <paramref name="architecture"/> model whose front end holds the statistics of all tracks.
    /// </summary>
    public static (SegmentTable Table, int[] All, Func<EmotionModel> NewModel) Prepared(string root, Architecture architecture = Architecture.Cnn4, int seed = 1)
    {
        var dataset = Write(root);
        var settings = FrontEnd();
        var (table, failures) = TrainingData.Load(dataset, settings, cacheDirectory: null, jobs: 2);
        if (failures.Count > 0) throw new InvalidOperationException($"{failures.Count} synthetic tracks failed to load");
        var all = Enumerable.Range(0, dataset.Items.Count).ToArray();
        var stats = table.WithStatistics(settings, all);
        return (table, all, () => EmotionModel.Create(stats, EmotionModel.SpecFor(architecture, settings), table.Labels, seed));
    }

    /// <summary>Writes <paramref name="perLabel"/> tracks of 1.5 s for each of Q1..Q4 under <paramref name="root"/>.</summary>
    public static TrackDataset Write(string root, int perLabel = 6, int seed = 3)
    {
        var random = new Random(seed);
        string[] labels = ["Q1", "Q2", "Q3", "Q4"];
        double[] baseHz = [300, 700, 1300, 2200];
        for (int l = 0; l < labels.Length; l++)
        {
            Directory.CreateDirectory(Path.Combine(root, labels[l]));
            for (int t = 0; t < perLabel; t++)
            {
                var y = new float[(int)(1.5 * Rate)];
                double f = baseHz[l] * (1 + 0.1 * random.NextDouble());
                for (int i = 0; i < y.Length; i++)
                    y[i] = (float)(0.4 * Math.Sin(2 * Math.PI * f * i / Rate) + 0.05 * (random.NextDouble() - 0.5));
                AudioFile.Save(Path.Combine(root, labels[l], $"{labels[l]}_{t}.wav"), y, Rate);
            }
        }
        return FolderPerLabelDataset.Load(root);
    }
}
