using System.Globalization;
using System.Text.Json;
using Affetto.Audio.IO;
using Affetto.Cli.Infrastructure;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.Inference;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Nn.Serialization;

namespace Affetto.Cli.Tests;

/// <summary>
/// <c>affetto analyze</c> end to end with tiny untrained models (cnn4 at width 0.25 on a 16-band log-mel of 0.5 s
/// segments at 8 kHz, so every run takes milliseconds) and generated signals.
/// </summary>
public class AnalyzeCommandTests
{
    private const int Rate = 8000;

    private static readonly FrontEndSettings s_frontEnd = new()
    {
        SampleRate = Rate,
        SegmentSeconds = 0.5,
        HopSeconds = 0.25,
        Feature = SpectrogramKind.LogMel,
        NFft = 256,
        HopLength = 128,
        NMels = 16,
        SpectrogramMean = Enumerable.Repeat(-40f, 16).ToArray(),
        SpectrogramStd = Enumerable.Repeat(20f, 16).ToArray(),
    };

    private static string SaveModel(TempDir dir, int seed = 3, IReadOnlyList<string>? labels = null, string name = "model.safetensors")
    {
        var spec = EmotionModel.SpecFor(Architecture.Cnn4, s_frontEnd) with { Width = 0.25 };
        string path = dir.File(name);
        EmotionModel.Create(s_frontEnd, spec, labels ?? Quadrants.Labels, seed).Save(path);
        return path;
    }

    private static string SaveSong(TempDir dir, string name, double seconds, int seed)
    {
        string path = dir.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tone = Signals.Sine(220 * (1 + seed % 5), seconds, Rate, amplitude: 0.3);
        var noise = Signals.Noise(seconds, Rate, seed, amplitude: 0.2);
        for (int i = 0; i < tone.Length; i++) tone[i] += noise[i];
        AudioFile.Save(path, tone, Rate);
        return path;
    }

    private static JsonElement[] Json(string text) => JsonDocument.Parse(text).RootElement.EnumerateArray().ToArray();

    private static string[] Keys(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToArray();

    private static double[] Probabilities(JsonElement emotion) =>
        Quadrants.Labels.Select(q => emotion.GetProperty("probabilities").GetProperty(q).GetDouble()).ToArray();

    [Fact]
    public void Json_has_exactly_the_specified_keys_and_consistent_values()
    {
        using var dir = new TempDir();
        string model = SaveModel(dir);
        string a = SaveSong(dir, "a.wav", 2.0, seed: 1), b = SaveSong(dir, "b.wav", 3.0, seed: 2);
        var r = CliRunner.Run("analyze", a, b, "--model", model, "--format", "json");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        Assert.Equal("", r.Err);
        var entries = Json(r.Out);
        Assert.Equal([a, b], entries.Select(e => e.GetProperty("file").GetString()));
        foreach (var (entry, seconds) in entries.Zip([2.0, 3.0]))
        {
            Assert.Equal(["file", "duration", "emotion", "error"], Keys(entry));
            Assert.Equal(JsonValueKind.Null, entry.GetProperty("error").ValueKind);
            Assert.Equal(seconds, entry.GetProperty("duration").GetDouble(), 3);
            var emotion = entry.GetProperty("emotion");
            Assert.Equal(["quadrant", "probabilities", "valence", "arousal", "timeline"], Keys(emotion));
            Assert.Equal(["Q1", "Q2", "Q3", "Q4"], Keys(emotion.GetProperty("probabilities")));
            Assert.Equal(JsonValueKind.Null, emotion.GetProperty("timeline").ValueKind);
            double[] p = Probabilities(emotion);
            Assert.Equal(1.0, p.Sum(), 6);
            Assert.All(p, x => Assert.InRange(x, 0, 1));
            Assert.Equal(Quadrants.Labels[Array.IndexOf(p, p.Max())], emotion.GetProperty("quadrant").GetString());
            double valence = emotion.GetProperty("valence").GetDouble(), arousal = emotion.GetProperty("arousal").GetDouble();
            Assert.InRange(valence, -1, 1);
            Assert.InRange(arousal, -1, 1);
            Assert.Equal(p[0] + p[3] - p[1] - p[2], valence, 6);
            Assert.Equal(p[0] + p[1] - p[2] - p[3], arousal, 6);
        }
    }

    [Fact]
    public void Results_equal_the_library_analysis_of_the_same_model()
    {
        using var dir = new TempDir();
        string model = SaveModel(dir, seed: 11);
        string song = SaveSong(dir, "song.wav", 4.0, seed: 5);
        var r = CliRunner.Run("analyze", song, "--model", model, "--format", "json");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var expected = EmotionModel.Load(model).CreateAnalyzer().Analyze(song);
        var emotion = Json(r.Out)[0].GetProperty("emotion");
        Assert.Equal(expected.Quadrant, emotion.GetProperty("quadrant").GetString());
        // The command folds BatchNorm into the convolutions: equal up to float rounding.
        double[] p = Probabilities(emotion);
        for (int k = 0; k < 4; k++) Assert.InRange(Math.Abs(expected.Probabilities[Quadrants.Labels[k]] - p[k]), 0, 1e-6);
        Assert.InRange(Math.Abs(expected.Valence - emotion.GetProperty("valence").GetDouble()), 0, 1e-6);
        Assert.InRange(Math.Abs(expected.Arousal - emotion.GetProperty("arousal").GetDouble()), 0, 1e-6);
    }

    [Fact]
    public void Different_models_give_different_probabilities()
    {
        using var dir = new TempDir();
        string m1 = SaveModel(dir, seed: 1, name: "m1.safetensors"), m2 = SaveModel(dir, seed: 2, name: "m2.safetensors");
        string song = SaveSong(dir, "song.wav", 2.0, seed: 3);
        var p1 = Probabilities(Json(CliRunner.Run("analyze", song, "--model", m1, "-f", "json").Out)[0].GetProperty("emotion"));
        var p2 = Probabilities(Json(CliRunner.Run("analyze", song, "--model", m2, "-f", "json").Out)[0].GetProperty("emotion"));
        Assert.NotEqual(p1, p2);
    }

    [Fact]
    public void Timeline_has_one_entry_per_segment_whose_mean_is_the_track()
    {
        using var dir = new TempDir();
        string model = SaveModel(dir);
        // 10 s: 39 segments of 0.5 s every 0.25 s, more than one streamed chunk of 32.
        string song = SaveSong(dir, "long.wav", 10.0, seed: 4);
        var r = CliRunner.Run("analyze", song, "--model", model, "--format", "json", "--timeline");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var emotion = Json(r.Out)[0].GetProperty("emotion");
        var timeline = emotion.GetProperty("timeline").EnumerateArray().ToArray();
        Assert.Equal(39, timeline.Length);
        var mean = new double[4];
        for (int s = 0; s < timeline.Length; s++)
        {
            var t = timeline[s];
            Assert.Equal(["start", "end", "quadrant", "probabilities", "valence", "arousal"], Keys(t));
            Assert.Equal(0.25 * s, t.GetProperty("start").GetDouble(), 9);
            Assert.Equal(0.25 * s + 0.5, t.GetProperty("end").GetDouble(), 9);
            double[] p = Probabilities(t);
            Assert.Equal(1.0, p.Sum(), 6);
            Assert.InRange(t.GetProperty("valence").GetDouble(), -1, 1);
            Assert.InRange(t.GetProperty("arousal").GetDouble(), -1, 1);
            for (int k = 0; k < 4; k++) mean[k] += p[k] / timeline.Length;
        }
        double[] track = Probabilities(emotion);
        for (int k = 0; k < 4; k++) Assert.Equal(mean[k], track[k], 6);
    }

    [Fact]
    public void Timeline_of_a_streamed_file_equals_the_whole_file_front_end_and_network()
    {
        using var dir = new TempDir();
        string modelPath = SaveModel(dir, seed: 8);
        string song = SaveSong(dir, "song.wav", 12.0, seed: 6);
        var r = CliRunner.Run("analyze", song, "--model", modelPath, "--format", "json", "--timeline");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var timeline = Json(r.Out)[0].GetProperty("emotion").GetProperty("timeline").EnumerateArray().ToArray();

        var model = EmotionModel.Load(modelPath);
        var batch = new EmotionFrontEnd(model.FrontEnd).Compute(AudioFile.Load(song, Rate, mono: true).Samples);
        float[] expected = model.PredictProbabilities(batch);
        Assert.Equal(batch.Count, timeline.Length);
        for (int s = 0; s < batch.Count; s++)
        {
            double[] p = Probabilities(timeline[s]);
            for (int k = 0; k < 4; k++) Assert.InRange(Math.Abs(expected[s * 4 + k] - p[k]), 0, 1e-5);
        }
    }

    [Fact]
    public void Table_lists_each_file_with_its_quadrant_name_and_the_timeline_when_asked()
    {
        using var dir = new TempDir();
        string model = SaveModel(dir);
        string a = SaveSong(dir, "a.wav", 1.0, seed: 1), b = SaveSong(dir, "b.wav", 1.5, seed: 2);
        var r = CliRunner.Run("analyze", a, b, "--model", model);
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var lines = r.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^file\s+duration\s+quadrant\s+Q1\s+Q2\s+Q3\s+Q4\s+valence\s+arousal$", lines[0]);
        Assert.StartsWith("----", lines[1]);
        foreach (var (line, file) in lines.Skip(2).Zip([a, b]))
        {
            Assert.StartsWith(file, line);
            Assert.Matches(@"Q[1-4] (happy/excited|angry/tense|sad/depressed|calm/relaxed)\s+(0\.\d{3}\s+){4}[+-][01]\.\d{3}\s+[+-][01]\.\d{3}$", line);
        }

        var t = CliRunner.Run("analyze", a, "--model", model, "--timeline");
        Assert.Equal(ExitCodes.Success, t.ExitCode);
        Assert.Contains($"{a}: 3 segments", t.Out);
        Assert.Matches(@"start\s+end\s+quadrant\s+Q1\s+Q2\s+Q3\s+Q4\s+valence\s+arousal", t.Out);
        Assert.Contains("0:00.5  0:01.0", t.Out);
    }

    [Fact]
    public void Csv_has_one_row_per_file_and_long_form_with_the_timeline()
    {
        using var dir = new TempDir();
        string model = SaveModel(dir);
        string a = SaveSong(dir, "a,b.wav", 1.0, seed: 1);
        var r = CliRunner.Run("analyze", a, "--model", model, "--format", "csv");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var lines = r.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("file,duration,quadrant,Q1,Q2,Q3,Q4,valence,arousal,error", lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"\"{a}\",1,Q", lines[1]);
        var cells = lines[1][(a.Length + 3)..].Split(',');
        Assert.Equal(9, cells.Length);
        double[] p = cells[2..6].Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(1.0, p.Sum(), 5);
        Assert.Equal("", cells[8]);

        var t = CliRunner.Run("analyze", a, "--model", model, "--format", "csv", "--timeline");
        Assert.Equal(ExitCodes.Success, t.ExitCode);
        var rows = t.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("file,level,start,end,quadrant,Q1,Q2,Q3,Q4,valence,arousal,error", rows[0]);
        Assert.Equal(1 + 1 + 3, rows.Length);
        Assert.StartsWith($"\"{a}\",track,0,1,Q", rows[1]);
        Assert.StartsWith($"\"{a}\",segment,0,0.5,Q", rows[2]);
        Assert.StartsWith($"\"{a}\",segment,0.25,0.75,Q", rows[3]);
        Assert.StartsWith($"\"{a}\",segment,0.5,1,Q", rows[4]);
    }

    public static TheoryData<string> Formats() => new() { "table", "json", "csv" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_failing_file_is_reported_and_the_others_are_still_analysed(string format)
    {
        using var dir = new TempDir();
        string model = SaveModel(dir);
        string good1 = SaveSong(dir, "1.wav", 1.0, seed: 1), good2 = SaveSong(dir, "3.wav", 1.0, seed: 3);
        string broken = dir.File("2.wav");
        File.WriteAllBytes(broken, [.. "RIFF"u8, 1, 2, 3, 4, .. "WAVEjunkjunkjunk"u8]);
        string missing = dir.File("missing.wav");
        var r = CliRunner.Run("analyze", good1, broken, missing, good2, "--model", model, "--format", format);
        Assert.Equal(ExitCodes.InputFailed, r.ExitCode);
        Assert.Contains("2.wav", r.Err);
        Assert.Contains("missing.wav", r.Err);
        Assert.Contains("2 of 4 files failed", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        switch (format)
        {
            case "json":
                var entries = Json(r.Out);
                Assert.Equal([good1, broken, missing, good2], entries.Select(e => e.GetProperty("file").GetString()));
                foreach (var bad in new[] { entries[1], entries[2] })
                {
                    Assert.Equal(["file", "duration", "emotion", "error"], Keys(bad));
                    Assert.Equal(JsonValueKind.Null, bad.GetProperty("emotion").ValueKind);
                    Assert.Equal(JsonValueKind.Null, bad.GetProperty("duration").ValueKind);
                    Assert.False(string.IsNullOrWhiteSpace(bad.GetProperty("error").GetString()));
                }
                Assert.Contains("not found", entries[2].GetProperty("error").GetString());
                Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("error").ValueKind);
                Assert.Equal(JsonValueKind.Null, entries[3].GetProperty("error").ValueKind);
                Assert.Equal(1.0, Probabilities(entries[3].GetProperty("emotion")).Sum(), 6);
                break;
            case "csv":
                var rows = r.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
                Assert.Equal(5, rows.Length);
                Assert.StartsWith(good1 + ",1,Q", rows[1]);
                Assert.StartsWith(broken + ",,,,,,,,,", rows[2]);
                Assert.True(rows[2].Length > broken.Length + 10);
                Assert.StartsWith(good2 + ",1,Q", rows[4]);
                break;
            default:
                Assert.Contains(good1, r.Out);
                Assert.Contains(good2, r.Out);
                Assert.DoesNotContain(broken, r.Out);
                break;
        }
    }

    [Fact]
    public void Folders_are_searched_recursively_in_sorted_order()
    {
        using var dir = new TempDir();
        string model = SaveModel(dir);
        string songs = Path.Combine(dir.Path, "songs");
        SaveSong(dir, "songs/b.wav", 1.0, seed: 1);
        SaveSong(dir, "songs/a/one.flac", 1.0, seed: 2);
        SaveSong(dir, "songs/a/deeper/two.wav", 1.0, seed: 3);
        File.WriteAllText(Path.Combine(songs, "notes.txt"), "not audio");
        var r = CliRunner.Run("analyze", songs, "--model", model, "--format", "json");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var files = Json(r.Out).Select(e => Path.GetRelativePath(songs, e.GetProperty("file").GetString()!).Replace('\\', '/'));
        Assert.Equal(["a/deeper/two.wav", "a/one.flac", "b.wav"], files);
    }

    [Fact]
    public void Output_file_receives_the_results_instead_of_standard_output()
    {
        using var dir = new TempDir();
        string model = SaveModel(dir);
        string song = SaveSong(dir, "song.wav", 1.0, seed: 1);
        string target = dir.File("out/result.json");
        var r = CliRunner.Run("analyze", song, "--model", model, "-f", "json", "-o", target);
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        Assert.Equal($"{target}: 1 of 1 files analysed", r.Out.Trim());
        Assert.Single(Json(File.ReadAllText(target)));

        var same = CliRunner.Run("analyze", song, "--model", model, "-o", song);
        Assert.Equal(ExitCodes.InvalidArguments, same.ExitCode);
        Assert.Contains("would overwrite the input", same.Err);

        // A folder where the file should be: refused before any work, in one line.
        string folder = dir.File("a-folder");
        Directory.CreateDirectory(folder);
        var unwritable = CliRunner.Run("analyze", song, "--model", model, "-o", folder);
        Assert.Equal(ExitCodes.InvalidArguments, unwritable.ExitCode);
        Assert.Contains($"{folder}: cannot write the output", Assert.Single(unwritable.Err.TrimEnd().Split('\n')));
    }

    [Fact]
    public void A_missing_model_is_one_line_and_exit_code_2()
    {
        using var dir = new TempDir();
        string song = SaveSong(dir, "song.wav", 1.0, seed: 1);
        string missing = dir.File("nope.safetensors");
        var r = CliRunner.Run("analyze", song, "--model", missing);
        Assert.Equal(ExitCodes.InvalidArguments, r.ExitCode);
        Assert.Equal("", r.Out);
        string line = Assert.Single(r.Err.TrimEnd().Split('\n'));
        Assert.StartsWith("affetto: ", line);
        Assert.Contains(missing, line);
        Assert.Contains("does not exist", line);
    }

    public static TheoryData<string, string> DamagedModels() => new()
    {
        { "random bytes", "not a readable safetensors model" },
        { "truncated", "not a readable safetensors model" },
        { "other labels", "not a quadrant emotion model" },
        { "folder", "is a folder" },
        { "plain safetensors", "not an Affetto emotion model" },
    };

    [Theory]
    [MemberData(nameof(DamagedModels))]
    public void A_damaged_model_is_one_line_and_exit_code_3(string damage, string expected)
    {
        using var dir = new TempDir();
        string song = SaveSong(dir, "song.wav", 1.0, seed: 1);
        string model;
        switch (damage)
        {
            case "random bytes":
                model = dir.File("random.safetensors");
                var bytes = new byte[4096];
                new Random(5).NextBytes(bytes);
                File.WriteAllBytes(model, bytes);
                break;
            case "truncated":
                string whole = SaveModel(dir);
                model = dir.File("truncated.safetensors");
                var all = File.ReadAllBytes(whole);
                File.WriteAllBytes(model, all[..(all.Length / 2)]);
                break;
            case "other labels":
                model = SaveModel(dir, labels: ["calm", "sad", "angry", "happy"]);
                break;
            case "plain safetensors":
                model = dir.File("linear.safetensors");
                new Affetto.Nn.Modules.Linear(3, 2).SaveSafeTensors(model);
                break;
            default:
                model = dir.File("a-folder");
                Directory.CreateDirectory(model);
                break;
        }
        var r = CliRunner.Run("analyze", song, "--model", model);
        Assert.Equal(ExitCodes.InputFailed, r.ExitCode);
        Assert.Equal("", r.Out);
        string line = Assert.Single(r.Err.TrimEnd().Split('\n'));
        Assert.StartsWith("affetto: " + model, line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public void No_audio_in_the_given_folder_is_a_usage_error()
    {
        using var dir = new TempDir();
        string model = SaveModel(dir);
        string empty = Path.Combine(dir.Path, "empty");
        Directory.CreateDirectory(empty);
        var r = CliRunner.Run("analyze", empty, "--model", model);
        Assert.Equal(ExitCodes.InvalidArguments, r.ExitCode);
        Assert.Contains("no audio files", r.Err);
    }

    [Fact]
    public void A_file_shorter_than_one_segment_is_padded_to_one_segment()
    {
        using var dir = new TempDir();
        string model = SaveModel(dir);
        string song = SaveSong(dir, "short.wav", 0.2, seed: 1);
        var r = CliRunner.Run("analyze", song, "--model", model, "-f", "json", "--timeline");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var entry = Json(r.Out)[0];
        Assert.Equal(0.2, entry.GetProperty("duration").GetDouble(), 3);
        var timeline = entry.GetProperty("emotion").GetProperty("timeline").EnumerateArray().ToArray();
        var only = Assert.Single(timeline);
        Assert.Equal(0.2, only.GetProperty("end").GetDouble(), 3);
    }

    [Fact]
    public void One_job_gives_the_same_results_as_all_cores()
    {
        using var dir = new TempDir();
        string model = SaveModel(dir);
        for (int i = 0; i < 4; i++) SaveSong(dir, $"songs/{i}.wav", 1.5, seed: i);
        var one = CliRunner.Run("analyze", dir.File("songs"), "--model", model, "-f", "json", "--jobs", "1");
        var all = CliRunner.Run("analyze", dir.File("songs"), "--model", model, "-f", "json");
        Assert.Equal(ExitCodes.Success, one.ExitCode);
        Assert.Equal(one.Out, all.Out);
    }

    [Fact]
    public void A_feature_model_runs_through_its_own_front_end()
    {
        using var dir = new TempDir();
        var frontEnd = new FrontEndSettings { SampleRate = Rate, SegmentSeconds = 0.5, HopSeconds = 0.5, UseSpectrogram = false, UseSummaryFeatures = true };
        string modelPath = dir.File("mlp.safetensors");
        EmotionModel.Create(frontEnd, EmotionModel.SpecFor(Architecture.Mlp, frontEnd), Quadrants.Labels, seed: 4).Save(modelPath);
        string song = SaveSong(dir, "song.wav", 2.0, seed: 9);
        var r = CliRunner.Run("analyze", song, "--model", modelPath, "-f", "json", "--timeline");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var emotion = Json(r.Out)[0].GetProperty("emotion");
        Assert.Equal(4, emotion.GetProperty("timeline").GetArrayLength());
        var expected = EmotionModel.Load(modelPath).CreateAnalyzer().Analyze(song);
        double[] p = Probabilities(emotion);
        for (int k = 0; k < 4; k++) Assert.Equal(expected.Probabilities[Quadrants.Labels[k]], p[k], 12);
    }

    [Fact]
    public void The_model_named_by_AFFETTO_MODEL_is_the_default()
    {
        using var dir = new TempDir();
        string model = SaveModel(dir, seed: 21);
        string song = SaveSong(dir, "song.wav", 1.0, seed: 2);
        string? saved = Environment.GetEnvironmentVariable(DefaultModel.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DefaultModel.EnvironmentVariable, model);
            var byEnvironment = CliRunner.Run("analyze", song, "-f", "json");
            Assert.Equal(ExitCodes.Success, byEnvironment.ExitCode);
            var named = CliRunner.Run("analyze", song, "-f", "json", "--model", model);
            Assert.Equal(named.Out, byEnvironment.Out);

            string missing = dir.File("gone.safetensors");
            Environment.SetEnvironmentVariable(DefaultModel.EnvironmentVariable, missing);
            var r = CliRunner.Run("analyze", song);
            Assert.Equal(ExitCodes.InvalidArguments, r.ExitCode);
            string line = Assert.Single(r.Err.TrimEnd().Split('\n'));
            Assert.Contains($"${DefaultModel.EnvironmentVariable} names '{missing}', which does not exist", line);
        }
        finally
        {
            Environment.SetEnvironmentVariable(DefaultModel.EnvironmentVariable, saved);
        }
    }
}
