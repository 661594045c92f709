using System.Diagnostics;
using System.Text.Json;
using Affetto.Audio.IO;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.Inference;
using Affetto.Models.Emotion.ModelFile;

namespace Affetto.Cli.Tests;

// Peak resident set sizes of child processes: run alone, after the parallel tests.
[CollectionDefinition(nameof(AnalyzeMemoryTests), DisableParallelization = true)]
public sealed class AnalyzeMemoryCollection;

/// <summary>
/// <c>affetto analyze</c> on a one-hour file runs in about the memory of a ten-second one: the command runs as a child
/// process under <c>/usr/bin/time</c>, whose peak resident set is compared for both files. Decoding the hour whole would
/// alone take 318 MB (79 million float samples at 22050 Hz).
/// </summary>
[Collection(nameof(AnalyzeMemoryTests))]
public class AnalyzeMemoryTests
{
    private const int Rate = 22050;

    [Fact]
    [Trait("Category", "Slow")]
    public void A_one_hour_file_needs_about_the_memory_of_a_ten_second_one()
    {
        const string time = "/usr/bin/time";
        if (!File.Exists(time) || !OperatingSystem.IsLinux())
        {
            Console.WriteLine($"skipped: {time} is needed to measure a child's peak resident set");
            return;
        }
        using var dir = new TempDir();
        var frontEnd = new FrontEndSettings
        {
            SampleRate = Rate, SegmentSeconds = 0.5, HopSeconds = 0.5, Feature = SpectrogramKind.LogMel, NFft = 256, HopLength = 128, NMels = 16,
        };
        string model = dir.File("model.safetensors");
        EmotionModel.Create(frontEnd, EmotionModel.SpecFor(Architecture.Cnn4, frontEnd) with { Width = 0.25 }, Quadrants.Labels, seed: 1).Save(model);
        string shortFile = dir.File("short.wav"), longFile = dir.File("hour.wav");
        AudioFile.Save(shortFile, Tone(10), Rate, format: AudioSampleFormat.Pcm16);
        AudioFile.Save(longFile, Tone(3600), Rate, format: AudioSampleFormat.Pcm16);
        GC.Collect();

        var (shortPeak, shortDuration) = Measure(time, dir, shortFile, model);
        var (longPeak, longDuration) = Measure(time, dir, longFile, model);

        Assert.Equal(10, shortDuration, 3);
        Assert.Equal(3600, longDuration, 3);
        Assert.True(longPeak - shortPeak < 120L << 20,
            $"peak resident set {longPeak >> 20} MB for one hour against {shortPeak >> 20} MB for ten seconds");
    }

    private static float[] Tone(int seconds)
    {
        var y = new float[seconds * Rate];
        var rng = new Random(seconds);
        for (int i = 0; i < y.Length; i++)
            y[i] = (float)(0.3 * Math.Sin(2 * Math.PI * (220 + i / (60 * Rate) * 5) * i / Rate) + 0.05 * (rng.NextDouble() - 0.5));
        return y;
    }

    private static (long PeakBytes, double Duration) Measure(string time, TempDir dir, string file, string model)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "affetto.dll");
        string json = dir.File(Path.GetFileNameWithoutExtension(file) + ".json"), peak = dir.File("peak.txt");
        var start = new ProcessStartInfo(time) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-f", "%M", "-o", peak, "dotnet", cli, "analyze", file, "--model", model, "-f", "json", "-o", json })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"affetto analyze {file} exited with {process.ExitCode}: {stderr} {stdout.Result}");
        long kilobytes = long.Parse(File.ReadAllLines(peak).Last(l => l.Trim().Length > 0).Trim());
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        return (kilobytes << 10, doc.RootElement[0].GetProperty("duration").GetDouble());
    }
}
