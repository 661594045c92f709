using Affetto.Audio.IO;

namespace Affetto.Audio.Tests.Features;

/// <summary>Locates and loads the reference arrays written by Fixtures/generate_features.py, and compares arrays.</summary>
internal static class FeatureFixtures
{
    private static readonly Lazy<string> s_dir = new(() => Locate());

    internal static string Directory => s_dir.Value;

    private static string Locate([System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        // Next to this source file first (tests/Affetto.Audio.Tests/Features/..), then above the test binaries.
        var fromSource = Path.Combine(Path.GetDirectoryName(source) ?? ".", "..", "Fixtures", "features");
        if (File.Exists(Path.Combine(fromSource, "features.json"))) return Path.GetFullPath(fromSource);
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d != null)
        {
            var candidate = Path.Combine(d.FullName, "tests", "Affetto.Audio.Tests", "Fixtures", "features");
            if (File.Exists(Path.Combine(candidate, "features.json"))) return candidate;
            d = d.Parent;
        }
        throw new DirectoryNotFoundException("Fixtures/features not found above " + AppContext.BaseDirectory);
    }

    internal static NpyArray Load(string name) => NpyReader.Read(Path.Combine(s_dir.Value, name + ".npy"));

    internal static float[] Signal(string name) => Load(name).Data;

    /// <summary>
    /// The error metric used by every fixture comparison: max |actual - expected| divided by max |expected|
    /// (relative to the largest magnitude, so values near zero are judged on the array's scale).
    /// </summary>
    internal static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxErr = 0, maxRef = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.False(float.IsNaN(actual[i]), $"NaN at {i}");
            maxErr = Math.Max(maxErr, Math.Abs((double)actual[i] - expected[i]));
            maxRef = Math.Max(maxRef, Math.Abs((double)expected[i]));
        }
        return maxRef == 0 ? maxErr : maxErr / maxRef;
    }

    internal static void AssertClose(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double tolerance, string what)
    {
        double e = RelativeError(actual, expected);
        Assert.True(e < tolerance, $"{what}: relative error {e:E3} >= {tolerance:E1}");
    }

    internal static float[] Noise(int n, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = scale * (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
