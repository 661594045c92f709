// Features benchmark: decode + resample to 22050 Hz mono + 128-band log-mel (nFft 2048, hop 512) of every file
// in a list, on all cores. Prints one line: audio_seconds wall_seconds cores decode_s feature_s files process_cpu_s
// (decode_s / feature_s: summed per-file stage times over all threads).
using System.Diagnostics;
using Affetto.Audio.Features;
using Affetto.Audio.IO;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Affetto.Bench.Features FILELIST [CORES]");
    return 2;
}
var files = File.ReadAllLines(args[0]).Where(l => l.Length > 0).ToArray();
int cores = args.Length > 1 ? int.Parse(args[1]) : Environment.ProcessorCount;
var options = new SpectrogramOptions { SampleRate = 22050, NFft = 2048, HopLength = 512, NMels = 128 };
var fx = new FeatureExtractor(options);

// Warm-up (JIT, plans, libsndfile) on the first file, not timed.
fx.LogMel(AudioFile.Load(files[0], 22050, mono: true).Samples);

double audioSeconds = 0;
long decodeTicks = 0, featureTicks = 0, checksumBits = 0;
var proc = Process.GetCurrentProcess();
var cpu0 = proc.TotalProcessorTime;
var sw = Stopwatch.StartNew();
Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = cores }, path =>
{
    long t0 = Stopwatch.GetTimestamp();
    var audio = AudioFile.Load(path, 22050, mono: true);
    long t1 = Stopwatch.GetTimestamp();
    var logMel = fx.LogMel(audio.Samples);
    long t2 = Stopwatch.GetTimestamp();
    Interlocked.Add(ref decodeTicks, t1 - t0);
    Interlocked.Add(ref featureTicks, t2 - t1);
    Interlocked.Add(ref checksumBits, (long)logMel.Data[logMel.Data.Length / 2]);
    lock (files) audioSeconds += audio.Samples.Length / 22050.0;
});
sw.Stop();
proc.Refresh();
double cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
double f = Stopwatch.Frequency;
Console.WriteLine(FormattableString.Invariant(
    $"{audioSeconds:F3} {sw.Elapsed.TotalSeconds:F4} {cores} {decodeTicks / f:F4} {featureTicks / f:F4} {files.Length} {cpu:F4}"));
return 0;
