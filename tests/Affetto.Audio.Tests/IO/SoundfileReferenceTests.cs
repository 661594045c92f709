using System.Text.Json;
using Affetto.Audio.IO;

namespace Affetto.Audio.Tests.IO;

/// <summary>
/// Decoding of every file in shared/data/codecs against python-soundfile (fixtures from generate_codecs.py).
/// Skips (returns early) when the shared data is absent.
/// </summary>
public sealed class SoundfileReferenceTests
{
    private sealed record Reference(
        string Path, int SampleRate, int Channels, long Frames, string Format, string Subtype,
        long DecodedFrames, double Sum, double SumSquares, bool SeekMatchesFull, int SliceStart, float[] Slice);

    private static readonly Lazy<Dictionary<string, Reference>> s_references = new(Load);

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var key in s_references.Value.Keys.Order(StringComparer.Ordinal))
            data.Add(key);
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ReadInfo_SharedFile_MatchesSoundfileInfo(string file)
    {
        if (Resolve(file) is not { } path)
            return;
        var expected = s_references.Value[file];
        var info = AudioFile.ReadInfo(path);
        Assert.Equal(path, info.Path);
        Assert.Equal(expected.SampleRate, info.SampleRate);
        Assert.Equal(expected.Channels, info.Channels);
        Assert.Equal(expected.Frames, info.Frames);
        // soundfile calls SF_FORMAT_MPEG "MP3"; we keep libsndfile's name.
        Assert.Equal(expected.Format == "MP3" ? "MPEG" : expected.Format, info.Format);
        Assert.Equal(expected.Subtype, info.Codec);
        Assert.Equal(expected.Frames / (double)expected.SampleRate, info.Duration, 12);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_NativeRateAllChannels_MatchesSoundfileDecode(string file)
    {
        if (Resolve(file) is not { } path)
            return;
        var expected = s_references.Value[file];
        var audio = AudioFile.Load(path, sampleRate: null, mono: false);
        Assert.Equal(expected.SampleRate, audio.SampleRate);
        Assert.Equal(expected.Channels, audio.Channels);
        Assert.Equal(expected.DecodedFrames, audio.Frames);

        double sum = 0, sumSquares = 0;
        foreach (float v in audio.Samples)
        {
            sum += v;
            sumSquares += (double)v * v;
        }
        // libsndfile's MPEG path rounds differently depending on the read block size (soundfile reads the whole
        // file in one call, we read 16384-frame blocks): samples then differ by up to 2.4e-7. Lossless decodes match.
        double perSample = expected.Subtype.StartsWith("MPEG", StringComparison.Ordinal) ? 2.5e-7 : 1e-12;
        double n = audio.Samples.Length;
        Assert.Equal(expected.Sum, sum, 1e-9 + n * perSample);
        Assert.Equal(expected.SumSquares, sumSquares, 1e-9 * expected.SumSquares + 2 * n * perSample);

        if (expected.SeekMatchesFull)
        {
            var slice = audio.Samples.AsSpan(expected.SliceStart * expected.Channels, expected.Slice.Length);
            AssertClose(expected.Slice, slice, 1e-6f);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_OffsetAndDuration_MatchesSoundfileSeekAndRead(string file)
    {
        if (Resolve(file) is not { } path)
            return;
        var expected = s_references.Value[file];
        int frames = expected.Slice.Length / expected.Channels;
        // +0.5 frame so that int(offset * sr) lands on the intended frame despite rounding in seconds.
        double offset = (expected.SliceStart + 0.5) / expected.SampleRate;
        double duration = (frames + 0.5) / expected.SampleRate;
        var audio = AudioFile.Load(path, sampleRate: null, mono: false, offset: offset, duration: duration);
        Assert.Equal(frames, audio.Frames);
        AssertClose(expected.Slice, audio.Samples, 1e-6f);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_MonoNativeRate_IsChannelMeanOfSoundfileSlice(string file)
    {
        if (Resolve(file) is not { } path)
            return;
        var expected = s_references.Value[file];
        int frames = expected.Slice.Length / expected.Channels;
        double offset = (expected.SliceStart + 0.5) / expected.SampleRate;
        double duration = (frames + 0.5) / expected.SampleRate;
        var audio = AudioFile.Load(path, sampleRate: null, mono: true, offset: offset, duration: duration);
        Assert.Equal(1, audio.Channels);
        var mean = new float[frames];
        for (int f = 0; f < frames; f++)
        {
            float s = 0;
            for (int c = 0; c < expected.Channels; c++)
                s += expected.Slice[f * expected.Channels + c];
            mean[f] = s / expected.Channels;
        }
        AssertClose(mean, audio.Samples, 1e-6f);
    }

    public static TheoryData<string> FormatFiles()
    {
        var data = new TheoryData<string>();
        foreach (var key in s_references.Value.Keys.Where(k => k.StartsWith("codecs/formats/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            data.Add(key);
        return data;
    }

    [Theory]
    [MemberData(nameof(FormatFiles))]
    public void Load_Default22050Mono_HasLibrosaLength(string file)
    {
        if (Resolve(file) is not { } path)
            return;
        var expected = s_references.Value[file];
        var audio = AudioFile.Load(path);
        Assert.Equal(22050, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.Equal((long)Math.Ceiling(expected.DecodedFrames * (22050.0 / expected.SampleRate)), audio.Frames);
        // Resampling keeps the level of content below the new Nyquist: RMS within 10 % of the native-rate mono mix.
        var native = AudioFile.Load(path, sampleRate: null);
        double rms = Math.Sqrt(audio.Samples.Average(v => (double)v * v));
        double nativeRms = Math.Sqrt(native.Samples.Average(v => (double)v * v));
        Assert.InRange(rms / nativeRms, 0.9, 1.01);
    }

    internal static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > tolerance)
                Assert.Fail($"sample {i}: expected {expected[i]}, got {actual[i]} (tolerance {tolerance})");
        }
    }

    private static string? Resolve(string file)
    {
        string? data = IoTestSupport.SharedData();
        if (data is null)
            return null; // shared data absent: nothing to compare against
        string path = Path.Combine(data, file);
        return File.Exists(path) ? path : null;
    }

    private static Dictionary<string, Reference> Load()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(IoTestSupport.Fixture("codecs/soundfile_reference.json")));
        var result = new Dictionary<string, Reference>();
        foreach (var e in json.RootElement.GetProperty("files").EnumerateArray())
        {
            var bytes = Convert.FromBase64String(e.GetProperty("slice").GetString()!);
            var slice = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, slice, 0, bytes.Length);
            var r = new Reference(
                e.GetProperty("path").GetString()!, e.GetProperty("samplerate").GetInt32(), e.GetProperty("channels").GetInt32(),
                e.GetProperty("frames").GetInt64(), e.GetProperty("format").GetString()!, e.GetProperty("subtype").GetString()!,
                e.GetProperty("decodedFrames").GetInt64(), e.GetProperty("sum").GetDouble(), e.GetProperty("sumSquares").GetDouble(),
                e.GetProperty("seekMatchesFull").GetBoolean(), e.GetProperty("sliceStart").GetInt32(), slice);
            result[r.Path] = r;
        }
        return result;
    }
}
