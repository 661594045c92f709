using System.Text.Json;
using Affetto.Audio.IO;
using Affetto.Cli.Commands;
using Affetto.Cli.Commands.Evaluate;
using Affetto.Cli.Infrastructure;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.ModelFile;

namespace Affetto.Cli.Tests;

public class EvaluateCommandTests
{
    private const int Rate = 8000;
    private static readonly string[] s_quadrants = ["Q1", "Q2", "Q3", "Q4"];
    private static readonly string[] s_reportKeys = ["accuracy", "weighted_precision", "weighted_recall", "weighted_f1", "macro_f1", "labels", "confusion"];

    /// <summary>A folder-per-label dataset: Q1..Q4, <paramref name="perLabel"/> generated WAV tracks of 1 to 3 s each.</summary>
    private static string MakeDataset(TempDir dir, int perLabel = 2, string[]? labels = null)
    {
        string root = dir.File("data");
        labels ??= s_quadrants;
        for (int l = 0; l < labels.Length; l++)
        {
            Directory.CreateDirectory(Path.Combine(root, labels[l]));
            for (int k = 0; k < perLabel; k++)
            {
                double seconds = 1 + (l + k) % 3;
                var tone = Signals.Sine(150 * (l + 1) + 40 * k, seconds, Rate, 0.3 + 0.1 * l);
                var noise = Signals.Noise(seconds, Rate, seed: 10 * l + k, amplitude: 0.05 * (k + 1));
                for (int i = 0; i < tone.Length; i++) tone[i] += noise[i];
                AudioFile.Save(Path.Combine(root, labels[l], $"t{k}.wav"), tone, Rate);
            }
        }
        return root;
    }

    private static FrontEndSettings FrontEndFor(Architecture a) => a == Architecture.Mlp
        ? new FrontEndSettings { SampleRate = Rate, SegmentSeconds = 0.5, HopSeconds = 0.5, UseSpectrogram = false, UseSummaryFeatures = true, NFft = 256, HopLength = 128, NMels = 16 }
        : new FrontEndSettings { SampleRate = Rate, SegmentSeconds = 0.5, HopSeconds = 0.5, Feature = SpectrogramKind.LogMel, NMels = 16, NFft = 256, HopLength = 128 };

    /// <summary>A tiny untrained model saved in <paramref name="dir"/>, optionally with a few epochs of history.</summary>
    private static string MakeModel(TempDir dir, Architecture a = Architecture.Cnn4, bool history = false, string[]? labels = null)
    {
        var frontEnd = FrontEndFor(a);
        labels ??= s_quadrants;
        var model = EmotionModel.Create(frontEnd, EmotionModel.SpecFor(a, frontEnd, labels.Length), labels, seed: 3);
        if (history)
        {
            model = model.With(
                new ModelProvenance { Dataset = "synthetic", Epochs = 3, Optimizer = "adam" },
                [
                    new EpochRecord(1, 1.4, 0.30, 1.3, 0.35, 0.40, 1e-3, 0.5),
                    new EpochRecord(2, 1.1, 0.50, 1.2, 0.45, 0.50, 1e-3, 0.5),
                    new EpochRecord(3, 0.9, 0.65, 1.1, 0.50, 0.55, 5e-4, 0.5),
                ]);
        }
        string path = dir.File($"{ArchitectureNames.ToName(a)}.safetensors");
        model.Save(path);
        return path;
    }

    public static TheoryData<Architecture> Architectures() => new() { Architecture.Cnn4, Architecture.Mlp };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Json_HasExactKeys_ConfusionSumsToTracks_AccuracyIsTraceOverTotal(Architecture a)
    {
        using var dir = new TempDir();
        string data = MakeDataset(dir);
        var r = CliRunner.Run("evaluate", "--model", MakeModel(dir, a), "--dataset", data, "--format", "json", "--jobs", "2");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal([.. s_reportKeys, "tracks", "segments"], root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(s_reportKeys, root.GetProperty("segments").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(s_quadrants, root.GetProperty("labels").EnumerateArray().Select(e => e.GetString()!).ToArray());

        var tracks = root.GetProperty("tracks").EnumerateArray().ToArray();
        Assert.Equal(8, tracks.Length);
        var confusion = Matrix(root.GetProperty("confusion"));
        Assert.Equal(8, confusion.Sum(row => row.Sum()));
        int trace = Enumerable.Range(0, 4).Sum(i => confusion[i][i]);
        Assert.Equal(trace / 8.0, root.GetProperty("accuracy").GetDouble(), 12);
        // Rows are the truth: each label has two tracks.
        Assert.All(confusion, row => Assert.Equal(2, row.Sum()));
        // Each track row agrees with the matrix: prediction = argmax of its probabilities.
        foreach (var t in tracks)
        {
            var p = t.GetProperty("probabilities");
            string best = s_quadrants.OrderByDescending(q => p.GetProperty(q).GetDouble()).First();
            Assert.Equal(best, t.GetProperty("prediction").GetString());
            Assert.Equal(1.0, s_quadrants.Sum(q => p.GetProperty(q).GetDouble()), 5);
        }

        // Segments: tracks of 1, 2, 2, 3, 3, 1, 1, 2 s in 0.5 s segments without overlap.
        var segments = root.GetProperty("segments");
        int segmentTotal = Matrix(segments.GetProperty("confusion")).Sum(row => row.Sum());
        Assert.Equal(2 * 15, segmentTotal);
        var sc = Matrix(segments.GetProperty("confusion"));
        Assert.Equal(Enumerable.Range(0, 4).Sum(i => sc[i][i]) / (double)segmentTotal, segments.GetProperty("accuracy").GetDouble(), 12);
    }

    [Fact]
    public void Json_WeightedAveragesAndMacroF1_FollowTheConfusionMatrix()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("evaluate", "--model", MakeModel(dir), "--dataset", MakeDataset(dir, perLabel: 3), "--format", "json");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        var m = Matrix(root.GetProperty("confusion"));
        int n = m.Length, total = m.Sum(row => row.Sum());
        double wp = 0, wr = 0, wf = 0, macro = 0;
        for (int c = 0; c < n; c++)
        {
            int support = m[c].Sum(), predicted = Enumerable.Range(0, n).Sum(k => m[k][c]);
            double p = predicted == 0 ? 0 : m[c][c] / (double)predicted, rec = support == 0 ? 0 : m[c][c] / (double)support;
            double f = p + rec == 0 ? 0 : 2 * p * rec / (p + rec);
            wp += support * p; wr += support * rec; wf += support * f; macro += f / n;
        }
        Assert.Equal(wp / total, root.GetProperty("weighted_precision").GetDouble(), 12);
        Assert.Equal(wr / total, root.GetProperty("weighted_recall").GetDouble(), 12);
        Assert.Equal(wf / total, root.GetProperty("weighted_f1").GetDouble(), 12);
        Assert.Equal(macro, root.GetProperty("macro_f1").GetDouble(), 12);
    }

    [Fact]
    public void Table_ShowsTrackAndSegmentRows_PerClassTable_AndConfusion()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("evaluate", "-m", MakeModel(dir), "-d", MakeDataset(dir));
        Assert.True(r.ExitCode == ExitCodes.Success, r.Err);
        var lines = r.Out.Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Contains(lines, l => l.StartsWith("level") && l.Contains("accuracy") && l.Contains("weighted F1") && l.Contains("macro F1"));
        Assert.Contains(lines, l => l.StartsWith("tracks ") && l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] == "8");
        Assert.Contains(lines, l => l.StartsWith("segments ") && l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] == "30");
        Assert.Contains("Per class", r.Out);
        Assert.Contains("Confusion, tracks (rows = truth", r.Out);
        foreach (string q in s_quadrants)
            Assert.Contains(lines, l => l.StartsWith(q + " "));
        Assert.Equal("", r.Err);
    }

    [Fact]
    public void Report_WritesIndexConfusionCurvesAndBeforeAfterMaps()
    {
        using var dir = new TempDir();
        string report = dir.File("report");
        var r = CliRunner.Run("evaluate", "-m", MakeModel(dir, history: true), "-d", MakeDataset(dir), "--report", report, "--format", "json");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Err);
        using (JsonDocument.Parse(r.Out)) { } // stdout stays pure JSON; the report line goes to stderr
        Assert.Contains("index.html", r.Err);
        foreach (string f in new[] { "index.html", "confusion.svg", "confusion.png", "confusion-segments.svg", "loss.svg", "accuracy.svg",
                     "pca-before-training.svg", "pca-after-training.svg", "t-sne-before-training.svg", "t-sne-after-training.svg" })
        {
            Assert.True(File.Exists(Path.Combine(report, f)), f + " is missing");
            Assert.True(new FileInfo(Path.Combine(report, f)).Length > 100, f + " is nearly empty");
        }
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        foreach (string link in new[] { "confusion.svg", "loss.svg", "accuracy.svg", "pca-after-training.svg", "t-sne-before-training.svg" })
            Assert.Contains($"src=\"{link}\"", html);
        Assert.Contains("cnn4", html);           // architecture fact
        Assert.Contains("synthetic", html);      // provenance from the model file
        Assert.Contains("logmel (dB) 16x32", html);
        var png = File.ReadAllBytes(Path.Combine(report, "confusion.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    [Fact]
    public void Report_WithoutHistory_HasNoCurves_AndMapsUseTheSampleLimit()
    {
        using var dir = new TempDir();
        string report = dir.File("report");
        var r = CliRunner.Run("evaluate", "-m", MakeModel(dir, Architecture.Mlp), "-d", MakeDataset(dir), "--report", report, "--map-points", "12");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Err);
        Assert.False(File.Exists(Path.Combine(report, "loss.svg")));
        Assert.True(File.Exists(Path.Combine(report, "t-sne-after-training.svg")));
        // 8 tracks, 12 points: one segment per track.
        Assert.Contains("8 segments (at most 12", File.ReadAllText(Path.Combine(report, "index.html")));
        Assert.Contains("report: ", r.Out);
    }

    [Fact]
    public void CroppedModel_EvaluatesWithItsKeptRows_AndTheReportSaysSo()
    {
        using var dir = new TempDir();
        var frontEnd = FrontEndFor(Architecture.Cnn4) with { NMels = 24, CropThreshold = 0.1f, KeptRows = Enumerable.Range(4, 16).ToArray() };
        var model = EmotionModel.Create(frontEnd, EmotionModel.SpecFor(Architecture.Cnn4, frontEnd), s_quadrants, seed: 3);
        string path = dir.File("cropped.safetensors");
        model.Save(path);
        string report = dir.File("report");
        var r = CliRunner.Run("evaluate", "-m", path, "-d", MakeDataset(dir, perLabel: 1), "--report", report);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Err);
        Assert.Contains("logmel (dB) 16x32", r.Out);
        Assert.Contains("energy crop 0.1: 16 of 24 rows kept", File.ReadAllText(Path.Combine(report, "index.html")));
    }

    [Fact]
    public void FourQuadrantLayout_IsReadFromItsAnnotations_WarningsSummarisedUnlessVerbose()
    {
        using var dir = new TempDir();
        string data = MakeDataset(dir, perLabel: 1);
        // The annotations move t0 of Q4 to Q1: the 4Q reader follows them (and warns), the folder reader would not.
        File.WriteAllText(Path.Combine(data, "panda_dataset_taffc_annotations.csv"), "Song,Quadrant\nt0,Q1\n");
        foreach (string q in new[] { "Q1", "Q2", "Q3" }) Directory.Delete(Path.Combine(data, q), recursive: true);
        var r = CliRunner.Run("evaluate", "-m", MakeModel(dir), "-d", data, "-f", "json");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal("Q1", doc.RootElement.GetProperty("tracks")[0].GetProperty("truth").GetString());
        Assert.Equal(1, Matrix(doc.RootElement.GetProperty("confusion"))[0].Sum());
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("dataset warnings", r.Err);
        Assert.Contains("--verbose", r.Err);
        var verbose = CliRunner.Run("evaluate", "-m", MakeModel(dir), "-d", data, "-f", "json", "--verbose");
        Assert.True(verbose.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 2);
    }

    [Fact]
    public void UndecodableFile_IsReportedOnOneLineAndSkipped_TheRestEvaluated()
    {
        using var dir = new TempDir();
        string data = MakeDataset(dir);
        string bad = Path.Combine(data, "Q2", "broken.wav");
        File.WriteAllBytes(bad, Enumerable.Range(0, 300).Select(i => (byte)(i * 37)).ToArray());
        string report = dir.File("report");
        var r = CliRunner.Run("evaluate", "-m", MakeModel(dir), "-d", data, "-f", "json", "--report", report);
        Assert.Equal(ExitCodes.InputFailed, r.ExitCode);
        var errLines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(errLines, l => l.StartsWith("affetto: ") && l.Contains(bad));
        Assert.Contains("1 of 9 tracks failed", r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(8, doc.RootElement.GetProperty("tracks").GetArrayLength());
        Assert.Equal(8, Matrix(doc.RootElement.GetProperty("confusion")).Sum(row => row.Sum()));
        Assert.Contains("broken.wav", File.ReadAllText(Path.Combine(report, "index.html")));
    }

    [Fact]
    public void ModelWithNaNWeights_FailsEveryTrackWithAClearReason()
    {
        using var dir = new TempDir();
        var frontEnd = FrontEndFor(Architecture.Mlp);
        var model = EmotionModel.Create(frontEnd, EmotionModel.SpecFor(Architecture.Mlp, frontEnd), s_quadrants, seed: 3);
        model.Network.Parameters().First().AsSpan()[0] = float.NaN;
        string path = dir.File("nan.safetensors");
        model.Save(path);
        var r = CliRunner.Run("evaluate", "-m", path, "-d", MakeDataset(dir, perLabel: 1), "-f", "json");
        Assert.Equal(ExitCodes.InputFailed, r.ExitCode);
        Assert.Contains("non-finite probabilities", r.Err);
        Assert.Contains("none of the 4 tracks", r.Err);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void MissingDatasetFolder_IsAUserError_NamingIt()
    {
        using var dir = new TempDir();
        string missing = dir.File("nowhere");
        var r = CliRunner.Run("evaluate", "-m", MakeModel(dir), "-d", missing);
        Assert.Equal(ExitCodes.InvalidArguments, r.ExitCode);
        Assert.Contains(missing, r.Err);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void FolderThatIsNoDataset_SaysWhichLayoutsWereExpected()
    {
        using var dir = new TempDir();
        string empty = dir.File("empty");
        Directory.CreateDirectory(Path.Combine(empty, "notes"));
        File.WriteAllText(Path.Combine(empty, "notes", "readme.txt"), "no audio here");
        var r = CliRunner.Run("evaluate", "-m", MakeModel(dir), "-d", empty);
        Assert.Equal(ExitCodes.InputFailed, r.ExitCode);
        Assert.Contains(empty, r.Err);
        Assert.Contains("panda_dataset_taffc_annotations.csv", r.Err);
        Assert.Contains("folder-per-label", r.Err);
    }

    [Fact]
    public void MissingModel_IsAUserError_NamingTheFile()
    {
        using var dir = new TempDir();
        string missing = dir.File("absent.safetensors");
        var r = CliRunner.Run("evaluate", "--model", missing, "-d", MakeDataset(dir, perLabel: 1));
        Assert.Equal(ExitCodes.InvalidArguments, r.ExitCode);
        Assert.Contains(missing, r.Err);
        Assert.Contains("does not exist", r.Err);
    }

    [Fact]
    public void WithoutModelOption_UsesTheDefaultModel_OrSaysHowToGetOne()
    {
        using var dir = new TempDir();
        string data = MakeDataset(dir, perLabel: 1);
        string? found = Affetto.Models.Emotion.Inference.DefaultModel.Find();
        var r = CliRunner.Run("evaluate", "-d", data, "-f", "json");
        if (found is null || !File.Exists(found))
        {
            Assert.Equal(ExitCodes.InvalidArguments, r.ExitCode);
            if (found is null) Assert.Contains("no emotion model", r.Err);
            Assert.Contains("--model", r.Err);
        }
        else
        {
            Assert.True(r.ExitCode == ExitCodes.Success, r.Err);
            Assert.Equal(4, JsonDocument.Parse(r.Out).RootElement.GetProperty("tracks").GetArrayLength());
        }
    }

    public static TheoryData<string, string> DamagedModels() => new()
    {
        { "random", "not a readable safetensors model" },
        { "truncated", "not a readable safetensors model" },
        { "text", "not a readable safetensors model" },
    };

    [Theory]
    [MemberData(nameof(DamagedModels))]
    public void DamagedModel_IsReportedOnOneLine_NamingTheFile(string kind, string expected)
    {
        using var dir = new TempDir();
        string good = MakeModel(dir);
        string path = dir.File("damaged.safetensors");
        byte[] bytes = kind switch
        {
            "random" => Enumerable.Range(0, 4096).Select(i => (byte)(i * 131 + 7)).ToArray(),
            "truncated" => File.ReadAllBytes(good)[..(int)(new FileInfo(good).Length / 2)],
            _ => "this is not a model"u8.ToArray(),
        };
        File.WriteAllBytes(path, bytes);
        var r = CliRunner.Run("evaluate", "--model", path, "-d", MakeDataset(dir, perLabel: 1));
        Assert.Equal(ExitCodes.InputFailed, r.ExitCode);
        Assert.StartsWith("affetto: " + path + ": " + expected, r.Err);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void DatasetLabelsTheModelDoesNotPredict_AreAClearError()
    {
        using var dir = new TempDir();
        string data = MakeDataset(dir, perLabel: 1, labels: ["Q1", "Q2", "Q3", "Q4", "Q5"]);
        var r = CliRunner.Run("evaluate", "-m", MakeModel(dir), "-d", data);
        Assert.Equal(ExitCodes.InvalidArguments, r.ExitCode);
        Assert.Contains("Q5", r.Err);
        Assert.Contains("does not predict", r.Err);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void ModelWithOtherLabels_EvaluatesAFolderPerLabelDatasetOfThoseLabels()
    {
        using var dir = new TempDir();
        string[] genres = ["blues", "jazz", "rock"];
        var r = CliRunner.Run("evaluate", "-m", MakeModel(dir, labels: genres), "-d", MakeDataset(dir, labels: ["jazz", "rock"]), "-f", "json");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(genres, doc.RootElement.GetProperty("labels").EnumerateArray().Select(e => e.GetString()!).ToArray());
        var m = Matrix(doc.RootElement.GetProperty("confusion"));
        Assert.Equal(0, m[0].Sum());   // no blues tracks
        Assert.Equal(4, m.Sum(row => row.Sum()));
    }

    [Fact]
    public void CsvFormatAndTinyMapLimit_AreRejectedBeforeAnyWork()
    {
        var r = CliRunner.Run("evaluate", "-d", "x", "--format", "csv");
        Assert.Equal(ExitCodes.InvalidArguments, r.ExitCode);
        Assert.Contains("table or json", r.Err);
        r = CliRunner.Run("evaluate", "-d", "x", "--map-points", "2");
        Assert.Equal(ExitCodes.InvalidArguments, r.ExitCode);
        Assert.Contains("--map-points", r.Err);
        r = CliRunner.Run("evaluate", "--model", "m.safetensors");
        Assert.Equal(ExitCodes.InvalidArguments, r.ExitCode);
        Assert.Contains("--dataset", r.Err);
    }

    public static TheoryData<int, int, int> QuotaCases() => new()
    {
        { 8, 2000, 2000 },
        { 720, 2000, 1440 },
        { 3000, 2000, 2000 },
        { 2000, 2000, 2000 },
        { 5, 3, 3 },
    };

    [Theory]
    [MemberData(nameof(QuotaCases))]
    public void MapQuota_NeverExceedsTheLimit_AndSpreadsOverTracks(int tracks, int points, int expectedTotal)
    {
        var quotas = Enumerable.Range(0, tracks).Select(i => EvaluateCommand.Quota(i, tracks, points)).ToArray();
        Assert.Equal(expectedTotal, quotas.Sum());
        Assert.True(quotas.Max() - quotas.Min() <= 1);
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(3, 10)]
    [InlineData(29, 29)]
    [InlineData(1, 1)]
    public void EvenlySpaced_GivesDistinctIndicesInRange(int n, int count)
    {
        var set = TrackEvaluator.EvenlySpaced(n, count);
        Assert.Equal(Math.Min(n, count), set.Count);
        Assert.All(set, i => Assert.InRange(i, 0, n - 1));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void RealData_4Q_WithTheShippedModel_EvaluatesEveryTrack()
    {
        string? data = FindUp(Path.Combine("shared", "data", "4q"));
        string? model = FindUp(Path.Combine("models", "emotion.safetensors"));
        if (data is null || model is null || !File.Exists(model))
        {
            Console.WriteLine($"skipped: needs ../shared/data/4q ({data ?? "absent"}) and models/emotion.safetensors ({model ?? "absent"})");
            return;
        }
        using var dir = new TempDir();
        string report = dir.File("report");
        var r = CliRunner.Run("evaluate", "--model", model, "--dataset", data, "--format", "json", "--report", report, "--map-points", "800");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        int tracks = doc.RootElement.GetProperty("tracks").GetArrayLength();
        Assert.True(tracks >= 700, $"{tracks} tracks");
        Assert.InRange(doc.RootElement.GetProperty("accuracy").GetDouble(), 0.25, 1.0);
        Assert.True(File.Exists(Path.Combine(report, "index.html")));
        Assert.True(File.Exists(Path.Combine(report, "t-sne-after-training.svg")));
    }

    private static string? FindUp(string relative)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, relative);
            if (Directory.Exists(candidate) || File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static int[][] Matrix(JsonElement e) =>
        e.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
}
