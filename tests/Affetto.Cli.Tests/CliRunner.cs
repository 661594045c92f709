using System.Text;

namespace Affetto.Cli.Tests;

/// <summary>Runs the command line in-process and captures what it printed.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Err);

    public static Result Run(params string[] args)
    {
        var output = new StringWriter(new StringBuilder());
        var error = new StringWriter(new StringBuilder());
        int code = CliApp.Run(args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }
}

/// <summary>A temporary folder deleted at the end of a test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "affetto-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Small test signals.</summary>
internal static class Signals
{
    public static float[] Sine(double frequency, double seconds, int sampleRate, double amplitude = 0.5)
    {
        var y = new float[(int)Math.Round(seconds * sampleRate)];
        for (int i = 0; i < y.Length; i++) y[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        return y;
    }

    public static float[] Noise(double seconds, int sampleRate, int seed, double amplitude = 0.1)
    {
        var rng = new Random(seed);
        var y = new float[(int)Math.Round(seconds * sampleRate)];
        for (int i = 0; i < y.Length; i++) y[i] = (float)(amplitude * (rng.NextDouble() * 2 - 1));
        return y;
    }
}
