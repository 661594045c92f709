// bench/analyze helper: writes the UNTRAINED model the benchmark times when no trained model exists.
// usage: affetto-bench-analyze untrained OUT.safetensors [FILELIST]
// The model is cnn4 at its default width on the default front end (22050 Hz, 2 s segments every 1 s, STFT 512/256
// in dB, 257 x 173 images), freshly initialised with seed 1 and never trained: its predictions mean nothing, it only
// makes both sides do the same work. So that the normalisation path runs too, the per-row image statistics are
// computed over the segments of up to 8 files of FILELIST (as training would on its training set).
using System.Diagnostics;
using System.Globalization;
using Affetto.Audio.IO;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.Inference;
using Affetto.Models.Emotion.ModelFile;

if (args.Length >= 3 && args[0] == "profile")
    return Profile.Run(args[1], args[2]);
if (args.Length < 2 || args[0] != "untrained")
{
    Console.Error.WriteLine("usage: affetto-bench-analyze untrained OUT.safetensors [FILELIST] | profile MODEL FILELIST");
    return 2;
}
var settings = new FrontEndSettings();
if (args.Length > 2)
{
    var files = File.ReadAllLines(args[2]).Where(l => l.Length > 0).ToArray();
    var pick = Enumerable.Range(0, Math.Min(8, files.Length)).Select(i => files[i * files.Length / Math.Min(8, files.Length)]);
    var frontEnd = new EmotionFrontEnd(settings);
    int h = settings.SpectrogramHeight, w = settings.SpectrogramWidth;
    var sum = new double[h];
    var sumSq = new double[h];
    long n = 0;
    foreach (string file in pick)
    {
        var batch = frontEnd.ComputeRaw(AudioFile.Load(file, settings.SampleRate, mono: true).Samples);
        for (int s = 0; s < batch.Count; s++)
        {
            var image = batch.Image(s);
            for (int r = 0; r < h; r++)
                foreach (float v in image.Slice(r * w, w))
                {
                    sum[r] += v;
                    sumSq[r] += (double)v * v;
                }
        }
        n += (long)batch.Count * w;
    }
    if (n > 0)
    {
        var mean = sum.Select(s => (float)(s / n)).ToArray();
        var std = sumSq.Select((s, r) => (float)Math.Max(Math.Sqrt(Math.Max(s / n - mean[r] * (double)mean[r], 0)), 1e-3)).ToArray();
        settings = settings with { SpectrogramMean = mean, SpectrogramStd = std };
    }
}
var model = EmotionModel.Create(settings, EmotionModel.SpecFor(Architecture.Cnn4, settings), Quadrants.Labels, seed: 1)
    .With(new ModelProvenance { Epochs = 0, Command = "bench/analyze: UNTRAINED cnn4, freshly initialised (seed 1), for timing only" });
model.Save(args[1]);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"UNTRAINED cnn4 (seed 1, never trained: timing only), front end {settings.SpectrogramHeight}x{settings.SpectrogramWidth} STFT dB, statistics {(settings.SpectrogramMean is null ? "none" : "from 8 files")}"));
return 0;

/// <summary>
/// Where the time of an analysis goes, one file after another on this thread (the network's kernels use their usual
/// threads): decode + resample, front end, network. Prints: audio_s decode_s frontend_s network_s (wall seconds).
/// </summary>
internal static class Profile
{
    public static int Run(string modelPath, string list)
    {
        var model = EmotionModel.Load(modelPath);
        var files = File.ReadAllLines(list).Where(l => l.Length > 0).ToArray();
        var frontEnd = new EmotionFrontEnd(model.FrontEnd);
        // The network as `affetto analyze` runs it (cnn4 folded), else the model's own predictor.
        var predict = FoldedPredictor.TryCreate(model.Network) ?? model.PredictProbabilities;
        predict(frontEnd.Compute(AudioFile.Load(files[0], model.FrontEnd.SampleRate, mono: true).Samples));
        double audio = 0, decode = 0, front = 0, network = 0;
        foreach (string file in files)
        {
            long t0 = Stopwatch.GetTimestamp();
            var samples = AudioFile.Load(file, model.FrontEnd.SampleRate, mono: true).Samples;
            long t1 = Stopwatch.GetTimestamp();
            var batch = frontEnd.Compute(samples);
            long t2 = Stopwatch.GetTimestamp();
            predict(batch);
            long t3 = Stopwatch.GetTimestamp();
            audio += samples.Length / (double)model.FrontEnd.SampleRate;
            decode += Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
            front += Stopwatch.GetElapsedTime(t1, t2).TotalSeconds;
            network += Stopwatch.GetElapsedTime(t2, t3).TotalSeconds;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{audio:F3} {decode:F4} {front:F4} {network:F4}"));
        return 0;
    }
}
