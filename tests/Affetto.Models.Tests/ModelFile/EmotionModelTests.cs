using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Models.Tests.Support;
using Affetto.Nn.Serialization;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Tests.ModelFile;

public class EmotionModelTests
{
    private const int Rate = 8000;
    private static readonly string[] s_labels = ["Q1", "Q2", "Q3", "Q4"];

    public static TheoryData<Architecture> AllArchitectures()
    {
        var data = new TheoryData<Architecture>();
        foreach (var a in Enum.GetValues<Architecture>()) data.Add(a);
        return data;
    }

    /// <summary>Tiny settings for <paramref name="a"/>: a 16x32 log-mel and/or the 26 summary features, with statistics.</summary>
    private static FrontEndSettings FrontEnd(Architecture a)
    {
        var spec = NetworkSpec.For(a, 1, 1);
        // The ensemble here is a cnn4 and an mlp, so it reads both inputs.
        bool image = spec.UsesSpectrogram || a == Architecture.Ensemble, features = spec.UsesFeatures || a == Architecture.Ensemble;
        var rng = new Random(5);
        float[] Values(int n, bool positive) => Enumerable.Range(0, n).Select(_ => positive ? 0.5f + (float)rng.NextDouble() : (float)rng.NextDouble() * 10 - 5).ToArray();
        return new FrontEndSettings
        {
            SampleRate = Rate,
            SegmentSeconds = 0.5,
            HopSeconds = 0.25,
            UseSpectrogram = image,
            Feature = SpectrogramKind.LogMel,
            NFft = 256,
            HopLength = 128,
            NMels = 16,
            UseSummaryFeatures = features,
            SpectrogramMean = image ? Values(16, false) : null,
            SpectrogramStd = image ? Values(16, true) : null,
            FeatureMean = features ? Values(26, false) : null,
            FeatureStd = features ? Values(26, true) : null,
        };
    }

    private static EmotionModel Tiny(Architecture a, int seed = 11)
    {
        var frontEnd = FrontEnd(a);
        var spec = a == Architecture.Ensemble
            ? NetworkSpec.Ensemble([EmotionModel.SpecFor(Architecture.Cnn4, frontEnd) with { Width = 0.125 }, EmotionModel.SpecFor(Architecture.Mlp, frontEnd)], [seed, seed + 1])
            : EmotionModel.SpecFor(a, frontEnd);
        if (a is Architecture.Vgg16 or Architecture.EfficientNetV2Narrow or Architecture.Cnn4 or Architecture.Multimodal)
            spec = spec with { Width = 0.125 };
        return EmotionModel.Create(frontEnd, spec, s_labels, seed);
    }

    private static EmotionModel WithFacts(EmotionModel model) => model.With(
        new ModelProvenance
        {
            Dataset = "../shared/data/4q", Tracks = 720, Segments = 20000, Seed = 11, Epochs = 2, BatchSize = 32, Optimizer = "adamw",
            LearningRate = 1e-3, TrainingSeconds = 12.5, TrainedAt = "2026-11-21T20:00:00Z", Command = "affetto train --dataset x",
            Folds = 5, CvAccuracyMean = 0.61, CvAccuracyStd = 0.03, CvWeightedF1Mean = 0.6, CvWeightedF1Std = 0.04,
            Notes = new Dictionary<string, string> { ["augment"] = "gain,noise" },
        },
        [
            new EpochRecord(1, 1.3862943611198906, 0.25, 1.2, 0.3, 0.35, 1e-3, 3.25),
            new EpochRecord(2, 1.1, 0.4, null, null, null, 5e-4, 2.5),
        ],
        [new OutOfFoldPrediction("Q1/a.mp3", "Q1", 1, [0.5f, 0.25f, 0.125f, 0.125f]), new OutOfFoldPrediction("Q3/b.mp3", "Q3", 2, [0.1f, 0.2f, 0.3f, 0.4f])]);

    private static SegmentBatch Batch(FrontEndSettings settings, int seed = 2)
    {
        var rng = new Random(seed);
        var y = new float[(int)(1.6 * Rate)];
        for (int i = 0; i < y.Length; i++)
            y[i] = (float)(0.4 * Math.Sin(2 * Math.PI * 220 * i / Rate) + 0.1 * (rng.NextDouble() * 2 - 1));
        return new EmotionFrontEnd(settings).Compute(y);
    }

    private static void AssertSameWeights(Nn.Modules.Module expected, Nn.Modules.Module actual)
    {
        var a = expected.StateDict();
        var b = actual.StateDict();
        Assert.Equal(a.Keys.Order(StringComparer.Ordinal), b.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, tensor) in a)
        {
            Assert.Equal(tensor.Shape.ToArray(), b[key].Shape.ToArray());
            Assert.True(tensor.ToArray().AsSpan().SequenceEqual(b[key].ToArray()), $"tensor '{key}' differs");
        }
    }

    [Theory]
    [MemberData(nameof(AllArchitectures))]
    public void SaveLoad_EveryArchitecture_RestoresEverythingBitForBit(Architecture a)
    {
        using var dir = new TempDir();
        string path = System.IO.Path.Combine(dir.Path, "m.safetensors");
        var model = WithFacts(Tiny(a));
        var batch = Batch(model.FrontEnd);
        float[] before = model.PredictProbabilities(batch);
        float[][] embedBefore = model.Embed(batch);

        model.Save(path);
        var loaded = EmotionModel.Load(path);

        Assert.Equal(model.Spec, loaded.Spec);
        Assert.True(model.FrontEnd.ContentEquals(loaded.FrontEnd));
        Assert.Equal(model.FrontEnd.SpectrogramMean, loaded.FrontEnd.SpectrogramMean);
        Assert.Equal(model.FrontEnd.FeatureStd, loaded.FrontEnd.FeatureStd);
        Assert.Equal(model.FrontEnd.RawKey(), loaded.FrontEnd.RawKey());
        Assert.Equal(s_labels, loaded.Labels);
        Assert.Equal(11, loaded.Seed);
        Assert.Equal(model.Provenance.ToJson(), loaded.Provenance.ToJson());
        Assert.Equal("gain,noise", loaded.Provenance.Notes!["augment"]);
        Assert.Equal(model.History, loaded.History);
        Assert.Equal(model.CrossValidation.Select(p => (p.Track, p.Label, p.Fold)), loaded.CrossValidation.Select(p => (p.Track, p.Label, p.Fold)));
        Assert.Equal(model.CrossValidation.SelectMany(p => p.Probabilities), loaded.CrossValidation.SelectMany(p => p.Probabilities));
        AssertSameWeights(model.Network, loaded.Network);
        Assert.True(before.AsSpan().SequenceEqual(loaded.PredictProbabilities(Batch(loaded.FrontEnd))), "probabilities differ after loading");
        var embedAfter = loaded.Embed(batch);
        for (int i = 0; i < embedBefore.Length; i++)
            Assert.True(embedBefore[i].AsSpan().SequenceEqual(embedAfter[i]));
        Assert.Equal([".", "m.safetensors"], [".", .. Directory.GetFiles(dir.Path).Select(f => System.IO.Path.GetFileName(f)!)]);
    }

    [Fact]
    public void SaveLoad_WithoutProvenanceOrHistory_GivesEmptyOnes_AndNoCurves()
    {
        using var dir = new TempDir();
        string path = System.IO.Path.Combine(dir.Path, "sub", "folder", "m.safetensors");
        Tiny(Architecture.Mlp).Save(path);
        var loaded = EmotionModel.Load(path);
        Assert.Empty(loaded.History);
        Assert.Empty(loaded.ToCurves());
        Assert.Equal("{}", loaded.Provenance.ToJson());
        Assert.Empty(loaded.Provenance.ToPairs());
    }

    [Fact]
    public void Save_OverAnExistingModel_ReplacesIt()
    {
        using var dir = new TempDir();
        string path = System.IO.Path.Combine(dir.Path, "m.safetensors");
        Tiny(Architecture.Mlp, seed: 1).Save(path);
        Tiny(Architecture.Mlp, seed: 2).Save(path);
        Assert.Equal(2, EmotionModel.Load(path).Seed);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Save_FromSeveralThreadsToOnePath_LeavesOneWholeModelAndNoTemporaryFiles()
    {
        using var dir = new TempDir();
        string path = System.IO.Path.Combine(dir.Path, "m.safetensors");
        var models = Enumerable.Range(1, 4).Select(seed => Tiny(Architecture.Mlp, seed)).ToArray();
        Parallel.For(0, 12, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            try
            {
                models[i % 4].Save(path);
            }
            catch (IOException)
            {
                // Another thread's rename may win the race on some file systems; the file must still be whole.
            }
        });
        Assert.InRange(EmotionModel.Load(path).Seed, 1, 4);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Save_IntoAFolderThatIsAFile_ThrowsIOException()
    {
        using var dir = new TempDir();
        string file = dir.Write("blocker", "x");
        Assert.ThrowsAny<IOException>(() => Tiny(Architecture.Mlp).Save(System.IO.Path.Combine(file, "m.safetensors")));
    }

    [Theory]
    [MemberData(nameof(AllArchitectures))]
    public void CreateInitialNetwork_EqualsAFreshCreateWithTheSameSeed(Architecture a)
    {
        var model = Tiny(a, seed: 21);
        var fresh = EmotionModel.Create(model.FrontEnd, model.Spec, s_labels, 21);
        AssertSameWeights(fresh.Network, model.CreateInitialNetwork());
        AssertSameWeights(model.Network, model.CreateInitialNetwork()); // untrained: the network is its initial state
        if (a == Architecture.Ensemble) return; // its members carry their own seeds (the spec's member_seeds)
        var other = EmotionModel.Create(model.FrontEnd, model.Spec, s_labels, 22);
        Assert.NotEqual(other.Network.StateDict().First(kv => kv.Key.EndsWith("weight")).Value.ToArray(),
            fresh.Network.StateDict().First(kv => kv.Key.EndsWith("weight")).Value.ToArray());
    }

    [Fact]
    public void CreateInitialNetwork_AfterTrainingAndReload_IsStillTheSeededStart()
    {
        using var dir = new TempDir();
        string path = System.IO.Path.Combine(dir.Path, "m.safetensors");
        var model = Tiny(Architecture.Cnn4, seed: 8);
        // "Train": change the weights in place.
        foreach (var p in model.Network.Parameters())
        {
            var span = p.AsSpan();
            for (int i = 0; i < span.Length; i++) span[i] += 0.01f;
        }
        model.Save(path);
        var loaded = EmotionModel.Load(path);
        AssertSameWeights(EmotionModel.Create(model.FrontEnd, model.Spec, s_labels, 8).Network, loaded.CreateInitialNetwork());
        AssertSameWeights(model.Network, loaded.Network);
    }

    [Fact]
    public void ToCurves_UsesValidationOnlyWhenEveryEpochHasIt_AndPrefersTrackAccuracy()
    {
        var model = Tiny(Architecture.Mlp);
        var full = Assert.Single(model.With(history:
        [
            new EpochRecord(1, 1.0, 0.3, 1.1, 0.25, 0.5, 1e-3, 1),
            new EpochRecord(2, 0.8, 0.4, 1.0, 0.30, null, 1e-3, 1),
        ]).ToCurves());
        Assert.Null(full.Name);
        Assert.Equal([1.0, 0.8], full.TrainLoss);
        Assert.Equal([0.3, 0.4], full.TrainAccuracy);
        Assert.Equal([1.1, 1.0], full.ValidationLoss!);
        Assert.Equal([0.5, 0.30], full.ValidationAccuracy!);
        var partial = Assert.Single(WithFacts(model).ToCurves());
        Assert.Null(partial.ValidationLoss);
        Assert.Null(partial.ValidationAccuracy);
        Assert.Empty(model.ToCurves());
    }

    [Fact]
    public void ToCurves_OfAnEnsembleHistory_GivesOneNamedRunPerMember_AndTheMemberSurvivesTheFile()
    {
        using var dir = new TempDir();
        var model = Tiny(Architecture.Mlp).With(history:
        [
            new EpochRecord(1, 1.0, 0.3, null, null, null, 1e-3, 1, Member: 1),
            new EpochRecord(2, 0.8, 0.4, null, null, null, 1e-3, 1, Member: 1),
            new EpochRecord(1, 1.2, 0.2, null, null, null, 1e-3, 1, Member: 2),
        ]);
        string path = System.IO.Path.Combine(dir.Path, "e.safetensors");
        model.Save(path);

        var runs = EmotionModel.Load(path).ToCurves();
        Assert.Equal(["member 1", "member 2"], runs.Select(r => r.Name));
        Assert.Equal([1.0, 0.8], runs[0].TrainLoss);
        Assert.Equal([0.2], runs[1].TrainAccuracy);

        // A single network's history is written as before, without a member field.
        string single = System.IO.Path.Combine(dir.Path, "single.safetensors");
        Tiny(Architecture.Mlp).With(history: [new EpochRecord(1, 1.0, 0.3, null, null, null, 1e-3, 1)]).Save(single);
        Assert.DoesNotContain("member", System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(single)));
    }

    [Fact]
    public void PredictProbabilities_FromManyThreads_EqualsSequential()
    {
        var model = Tiny(Architecture.Cnn4);
        var batches = Enumerable.Range(0, 8).Select(i => Batch(model.FrontEnd, seed: i)).ToArray();
        var fresh = EmotionModel.Create(model.FrontEnd, model.Spec, s_labels, 11);
        var expected = batches.Select(fresh.PredictProbabilities).ToArray();
        var actual = new float[batches.Length][];
        Parallel.For(0, batches.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            actual[i % batches.Length] = model.PredictProbabilities(batches[i % batches.Length]));
        for (int i = 0; i < batches.Length; i++)
            Assert.Equal(expected[i], actual[i]);
    }

    public static TheoryData<string, string[], int, string> BadArguments() => new()
    {
        { "count", ["Q1", "Q2", "Q3"], 4, "3 labels but the network has 4 outputs" },
        { "repeat", ["Q1", "Q2", "Q2", "Q4"], 4, "Labels repeat" },
        { "empty", ["Q1", "", "Q3", "Q4"], 4, "Label 1 is empty" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Create_BadLabels_ThrowsArgumentException(string name, string[] labels, int classes, string message)
    {
        _ = name;
        var frontEnd = FrontEnd(Architecture.Mlp);
        var e = Assert.Throws<ArgumentException>(() => EmotionModel.Create(frontEnd, EmotionModel.SpecFor(Architecture.Mlp, frontEnd, classes), labels, 1));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Create_SpecThatDoesNotFitTheFrontEnd_ThrowsArgumentException()
    {
        var frontEnd = FrontEnd(Architecture.Cnn4);
        var e = Assert.Throws<ArgumentException>(() => EmotionModel.Create(frontEnd, NetworkSpec.For(Architecture.Cnn4, 32, 32), s_labels, 1));
        Assert.Contains("32x32", e.Message);
        Assert.Contains("16x32", e.Message);
        e = Assert.Throws<ArgumentException>(() => EmotionModel.Create(frontEnd, NetworkSpec.For(Architecture.Mlp, 0, 0, 26), s_labels, 1));
        Assert.Contains("summary features", e.Message);
    }

    // ---- Load errors: always ModelFileException naming the file ----

    private static string SaveGood(TempDir dir, Architecture a = Architecture.Mlp)
    {
        string path = System.IO.Path.Combine(dir.Path, "good.safetensors");
        WithFacts(Tiny(a)).Save(path);
        return path;
    }

    private static ModelFileException LoadFails(string path)
    {
        var e = Assert.Throws<ModelFileException>(() => EmotionModel.Load(path));
        Assert.Equal(path, e.Path);
        Assert.StartsWith(path + ": ", e.Message);
        return e;
    }

    [Fact]
    public void Load_MissingFile_SaysNotFound()
    {
        using var dir = new TempDir();
        Assert.Contains("not found", LoadFails(System.IO.Path.Combine(dir.Path, "absent.safetensors")).Problem);
    }

    [Fact]
    public void Load_Folder_SaysItIsAFolder()
    {
        using var dir = new TempDir();
        Assert.Contains("is a folder", LoadFails(dir.Path).Problem);
    }

    public static TheoryData<string> Garbage() => new() { "random", "empty", "truncated-header", "truncated-data", "text" };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Load_BytesThatAreNotSafetensors_SaysNotReadable(string kind)
    {
        using var dir = new TempDir();
        byte[] good = File.ReadAllBytes(SaveGood(dir));
        var rng = new Random(3);
        byte[] bytes = kind switch
        {
            "random" => Enumerable.Range(0, 5000).Select(_ => (byte)rng.Next(256)).ToArray(),
            "empty" => [],
            "truncated-header" => good[..100],
            "truncated-data" => good[..(good.Length - 64)],
            _ => "{\"hello\": \"world\"}"u8.ToArray(),
        };
        string path = dir.Write("bad.safetensors");
        File.WriteAllBytes(path, bytes);
        Assert.Contains("not a readable safetensors model", LoadFails(path).Problem);
    }

    [Fact]
    public void Load_RandomByteFlipsAnywhere_NeverEscapeAsAnotherException()
    {
        using var dir = new TempDir();
        byte[] good = File.ReadAllBytes(SaveGood(dir));
        var rng = new Random(17);
        string path = dir.Write("flipped.safetensors");
        for (int trial = 0; trial < 60; trial++)
        {
            byte[] bytes = (byte[])good.Clone();
            // Mostly in the header, where the structure is.
            int limit = trial % 3 == 0 ? bytes.Length : Math.Min(bytes.Length, 2000);
            for (int k = 0; k < 3; k++) bytes[rng.Next(limit)] ^= (byte)(1 << rng.Next(8));
            File.WriteAllBytes(path, bytes);
            try
            {
                EmotionModel.Load(path);
            }
            catch (ModelFileException e)
            {
                Assert.StartsWith(path, e.Message);
            }
        }
    }

    [Fact]
    public void Load_PlainSafetensorsWithoutAffettoMetadata_SaysSo()
    {
        using var dir = new TempDir();
        string path = dir.Write("plain.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([1f, 2f, 3f], 3) });
        Assert.Contains("not an Affetto emotion model", LoadFails(path).Problem);
    }

    /// <summary>A good model file with one metadata entry replaced (null removes it).</summary>
    private static string Rewrite(TempDir dir, string key, string? value, Architecture a = Architecture.Mlp)
    {
        var (tensors, meta) = SafeTensors.Load(SaveGood(dir, a));
        if (value is null) meta.Remove(key);
        else meta[key] = value;
        string path = dir.Write("edited.safetensors");
        SafeTensors.Save(path, tensors, meta);
        return path;
    }

    [Fact]
    public void Load_OtherFormatVersion_NamesBothVersions()
    {
        using var dir = new TempDir();
        var e = LoadFails(Rewrite(dir, EmotionModel.FormatKey, "affetto-emotion-2"));
        Assert.Contains("'affetto-emotion-2' is not supported", e.Problem);
        Assert.Contains(EmotionModel.FormatValue, e.Problem);
    }

    public static TheoryData<string, string?, string> DamagedMetadata() => new()
    {
        { EmotionModel.FrontEndKey, null, "metadata 'affetto.front_end' is missing" },
        { EmotionModel.NetworkKey, null, "metadata 'affetto.network' is missing" },
        { EmotionModel.LabelsKey, null, "metadata 'affetto.labels' is missing" },
        { EmotionModel.SeedKey, null, "metadata 'affetto.seed' is missing" },
        { EmotionModel.FrontEndKey, "{not json", "damaged model" },
        { EmotionModel.FrontEndKey, "{\"sample_rate\": 10}", "SampleRate must be at least 1000" },
        { EmotionModel.NetworkKey, "{\"architecture\": \"resnet\"}", "unknown architecture 'resnet'" },
        { EmotionModel.LabelsKey, "[\"Q1\", \"Q2\"]", "2 labels but the network has 4 outputs" },
        { EmotionModel.LabelsKey, "[\"Q1\", null, \"Q3\", \"Q4\"]", "Label 1 is empty" },
        { EmotionModel.LabelsKey, "null", "labels are null" },
        { EmotionModel.SeedKey, "eleven", "damaged model" },
        { EmotionModel.SeedKey, "99999999999", "damaged model" },
        { EmotionModel.TrainingKey, "[1, 2]", "damaged model" },
        { EmotionModel.HistoryKey, "{\"epoch\": 1}", "damaged model" },
        { EmotionModel.HistoryKey, "[null]", "null epoch" },
        { EmotionModel.CrossValidationKey, "{\"track\": 1}", "damaged model" },
        { EmotionModel.CrossValidationKey, "[{\"track\": \"a\", \"label\": \"Q9\", \"fold\": 1, \"probabilities\": [1, 0, 0, 0]}]", "known label" },
        { EmotionModel.CrossValidationKey, "[{\"track\": \"a\", \"label\": \"Q1\", \"fold\": 1, \"probabilities\": [1]}]", "4 probabilities" },
        { EmotionModel.NetworkKey, "{\"architecture\": \"ensemble\", \"members\": []}", "at least two members" },
        // Shapes that disagree between the front end and the network spec.
        { EmotionModel.NetworkKey, NetworkSpec.For(Architecture.Mlp, 0, 0, 69).ToJson(), "expects 69 features but the front end makes 26" },
        { EmotionModel.FrontEndKey, (FrontEnd(Architecture.Mlp).WithoutStatistics() with { UseSpectrogram = true, UseSummaryFeatures = false }).ToJson(), "needs summary features but the front end computes none" },
    };

    [Theory]
    [MemberData(nameof(DamagedMetadata))]
    public void Load_DamagedMetadata_SaysWhatIsWrong(string key, string? value, string message)
    {
        using var dir = new TempDir();
        var e = LoadFails(Rewrite(dir, key, value));
        Assert.Contains("damaged model", e.Problem);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Load_SpecWhoseShapesDisagreeWithTheFrontEnd_IsDamaged()
    {
        using var dir = new TempDir();
        var spec = NetworkSpec.For(Architecture.Cnn4, 32, 32) with { Width = 0.125 };
        var e = LoadFails(Rewrite(dir, EmotionModel.NetworkKey, spec.ToJson(), Architecture.Cnn4));
        Assert.Contains("expects 32x32 spectrograms but the front end makes 16x32", e.Problem);
    }

    [Fact]
    public void Load_WeightsWithOtherShapesThanTheSpec_IsDamaged()
    {
        using var dir = new TempDir();
        // The spec says width 0.25, the tensors were saved at 0.125: every conv has other channel counts.
        var spec = EmotionModel.SpecFor(Architecture.Cnn4, FrontEnd(Architecture.Cnn4)) with { Width = 0.25 };
        var e = LoadFails(Rewrite(dir, EmotionModel.NetworkKey, spec.ToJson(), Architecture.Cnn4));
        Assert.Contains("damaged model", e.Problem);
        Assert.IsType<Nn.Modules.CheckpointMismatchException>(e.InnerException);
    }

    [Fact]
    public void Load_MissingOrExtraTensors_IsDamaged()
    {
        using var dir = new TempDir();
        var (tensors, meta) = SafeTensors.Load(SaveGood(dir));
        string missingPath = dir.Write("missing.safetensors");
        var fewer = tensors.Where(kv => kv.Key != tensors.Keys.First()).ToDictionary();
        SafeTensors.Save(missingPath, fewer, meta);
        Assert.Contains("damaged model", LoadFails(missingPath).Problem);

        string extraPath = dir.Write("extra.safetensors");
        var more = new Dictionary<string, Tensor>(tensors) { ["stray.weight"] = Tensor.FromArray([1f], 1) };
        SafeTensors.Save(extraPath, more, meta);
        Assert.Contains("stray.weight", LoadFails(extraPath).Message);
    }
}
