using Affetto.Audio.IO;

namespace Affetto.Audio.Tests.IO;

/// <summary>Windows (offset/duration) and the block reader agree with a full <see cref="AudioFile.Load"/>.</summary>
public sealed class StreamingTests
{
    private const int Frames = 70001; // several 16384-frame blocks plus a ragged tail
    private const int Rate = 44100;

    public static TheoryData<string, int> Files() => new()
    {
        { ".wav", 1 }, { ".wav", 2 }, { ".flac", 2 }, { ".aiff", 3 }, { ".au", 1 },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_Window_EqualsSliceOfFullLoad(string extension, int channels)
    {
        using var dir = new TempDir();
        string path = Write(dir, extension, channels);
        foreach (bool mono in new[] { false, true })
        {
            var full = AudioFile.Load(path, sampleRate: null, mono: mono);
            int outChannels = mono ? 1 : channels;
            foreach (var (start, length) in new[] { (0, 100), (1, 16384), (16383, 16386), (50000, 20001), (69000, 5000) })
            {
                double offset = (start + 0.5) / Rate, duration = (length + 0.5) / Rate;
                var window = AudioFile.Load(path, sampleRate: null, mono: mono, offset: offset, duration: duration);
                int expectedFrames = Math.Min(length, Frames - start);
                Assert.Equal(expectedFrames, window.Frames);
                Assert.Equal(full.Samples.AsSpan(start * outChannels, expectedFrames * outChannels).ToArray(), window.Samples);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_WindowResampled_EqualsResampledNativeWindow(string extension, int channels)
    {
        using var dir = new TempDir();
        string path = Write(dir, extension, channels);
        var native = AudioFile.Load(path, sampleRate: null, mono: true, offset: 10000.5 / Rate, duration: 30000.5 / Rate);
        var expected = Resampler.Resample(native.Samples, Rate, 22050);
        var window = AudioFile.Load(path, sampleRate: 22050, mono: true, offset: 10000.5 / Rate, duration: 30000.5 / Rate);
        Assert.Equal(15000, window.Frames);
        SoundfileReferenceTests.AssertClose(expected, window.Samples, 1e-6f);
    }

    public static TheoryData<string, int, int?, bool> ReaderCases() => new()
    {
        { ".wav", 1, null, true }, { ".wav", 2, null, false }, { ".wav", 2, null, true }, { ".flac", 2, 22050, true },
        { ".flac", 2, 16000, false }, { ".aiff", 3, 48000, true }, { ".au", 1, 8000, true },
    };

    [Theory]
    [MemberData(nameof(ReaderCases))]
    public void StreamReader_RandomBlockSizes_EqualsLoad(string extension, int channels, int? sampleRate, bool mono)
    {
        using var dir = new TempDir();
        string path = Write(dir, extension, channels);
        foreach (var (offset, duration) in new (double, double?)[] { (0, null), (0.1, 0.9), (1.2, null) })
        {
            var expected = AudioFile.Load(path, sampleRate, mono, offset, duration);
            using var reader = AudioStreamReader.Open(path, sampleRate, mono, offset, duration);
            Assert.Equal(expected.SampleRate, reader.SampleRate);
            Assert.Equal(expected.Channels, reader.Channels);
            Assert.Equal(channels, reader.Info.Channels);
            var random = new Random(channels * 31 + (sampleRate ?? 0));
            var collected = new List<float>();
            var buffer = new float[40000 * reader.Channels];
            while (true)
            {
                int frames = random.Next(4) == 0 ? random.Next(1, 8) : random.Next(1, 40000);
                int n = reader.Read(buffer.AsSpan(0, frames * reader.Channels));
                if (n == 0)
                    break;
                Assert.True(n <= frames);
                collected.AddRange(buffer.AsSpan(0, n * reader.Channels).ToArray());
            }
            Assert.Equal(0, reader.Read(buffer));
            Assert.Equal(expected.Samples.Length, collected.Count);
            SoundfileReferenceTests.AssertClose(expected.Samples, collected.ToArray(), 1e-6f);
        }
    }

    [Fact]
    public void StreamReader_FillsDestinationUntilTheEnd()
    {
        using var dir = new TempDir();
        string path = Write(dir, ".wav", 2);
        using var reader = AudioStreamReader.Open(path, sampleRate: 22050);
        var buffer = new float[10000];
        long total = 0;
        int n;
        while ((n = reader.Read(buffer)) == buffer.Length)
            total += n;
        total += n;
        Assert.Equal((long)Math.Ceiling(Frames * 0.5), total);
        Assert.Equal(0, reader.Read(buffer));
    }

    [Fact]
    public void Load_DurationBeyondEnd_StopsAtEnd()
    {
        using var dir = new TempDir();
        string path = Write(dir, ".flac", 1);
        Assert.Equal(Frames - 44100, AudioFile.Load(path, sampleRate: null, offset: 1.0, duration: 100).Frames);
    }

    [Fact]
    public void Load_TinyDuration_LoadsNothingLikeLibrosa()
    {
        using var dir = new TempDir();
        string path = Write(dir, ".wav", 1);
        Assert.Empty(AudioFile.Load(path, sampleRate: null, duration: 0.1 / Rate).Samples); // int(duration * sr) == 0
    }

    /// <summary>An hour of 44.1 kHz stereo streamed to 22.05 kHz mono allocates only the reader's fixed buffers.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void StreamReader_OneHourFile_UsesBoundedMemory()
    {
        using var dir = new TempDir();
        string path = dir.File("hour.wav");
        const int seconds = 3600;
        using (var stream = File.Create(path))
        {
            long dataBytes = (long)seconds * Rate * 2 * 2;
            var header = IoTestSupport.Wav(1, 2, Rate, 16, []);
            BitConverter.TryWriteBytes(header.AsSpan(4), (int)(36 + dataBytes));
            BitConverter.TryWriteBytes(header.AsSpan(40), (int)dataBytes);
            stream.Write(header);
            var second = new byte[Rate * 4];
            for (int i = 0; i < Rate; i++)
            {
                short v = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / Rate));
                BitConverter.TryWriteBytes(second.AsSpan(4 * i), v);
                BitConverter.TryWriteBytes(second.AsSpan(4 * i + 2), v);
            }
            for (int s = 0; s < seconds; s++)
                stream.Write(second);
        }

        using var reader = AudioStreamReader.Open(path, sampleRate: 22050, mono: true);
        var buffer = new float[8192];
        long total = 0;
        double peak = 0;
        reader.Read(buffer);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int n; (n = reader.Read(buffer)) > 0;)
        {
            total += n;
            peak = Math.Max(peak, Math.Abs(buffer[n / 2]));
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal((long)seconds * 22050 - 8192, total);
        Assert.InRange(peak, 0.2, 0.25);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes while streaming");
    }

    private static string Write(TempDir dir, string extension, int channels)
    {
        string path = dir.File("s" + extension);
        AudioFile.Save(path, IoTestSupport.Signal(Frames, channels, Rate, seed: channels), Rate, channels, AudioSampleFormat.Pcm24);
        return path;
    }
}
