using System.Text;
using Affetto.Audio.IO;

namespace Affetto.Audio.Tests.IO;

/// <summary>Every rejected input raises the documented exception type with a message that names the file.</summary>
public sealed class ErrorTests
{
    private static readonly Func<string, object>[] s_readers =
    [
        p => AudioFile.ReadInfo(p),
        p => AudioFile.Load(p),
        p => AudioFile.Load(p, sampleRate: null, mono: false),
        p => ReadToEnd(p),
    ];

    private static long ReadToEnd(string path)
    {
        using var reader = AudioStreamReader.Open(path);
        var block = new float[4096];
        long total = 0;
        for (int n; (n = reader.Read(block)) > 0;)
            total += n;
        return total;
    }

    public static TheoryData<int> Readers() => new(Enumerable.Range(0, s_readers.Length));

    [Theory]
    [MemberData(nameof(Readers))]
    public void MissingFile_ThrowsAudioExceptionFileNotFound(int reader)
    {
        using var dir = new TempDir();
        string path = dir.File("b.wav");
        var ex = Assert.Throws<AudioException>(() => s_readers[reader](path));
        Assert.Equal($"{path}: file not found", ex.Message);
        Assert.Equal(path, ex.Path);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Directory_ThrowsAudioExceptionNamingIt(int reader)
    {
        using var dir = new TempDir();
        var ex = Assert.Throws<AudioException>(() => s_readers[reader](dir.Path));
        Assert.StartsWith(dir.Path + ": is a directory", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void EmptyFile_ThrowsDecodeExceptionFileIsEmpty(int reader)
    {
        using var dir = new TempDir();
        string path = dir.Write("a.wav", []);
        var ex = Assert.Throws<AudioDecodeException>(() => s_readers[reader](path));
        Assert.Equal($"{path}: file is empty", ex.Message);
        Assert.Equal(path, ex.Path);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void TextFileNamedMp3_ThrowsNotARecognisedFormat(int reader)
    {
        using var dir = new TempDir();
        string path = dir.Write("song.mp3", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("this is not audio\n", 50))));
        var ex = Assert.Throws<AudioDecodeException>(() => s_readers[reader](path));
        Assert.StartsWith($"{path}: not a recognised audio format (libsndfile: ", ex.Message);
        Assert.NotNull(ex.LibraryError);
    }

    [Fact]
    public void TextFileNamedWav_ReportsLibsndfileText()
    {
        using var dir = new TempDir();
        string path = dir.Write("song.wav", Encoding.UTF8.GetBytes("hello, world, this is plain text and nothing else"));
        var ex = Assert.Throws<AudioDecodeException>(() => AudioFile.Load(path));
        Assert.Equal($"{path}: not a recognised audio format (libsndfile: Format not recognised)", ex.Message);
        Assert.Equal("Format not recognised", ex.LibraryError);
    }

    [Fact]
    public void WavWithNaN_ThrowsDecodeExceptionAtThatFrame()
    {
        using var dir = new TempDir();
        var samples = new float[40000];
        samples[20001] = float.NaN;
        string path = dir.Write("c.wav", IoTestSupport.WavFloat(2, 8000, samples));
        foreach (var read in s_readers.Skip(1))
        {
            var ex = Assert.Throws<AudioDecodeException>(() => read(path));
            Assert.Equal($"{path}: contains NaN or infinite samples (first at frame 10000)", ex.Message);
        }
    }

    [Theory]
    [InlineData(float.PositiveInfinity, 0)]
    [InlineData(float.NegativeInfinity, 16383)]
    [InlineData(float.NaN, 16384)]
    [InlineData(float.NaN, 99999)]
    public void WavWithNonFiniteSample_ThrowsAtTheRightFrame(float bad, int index)
    {
        using var dir = new TempDir();
        var samples = new float[100000];
        samples[index] = bad;
        string path = dir.Write("c.wav", IoTestSupport.WavFloat(1, 8000, samples));
        var ex = Assert.Throws<AudioDecodeException>(() => AudioFile.Load(path, sampleRate: null));
        Assert.Equal($"{path}: contains NaN or infinite samples (first at frame {index})", ex.Message);
    }

    [Fact]
    public void WavWithNaNOutsideWindow_LoadsWindow()
    {
        using var dir = new TempDir();
        var samples = new float[8000];
        samples[7000] = float.NaN;
        string path = dir.Write("c.wav", IoTestSupport.WavFloat(1, 8000, samples));
        Assert.Equal(4000, AudioFile.Load(path, sampleRate: null, duration: 0.5).Frames);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(768001)]
    [InlineData(2000000)]
    public void UnsupportedSampleRate_ThrowsDecodeExceptionWithRate(int rate)
    {
        using var dir = new TempDir();
        string path = dir.Write("d.wav", IoTestSupport.WavPcm16(1, rate, 1, 2, 3, 4));
        foreach (var read in s_readers)
        {
            var ex = Assert.Throws<AudioDecodeException>(() => read(path));
            Assert.StartsWith($"{path}: unsupported sample rate {rate} Hz", ex.Message);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    [InlineData(300)]
    [InlineData(2000)]
    public void UnsupportedChannelCount_ThrowsDecodeExceptionWithCount(int channels)
    {
        using var dir = new TempDir();
        string path = dir.Write("e.wav", IoTestSupport.Wav(1, channels, 8000, 16, new byte[Math.Max(2, channels * 2) * 2]));
        foreach (var read in s_readers)
        {
            var ex = Assert.Throws<AudioDecodeException>(() => read(path));
            Assert.StartsWith($"{path}: unsupported channel count {channels}", ex.Message);
        }
    }

    [Fact]
    public void SixtyFourChannels_IsAccepted()
    {
        using var dir = new TempDir();
        string path = dir.Write("e.wav", IoTestSupport.Wav(1, 64, 8000, 16, new byte[64 * 2 * 3]));
        Assert.Equal(64, AudioFile.ReadInfo(path).Channels);
        Assert.Equal(3, AudioFile.Load(path, sampleRate: null).Frames);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    public void TruncatedFlac_ThrowsTruncatedNamingFrame(double keep)
    {
        using var dir = new TempDir();
        string whole = dir.File("whole.flac");
        AudioFile.Save(whole, IoTestSupport.Signal(50000, 2, 22050), 22050, 2);
        var bytes = File.ReadAllBytes(whole);
        string path = dir.Write("x.flac", bytes[..(int)(bytes.Length * keep)]);
        Assert.Equal(50000, AudioFile.ReadInfo(path).Frames); // STREAMINFO still declares the full length
        foreach (var read in s_readers.Skip(1))
        {
            var ex = Assert.Throws<AudioDecodeException>(() => read(path));
            Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(path)}: file is truncated or corrupt at frame \\d+", ex.Message);
        }
    }

    [Fact]
    public void TruncatedFlac_WindowBeforeTheCut_Loads()
    {
        using var dir = new TempDir();
        string whole = dir.File("whole.flac");
        AudioFile.Save(whole, IoTestSupport.Signal(50000, 1, 22050), 22050);
        var bytes = File.ReadAllBytes(whole);
        string path = dir.Write("x.flac", bytes[..(bytes.Length / 2)]);
        Assert.Equal(2205, AudioFile.Load(path, sampleRate: null, duration: 0.1).Frames);
    }

    [Fact]
    public void TruncatedWav_LoadsWhatIsThere()
    {
        // libsndfile shortens a WAV whose data chunk runs past the end of the file, like soundfile does.
        using var dir = new TempDir();
        var bytes = IoTestSupport.WavPcm16(1, 8000, Enumerable.Range(0, 1000).Select(i => (short)i).ToArray());
        string path = dir.Write("t.wav", bytes[..(44 + 2 * 600)]);
        var audio = AudioFile.Load(path, sampleRate: null);
        Assert.Equal(600, audio.Frames);
        Assert.Equal(599 / 32768f, audio.Samples[599]);
    }

    public static TheoryData<int?, double, double?, string> BadOptions() => new()
    {
        { 0, 0, null, "sampleRate" },
        { -22050, 0, null, "sampleRate" },
        { 768001, 0, null, "sampleRate" },
        { 22050, -0.5, null, "offset" },
        { 22050, double.NaN, null, "offset" },
        { 22050, double.PositiveInfinity, null, "offset" },
        { 22050, 0, 0.0, "duration" },
        { 22050, 0, -1.0, "duration" },
        { 22050, 0, double.NaN, "duration" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void AbsurdOptions_ThrowArgumentOutOfRangeNamingParameter(int? sampleRate, double offset, double? duration, string parameter)
    {
        using var dir = new TempDir();
        string path = dir.Write("ok.wav", IoTestSupport.WavPcm16(1, 8000, 1, 2, 3));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => AudioFile.Load(path, sampleRate, offset: offset, duration: duration));
        Assert.Equal(parameter, ex.ParamName);
        var streaming = Assert.Throws<ArgumentOutOfRangeException>(() => AudioStreamReader.Open(path, sampleRate, offset: offset, duration: duration));
        Assert.Equal(parameter, streaming.ParamName);
    }

    [Fact]
    public void NullOrEmptyPath_ThrowsArgumentException()
    {
        Assert.ThrowsAny<ArgumentException>(() => AudioFile.Load(""));
        Assert.ThrowsAny<ArgumentException>(() => AudioFile.ReadInfo(null!));
    }

    [Fact]
    public void OffsetPastEnd_LoadsEmpty()
    {
        using var dir = new TempDir();
        string path = dir.Write("ok.wav", IoTestSupport.WavPcm16(1, 8000, 1, 2, 3));
        var audio = AudioFile.Load(path, offset: 10);
        Assert.Empty(audio.Samples);
    }

    [Fact]
    public void StreamReader_DestinationSmallerThanAFrame_ThrowsArgumentException()
    {
        using var dir = new TempDir();
        string path = dir.Write("s.wav", IoTestSupport.WavPcm16(2, 8000, 1, 2, 3, 4));
        using var reader = AudioStreamReader.Open(path, sampleRate: null, mono: false);
        Assert.Throws<ArgumentException>(() => reader.Read(new float[1]));
        Assert.Equal(0, reader.Read(Span<float>.Empty));
    }

    [Fact]
    public void StreamReader_AfterDispose_ThrowsObjectDisposed()
    {
        using var dir = new TempDir();
        string path = dir.Write("s.wav", IoTestSupport.WavPcm16(1, 8000, 1, 2, 3, 4));
        var reader = AudioStreamReader.Open(path);
        reader.Dispose();
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.Read(new float[8]));
    }
}
