using System.Buffers.Binary;
using Affetto.Audio.IO;

namespace Affetto.Audio.Tests.IO;

/// <summary>Files written by <see cref="AudioFile.Save"/> or by hand read back through <see cref="AudioFile.Load"/>.</summary>
public sealed class RoundTripTests
{
    public static TheoryData<string, AudioSampleFormat, int, string, string, float> LosslessCases() => new()
    {
        // extension, format, channels, expected Format, expected Codec, tolerance
        { ".wav", AudioSampleFormat.Pcm16, 1, "WAV", "PCM_16", 2f / 32768 },
        { ".wav", AudioSampleFormat.Pcm16, 2, "WAV", "PCM_16", 2f / 32768 },
        { ".wav", AudioSampleFormat.Pcm24, 2, "WAV", "PCM_24", 2f / 8388608 },
        { ".wav", AudioSampleFormat.Pcm32, 1, "WAV", "PCM_32", 1e-7f },
        { ".wav", AudioSampleFormat.Float32, 2, "WAV", "FLOAT", 0f },
        { ".flac", AudioSampleFormat.Pcm16, 2, "FLAC", "PCM_16", 2f / 32768 },
        { ".flac", AudioSampleFormat.Pcm24, 1, "FLAC", "PCM_24", 2f / 8388608 },
        { ".aiff", AudioSampleFormat.Pcm16, 2, "AIFF", "PCM_16", 2f / 32768 },
        { ".aif", AudioSampleFormat.Pcm24, 1, "AIFF", "PCM_24", 2f / 8388608 },
        { ".aiff", AudioSampleFormat.Float32, 3, "AIFF", "FLOAT", 0f },
        { ".au", AudioSampleFormat.Pcm16, 1, "AU", "PCM_16", 2f / 32768 },
        { ".au", AudioSampleFormat.Float32, 2, "AU", "FLOAT", 0f },
    };

    [Theory]
    [MemberData(nameof(LosslessCases))]
    public void Save_LosslessContainer_LoadsBackWithinQuantisation(string extension, AudioSampleFormat format, int channels, string container, string codec, float tolerance)
    {
        using var dir = new TempDir();
        string path = dir.File("x" + extension);
        var signal = IoTestSupport.Signal(5000, channels, 16000, seed: channels);
        AudioFile.Save(path, signal, 16000, channels, format);

        var info = AudioFile.ReadInfo(path);
        Assert.Equal((container, codec, 16000, channels, 5000L), (info.Format, info.Codec, info.SampleRate, info.Channels, info.Frames));
        var audio = AudioFile.Load(path, sampleRate: null, mono: false);
        Assert.Equal((16000, channels, 5000L), (audio.SampleRate, audio.Channels, audio.Frames));
        SoundfileReferenceTests.AssertClose(signal, audio.Samples, tolerance);
        Assert.Single(Directory.GetFiles(dir.Path)); // no temporary file left behind
    }

    public static TheoryData<string, int, string, string> LossyCases() => new()
    {
        { ".ogg", 44100, "OGG", "VORBIS" },
        { ".opus", 48000, "OGG", "OPUS" },
        { ".mp3", 44100, "MPEG", "MPEG_LAYER_III" },
    };

    [Theory]
    [MemberData(nameof(LossyCases))]
    public void Save_LossyContainer_KeepsLengthAndWaveform(string extension, int rate, string container, string codec)
    {
        using var dir = new TempDir();
        string path = dir.File("x" + extension);
        int frames = rate; // one second
        var signal = new float[frames];
        for (int i = 0; i < frames; i++)
            signal[i] = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / rate));
        AudioFile.Save(path, signal, rate);

        var info = AudioFile.ReadInfo(path);
        Assert.Equal((container, codec, rate, 1), (info.Format, info.Codec, info.SampleRate, info.Channels));
        var audio = AudioFile.Load(path, sampleRate: null);
        Assert.InRange(audio.Frames, frames - 2304, frames + 2304);
        // Away from the edges the decoded tone keeps its level (RMS 0.5/sqrt 2) within 10 %.
        var middle = audio.Samples.AsSpan(rate / 4, rate / 2);
        double rms = Math.Sqrt(middle.ToArray().Sum(v => (double)v * v) / middle.Length);
        Assert.InRange(rms, 0.5 / Math.Sqrt(2) * 0.9, 0.5 / Math.Sqrt(2) * 1.1);
    }

    [Theory]
    [InlineData(AudioSampleFormat.Pcm16)]
    [InlineData(AudioSampleFormat.Pcm24)]
    [InlineData(AudioSampleFormat.Pcm32)]
    public void Save_PcmOutOfRange_ClipsInsteadOfWrapping(AudioSampleFormat format)
    {
        using var dir = new TempDir();
        string path = dir.File("clip.wav");
        AudioFile.Save(path, [1.5f, -2f, 1f, -1f, 0.25f], 8000, 1, format);
        var audio = AudioFile.Load(path, sampleRate: null);
        Assert.Equal(5, audio.Samples.Length);
        Assert.InRange(audio.Samples[0], 0.9999f, 1f);
        Assert.InRange(audio.Samples[1], -1f, -0.9999f);
        Assert.InRange(audio.Samples[2], 0.9999f, 1f);
        Assert.InRange(audio.Samples[3], -1f, -0.9999f);
        Assert.Equal(0.25f, audio.Samples[4], 1e-4f);
    }

    [Fact]
    public void Save_Float32_KeepsValuesAboveFullScale()
    {
        using var dir = new TempDir();
        string path = dir.File("hot.wav");
        float[] samples = [1.5f, -2f, 0.125f];
        AudioFile.Save(path, samples, 8000, 1, AudioSampleFormat.Float32);
        Assert.Equal(samples, AudioFile.Load(path, sampleRate: null).Samples);
    }

    [Fact]
    public void Save_ExistingFile_IsReplaced()
    {
        using var dir = new TempDir();
        string path = dir.File("a.wav");
        AudioFile.Save(path, new float[100], 8000);
        AudioFile.Save(path, new float[30], 8000);
        Assert.Equal(30, AudioFile.Load(path, sampleRate: null).Frames);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Save_NoSamples_WritesEmptyFileThatLoadsEmpty()
    {
        using var dir = new TempDir();
        string path = dir.File("none.wav");
        AudioFile.Save(path, ReadOnlySpan<float>.Empty, 8000);
        Assert.Equal(0, AudioFile.ReadInfo(path).Frames);
        var audio = AudioFile.Load(path);
        Assert.Empty(audio.Samples);
        Assert.Equal(22050, audio.SampleRate);
    }

    [Fact]
    public void Load_HandMadePcm16Wav_ScalesByTwoToThe15()
    {
        using var dir = new TempDir();
        string path = dir.Write("h.wav", IoTestSupport.WavPcm16(1, 8000, 0, 16384, -32768, 32767, -1));
        var audio = AudioFile.Load(path, sampleRate: null);
        Assert.Equal([0f, 0.5f, -1f, 32767f / 32768, -1f / 32768], audio.Samples);
        Assert.Equal(8000, audio.SampleRate);
    }

    [Fact]
    public void Load_HandMadeStereoWav_MonoIsChannelMean()
    {
        using var dir = new TempDir();
        short[] interleaved = [1000, 3000, -2000, 2000, 32767, 32767, -32768, 0, 5, 6];
        string path = dir.Write("s.wav", IoTestSupport.WavPcm16(2, 8000, interleaved));
        var stereo = AudioFile.Load(path, sampleRate: null, mono: false);
        Assert.Equal(interleaved.Select(v => v / 32768f).ToArray(), stereo.Samples);
        var mono = AudioFile.Load(path, sampleRate: null);
        var expected = Enumerable.Range(0, 5).Select(f => (interleaved[2 * f] / 32768f + interleaved[2 * f + 1] / 32768f) / 2).ToArray();
        Assert.Equal(expected, mono.Samples);
    }

    [Fact]
    public void Load_HandMadeFloatWav_IsExact()
    {
        using var dir = new TempDir();
        float[] samples = [0f, 0.1f, -0.7f, 1.25f, float.Epsilon, -1e-20f];
        string path = dir.Write("f.wav", IoTestSupport.WavFloat(1, 44100, samples));
        Assert.Equal("FLOAT", AudioFile.ReadInfo(path).Codec);
        Assert.Equal(samples, AudioFile.Load(path, sampleRate: null).Samples);
    }

    [Fact]
    public void Load_HandMadeUnsigned8BitWav_CentresAt128()
    {
        using var dir = new TempDir();
        string path = dir.Write("u8.wav", IoTestSupport.Wav(1, 1, 8000, 8, [128, 0, 255, 192]));
        Assert.Equal("PCM_U8", AudioFile.ReadInfo(path).Codec);
        Assert.Equal([0f, -1f, 127f / 128, 0.5f], AudioFile.Load(path, sampleRate: null).Samples);
    }

    [Fact]
    public void Load_HandMade24BitWav_ScalesByTwoToThe23()
    {
        using var dir = new TempDir();
        var data = new byte[9];
        int[] values = [0x400000, -0x800000, 1];
        for (int i = 0; i < 3; i++)
        {
            data[3 * i] = (byte)values[i];
            data[3 * i + 1] = (byte)(values[i] >> 8);
            data[3 * i + 2] = (byte)(values[i] >> 16);
        }
        string path = dir.Write("p24.wav", IoTestSupport.Wav(1, 1, 48000, 24, data));
        Assert.Equal([0.5f, -1f, 1f / 8388608], AudioFile.Load(path, sampleRate: null).Samples);
    }

    [Fact]
    public void Load_HandMadeBigEndianAu_DecodesUlawAndPcm()
    {
        using var dir = new TempDir();
        // Sun .au: magic, header size 24, data size, encoding 3 (16-bit linear PCM, big-endian), rate, channels.
        var bytes = new byte[24 + 6];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x2E736E64);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), 24);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), 6);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), 3);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), 11025);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(24), 8192);
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(26), -16384);
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(28), 0);
        string path = dir.Write("h.au", bytes);
        var info = AudioFile.ReadInfo(path);
        Assert.Equal(("AU", "PCM_16", 11025, 1, 3L), (info.Format, info.Codec, info.SampleRate, info.Channels, info.Frames));
        Assert.Equal([0.25f, -0.5f, 0f], AudioFile.Load(path, sampleRate: null).Samples);
    }

    public static TheoryData<string, int, int, AudioSampleFormat, int> BadSaveArguments() => new()
    {
        // file name, sample rate, channels, format, sample count
        { "x.xyz", 8000, 1, AudioSampleFormat.Pcm16, 4 },
        { "x", 8000, 1, AudioSampleFormat.Pcm16, 4 },
        { "x.wav", 0, 1, AudioSampleFormat.Pcm16, 4 },
        { "x.wav", 768001, 1, AudioSampleFormat.Pcm16, 4 },
        { "x.wav", 8000, 0, AudioSampleFormat.Pcm16, 4 },
        { "x.wav", 8000, 65, AudioSampleFormat.Pcm16, 65 },
        { "x.wav", 8000, 3, AudioSampleFormat.Pcm16, 4 },
        { "x.flac", 8000, 1, AudioSampleFormat.Float32, 4 },
        { "x.wav", 8000, 1, (AudioSampleFormat)99, 4 },
    };

    [Theory]
    [MemberData(nameof(BadSaveArguments))]
    public void Save_BadArguments_ThrowArgumentException(string name, int rate, int channels, AudioSampleFormat format, int count)
    {
        using var dir = new TempDir();
        var ex = Assert.ThrowsAny<ArgumentException>(() => AudioFile.Save(dir.File(name), new float[count], rate, channels, format));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Save_NonFiniteSample_ThrowsNamingFileAndIndex(float bad)
    {
        using var dir = new TempDir();
        var samples = new float[40];
        samples[37] = bad;
        string path = dir.File("nan.wav");
        var ex = Assert.Throws<ArgumentException>(() => AudioFile.Save(path, samples, 8000));
        Assert.Contains(path, ex.Message);
        Assert.Contains("sample 37", ex.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Save_MissingDirectory_ThrowsAudioExceptionNamingFile()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "no", "such", "dir", "a.wav");
        var ex = Assert.Throws<AudioException>(() => AudioFile.Save(path, new float[10], 8000));
        Assert.StartsWith(path + ":", ex.Message);
        Assert.Equal(path, ex.Path);
    }

    [Fact]
    public void Save_OpusAtUnsupportedRate_ThrowsNamingFile()
    {
        using var dir = new TempDir();
        string path = dir.File("bad.opus");
        var ex = Assert.ThrowsAny<Exception>(() => AudioFile.Save(path, new float[4410], 44100));
        Assert.True(ex is ArgumentException or AudioException, ex.GetType().Name);
        Assert.Contains(path, ex.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
