// Features benchmark: decode + resample to 22050 Hz mono + 128-band log-mel (nFft 2048, hop 512) of every file
// in a list, on all cores. Prints one line: audio_seconds wall_seconds cores decode_s feature_s files process_cpu_s
// (decode_s / feature_s: per-thread CPU seconds of each stage, summed over files).
using System.Diagnostics;
using System.Runtime.InteropServices;
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
    // Per-thread CPU time (CLOCK_THREAD_CPUTIME_ID): stage costs that other processes on the machine cannot inflate.
    long t0 = ThreadCpu.Nanoseconds();
    var audio = AudioFile.Load(path, 22050, mono: true);
    long t1 = ThreadCpu.Nanoseconds();
    var logMel = fx.LogMel(audio.Samples);
    long t2 = ThreadCpu.Nanoseconds();
    Interlocked.Add(ref decodeTicks, t1 - t0);
    Interlocked.Add(ref featureTicks, t2 - t1);
    Interlocked.Add(ref checksumBits, (long)logMel.Data[logMel.Data.Length / 2]);
    lock (files) audioSeconds += audio.Samples.Length / 22050.0;
});
sw.Stop();
proc.Refresh();
double cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
double f = 1e9;
Console.WriteLine(FormattableString.Invariant(
    $"{audioSeconds:F3} {sw.Elapsed.TotalSeconds:F4} {cores} {decodeTicks / f:F4} {featureTicks / f:F4} {files.Length} {cpu:F4}"));
return 0;

internal static class ThreadCpu
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanos; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec ts);

    public static long Nanoseconds()
    {
        ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var ts);
        return ts.Seconds * 1_000_000_000L + ts.Nanos;
    }
}
