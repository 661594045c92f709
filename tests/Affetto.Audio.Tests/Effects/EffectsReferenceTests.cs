using System.Runtime.CompilerServices;
using System.Text.Json;
using Affetto.Audio.Effects;

namespace Affetto.Audio.Tests.Effects;

/// <summary>Compares against torchaudio/torch references written by Fixtures/generate_effects.py.</summary>
public class EffectsReferenceTests
{
    private static JsonElement Load([CallerFilePath] string source = "")
    {
        var candidates = new List<string> { Path.Combine(Path.GetDirectoryName(source) ?? ".", "..", "Fixtures", "effects", "effects.json") };
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            candidates.Add(Path.Combine(d.FullName, "tests", "Affetto.Audio.Tests", "Fixtures", "effects", "effects.json"));
        string path = candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException("Fixtures/effects/effects.json not found; run Fixtures/generate_effects.py");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
    }

    public static TheoryData<int> FadeCases()
    {
        var d = new TheoryData<int>();
        int n = Load().GetProperty("fades").GetArrayLength();
        for (int i = 0; i < n; i++) d.Add(i);
        return d;
    }

    [Theory]
    [MemberData(nameof(FadeCases))]
    public void Fade_MatchesTorchaudioFade(int index)
    {
        JsonElement root = Load();
        int sr = root.GetProperty("sample_rate").GetInt32();
        float[] x = root.GetProperty("input").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        JsonElement c = root.GetProperty("fades")[index];
        var curve = Enum.Parse<FadeCurve>(c.GetProperty("curve").GetString()!);
        int nIn = c.GetProperty("fade_in_frames").GetInt32(), nOut = c.GetProperty("fade_out_frames").GetInt32();
        float[] expected = c.GetProperty("output").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Fade.Apply(x, sr, (double)nIn / sr, (double)nOut / sr, curve);
        for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(expected[i] - x[i]) < 2e-6, $"{curve} sample {i}: {x[i]} vs torchaudio {expected[i]}");
    }

    [Fact]
    public void Segmenter_DropPolicy_MatchesTorchUnfold()
    {
        foreach (JsonElement s in Load().GetProperty("segments").EnumerateArray())
        {
            int n = s.GetProperty("signal_length").GetInt32(), size = s.GetProperty("size").GetInt32(), step = s.GetProperty("step").GetInt32();
            int[] starts = s.GetProperty("starts").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            SegmentRange[] ranges = Segmenter.Ranges(n, 1000, size / 1000.0, step / 1000.0);
            Assert.Equal(s.GetProperty("count").GetInt32(), ranges.Length);
            Assert.Equal(starts, ranges.Select(r => r.Start));
            Assert.All(ranges, r => Assert.Equal(size, r.Length));
        }
    }
}
