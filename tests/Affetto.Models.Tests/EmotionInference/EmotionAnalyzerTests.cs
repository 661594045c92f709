using Affetto.Audio.IO;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.Inference;
using Affetto.Models.Emotion.Reports;
using Affetto.Models.Evaluation;
using Affetto.Models.Tests.Support;

namespace Affetto.Models.Tests.EmotionInference;

public class EmotionAnalyzerTests
{
    private const int Rate = 8000;

    private static FrontEndSettings Settings(double segment, double hop, bool features = false) => new()
    {
        SampleRate = Rate,
        SegmentSeconds = segment,
        HopSeconds = hop,
        NFft = 256,
        HopLength = 128,
        UseSummaryFeatures = features,
    };

    private static float[] Signal(double seconds, int seed)
    {
        var rng = new Random(seed);
        var y = new float[(int)Math.Round(seconds * Rate)];
        for (int i = 0; i < y.Length; i++)
            y[i] = (float)(0.4 * Math.Sin(2 * Math.PI * (200 + 3 * i / (double)Rate) * i / Rate) + 0.05 * (rng.NextDouble() * 2 - 1));
        return y;
    }

    public static TheoryData<double, double, double, int> ChunkCases() => new()
    {
        { 7.3, 1.0, 0.5, 1 },   // overlap, one segment per chunk
        { 7.3, 1.0, 0.5, 3 },
        { 7.3, 1.0, 1.0, 4 },   // no overlap
        { 6.1, 0.5, 0.75, 2 },  // hop longer than the segment: gaps are skipped
        { 0.6, 1.0, 0.5, 5 },   // shorter than one segment: one padded segment
        { 9.0, 1.0, 0.5, 64 },  // whole file in one chunk
    };

    [Theory]
    [MemberData(nameof(ChunkCases))]
    public void ChunkedFrontEnd_AnyChunkSize_EqualsWholeFileFrontEnd(double seconds, double segment, double hop, int chunk)
    {
        using var dir = new TempDir();
        string path = System.IO.Path.Combine(dir.Path, "x.wav");
        AudioFile.Save(path, Signal(seconds, 3), Rate, format: AudioSampleFormat.Float32);
        var settings = Settings(segment, hop, features: true);
        var whole = new EmotionFrontEnd(settings).Compute(AudioFile.Load(path, Rate).Samples);

        var images = new List<float>();
        var features = new List<float>();
        var starts = new List<double>();
        double duration = new ChunkedFrontEnd(settings, chunk).Stream(path, b =>
        {
            images.AddRange(b.Spectrograms!);
            features.AddRange(b.Features!);
            starts.AddRange(b.StartSeconds);
        });

        Assert.Equal(seconds, duration, 3);
        Assert.Equal(whole.StartSeconds, starts.ToArray(), (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(whole.Spectrograms!, images.ToArray());
        Assert.Equal(whole.Features!, features.ToArray());
    }

    [Fact]
    public void ChunkedFrontEnd_WithViews_StreamsEachViewAsItsOwnFrontEndWould()
    {
        using var dir = new TempDir();
        string path = System.IO.Path.Combine(dir.Path, "x.wav");
        AudioFile.Save(path, Signal(7.3, 4), Rate, format: AudioSampleFormat.Float32);
        var a = Settings(1.0, 0.5);
        var b = a with { NFft = 512, HopLength = 256, NMels = 24 };
        var composite = FrontEndSettings.Composite([a, b, a]);
        var samples = AudioFile.Load(path, Rate).Samples;
        var wholeA = new EmotionFrontEnd(a).Compute(samples);
        var wholeB = new EmotionFrontEnd(b).Compute(samples);

        var views = new[] { new List<float>(), new List<float>(), new List<float>() };
        var starts = new List<double>();
        new ChunkedFrontEnd(composite, 3).Stream(path, batch =>
        {
            Assert.Null(batch.Spectrograms);
            for (int v = 0; v < 3; v++) views[v].AddRange(batch.Views![v].Spectrograms!);
            starts.AddRange(batch.StartSeconds);
        });

        Assert.Equal(wholeA.StartSeconds, starts.ToArray(), (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.Equal(wholeA.Spectrograms!, views[0].ToArray());
        Assert.Equal(wholeB.Spectrograms!, views[1].ToArray());
        Assert.Equal(wholeA.Spectrograms!, views[2].ToArray());
    }

    [Fact]
    public void Analyze_MeanOfSegments_GivesTrackProbabilitiesValenceArousalAndTimeline()
    {
        using var dir = new TempDir();
        string path = System.IO.Path.Combine(dir.Path, "x.wav");
        AudioFile.Save(path, Signal(5.0, 1), Rate);
        var labels = new[] { "Q1", "Q2", "Q3", "Q4" };
        int calls = 0;
        // A deterministic "model": each segment's probabilities depend on its start time.
        var analyzer = new EmotionAnalyzer(Settings(1, 0.5), labels, b =>
        {
            Interlocked.Increment(ref calls);
            var p = new float[b.Count * 4];
            for (int i = 0; i < b.Count; i++)
            {
                float t = (float)b.StartSeconds[i];
                p[i * 4 + 0] = 0.1f; p[i * 4 + 1] = 0.2f + 0.1f * t; p[i * 4 + 2] = 0.3f; p[i * 4 + 3] = 0.4f - 0.05f * t;
                float sum = p[i * 4] + p[i * 4 + 1] + p[i * 4 + 2] + p[i * 4 + 3];
                for (int c = 0; c < 4; c++) p[i * 4 + c] /= sum;
            }
            return p;
        }, segmentsPerChunk: 2);

        var segments = analyzer.PredictSegments(path);
        var result = analyzer.Analyze(path, timeline: true);

        Assert.Equal(9, segments.SegmentCount);
        Assert.True(calls >= 5);
        var expected = TrackVoting.Combine(segments.Probabilities, 4, Enumerable.Repeat("t", 9).ToArray())[0];
        for (int c = 0; c < 4; c++)
            Assert.Equal(expected.Probabilities[c], result.Probabilities[labels[c]], 6);
        Assert.Equal(labels[expected.PredictedClass], result.Quadrant);
        var p = result.Probabilities;
        Assert.Equal(p["Q1"] + p["Q4"] - p["Q2"] - p["Q3"], result.Valence, 9);
        Assert.Equal(p["Q1"] + p["Q2"] - p["Q3"] - p["Q4"], result.Arousal, 9);
        Assert.InRange(result.Valence, -1, 1);
        Assert.InRange(result.Arousal, -1, 1);
        Assert.Equal(9, result.Timeline!.Count);
        Assert.Equal(4.0, result.Timeline[^1].Start, 6);
        Assert.Equal(5.0, result.Timeline[^1].End, 6);
        Assert.All(result.Timeline, e => Assert.InRange(e.Valence, -1, 1));
        Assert.Null(analyzer.Analyze(path).Timeline);
    }

    [Fact]
    public void Analyze_MissingFile_ThrowsAudioException()
    {
        var analyzer = new EmotionAnalyzer(Settings(1, 0.5), ["Q1", "Q2", "Q3", "Q4"], b => new float[b.Count * 4]);
        Assert.ThrowsAny<Affetto.Audio.AudioException>(() => analyzer.Analyze("/nonexistent/x.wav"));
    }

    [Fact]
    public void Constructor_NonQuadrantLabels_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new EmotionAnalyzer(Settings(1, 0.5), ["blues", "jazz"], b => []));
        Assert.Contains("Q1, Q2, Q3 and Q4", ex.Message);
    }

    [Fact]
    public void Analyze_PredictorReturnsWrongCount_Throws()
    {
        using var dir = new TempDir();
        string path = System.IO.Path.Combine(dir.Path, "x.wav");
        AudioFile.Save(path, Signal(2.0, 1), Rate);
        var analyzer = new EmotionAnalyzer(Settings(1, 0.5), ["Q1", "Q2", "Q3", "Q4"], b => new float[3]);
        Assert.Throws<InvalidOperationException>(() => analyzer.Analyze(path));
    }

    [Fact]
    public void EvaluationBuilder_EqualsClassificationReportComputedDirectly()
    {
        string[] labels = ["Q1", "Q2", "Q3", "Q4"];
        var rng = new Random(5);
        var builder = new EvaluationBuilder(labels);
        var truthTracks = new List<string>();
        var predTracks = new List<string>();
        var truthSegments = new List<int>();
        var predSegments = new List<int>();
        for (int t = 0; t < 12; t++)
        {
            int n = 1 + rng.Next(4);
            var p = new float[n * 4];
            var mean = new double[4];
            for (int s = 0; s < n; s++)
            {
                for (int c = 0; c < 4; c++) p[s * 4 + c] = (float)rng.NextDouble();
                int best = 0;
                for (int c = 1; c < 4; c++) if (p[s * 4 + c] > p[s * 4 + best]) best = c;
                for (int c = 0; c < 4; c++) mean[c] += p[s * 4 + c] / n;
                truthSegments.Add(t % 4);
                predSegments.Add(best);
            }
            string truth = labels[t % 4];
            builder.Add(new SegmentPredictions($"t{t}", n, labels, p, Enumerable.Range(0, n).Select(i => (double)i).ToArray(), 1), truth);
            truthTracks.Add(truth);
            predTracks.Add(labels[Array.IndexOf(mean, mean.Max())]);
        }
        var result = builder.Build();
        var trackExpected = ConfusionMatrix.From(truthTracks, predTracks, labels).ToReport();
        var segmentExpected = ConfusionMatrix.FromIndices(truthSegments.ToArray(), predSegments.ToArray(), labels).ToReport();
        Assert.Equal(trackExpected.ToJson(), result.TrackReport.ToJson());
        Assert.Equal(segmentExpected.ToJson(), result.SegmentReport.ToJson());
        Assert.Equal(12, result.Tracks.Count);
        Assert.Throws<ArgumentException>(() => builder.Add(new SegmentPredictions("x", 1, labels, new float[4], [0], 1), "Q9"));
        Assert.Throws<InvalidOperationException>(() => new EvaluationBuilder(labels).Build());
    }

    [Fact]
    public void DefaultModel_EnvironmentWinsThenWalksUp()
    {
        using var dir = new TempDir();
        Assert.Equal("/some/model.safetensors", DefaultModel.Find(dir.Path, "/some/model.safetensors"));
        string nested = System.IO.Path.Combine(dir.Path, "a", "b");
        Directory.CreateDirectory(nested);
        Assert.Null(DefaultModel.Find(nested, "") is { } found && found.StartsWith(dir.Path) ? found : null);
        dir.Write("models/emotion.safetensors", "x");
        Assert.Equal(System.IO.Path.Combine(dir.Path, "models", "emotion.safetensors"), DefaultModel.Find(nested, ""));
        var ex = Assert.Throws<FileNotFoundException>(() => DefaultModel.Resolve("/nonexistent/m.safetensors"));
        Assert.Contains("affetto train", ex.Message);
    }
}
