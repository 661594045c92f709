using System.Buffers.Binary;
using Affetto.Audio.Interop;
using Affetto.Audio.IO;

namespace Affetto.Audio.Tests.IO;

/// <summary>Loader behaviour beyond single files: unknown lengths, concurrency, native library checks, kernels.</summary>
public sealed class LoaderBehaviourTests
{
    [Fact]
    public void Load_FlacWithUnknownLength_GrowsAndMatchesOriginal()
    {
        using var dir = new TempDir();
        string path = dir.File("u.flac");
        const int frames = 1_500_000; // more than the 2^20-sample first allocation used when the length is unknown
        var signal = IoTestSupport.Signal(frames, 1, 44100, seed: 4);
        AudioFile.Save(path, signal, 44100);
        var known = AudioFile.Load(path, sampleRate: null);

        // STREAMINFO starts at byte 8; its 36-bit total-samples field is the low bits of the u64 at byte 18.
        var bytes = File.ReadAllBytes(path);
        ulong packed = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(18));
        Assert.Equal((ulong)frames, packed & 0xF_FFFF_FFFF);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(18), packed & ~0xF_FFFF_FFFFUL);
        File.WriteAllBytes(path, bytes);

        Assert.NotEqual(frames, AudioFile.ReadInfo(path).Frames);
        var unknown = AudioFile.Load(path, sampleRate: null);
        Assert.Equal(known.Samples, unknown.Samples);
        Assert.Equal(Resampler.Resample(known.Samples, 44100, 22050), AudioFile.Load(path).Samples);
    }

    [Fact]
    public void Load_ManyThreadsMixingGoodAndBadFiles_EachGetsItsOwnResultOrError()
    {
        using var dir = new TempDir();
        var good = new string[8];
        var bad = new string[8];
        for (int i = 0; i < 8; i++)
        {
            good[i] = dir.Write($"g{i}.wav", IoTestSupport.WavPcm16(1, 8000, Enumerable.Repeat((short)(1000 * i), 500).ToArray()));
            bad[i] = dir.Write($"b{i}.wav", i % 2 == 0 ? "not audio at all"u8.ToArray() : IoTestSupport.WavPcm16(1, 0, 1, 2));
        }
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            int i = n % 8;
            if (n % 2 == 0)
            {
                var audio = AudioFile.Load(good[i], sampleRate: null);
                Assert.Equal(500, audio.Frames);
                Assert.Equal(1000 * i / 32768f, audio.Samples[250]);
            }
            else
            {
                var ex = Assert.Throws<AudioDecodeException>(() => AudioFile.Load(bad[i]));
                Assert.StartsWith(bad[i] + ": ", ex.Message);
                Assert.Contains(i % 2 == 0 ? "not a recognised audio format" : "unsupported sample rate 0 Hz", ex.Message);
            }
        });
    }

    [Fact]
    public void Probe_MissingLibrary_NamesPackageAndInstallScript()
    {
        string? problem = NativeMethods.Probe("libaffetto-does-not-exist.so.7", "libaffetto7");
        Assert.NotNull(problem);
        Assert.Contains("libaffetto-does-not-exist.so.7", problem);
        Assert.Contains("libaffetto7", problem);
        Assert.Contains("scripts/install-deps", problem);
        Assert.Null(NativeMethods.Probe(NativeMethods.SndfileLibrary, "libsndfile1"));
        Assert.Null(NativeMethods.Probe(NativeMethods.SoxrLibrary, "libsoxr0"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FormatNames_CoverEverythingLibsndfileSupports(bool subtypes)
    {
        var supported = SndfileFormats.Supported(subtypes);
        Assert.Contains(supported, f => f.Format == (subtypes ? 0x0002 : 0x010000)); // PCM_16 / WAV
        foreach (var (format, description) in supported)
        {
            string name = subtypes ? SndfileFormats.SubtypeName(format) : SndfileFormats.MajorName(format);
            Assert.False(name.StartsWith("0x", StringComparison.Ordinal), $"no name for 0x{format:X} ({description})");
        }
    }

    public static TheoryData<int, int> DownmixShapes() => new()
    {
        { 2, 1 }, { 2, 15 }, { 2, 16 }, { 2, 17 }, { 2, 1000 }, { 3, 33 }, { 6, 100 }, { 1, 7 },
    };

    [Theory]
    [MemberData(nameof(DownmixShapes))]
    public void DownmixToMono_AnyShape_EqualsScalarMean(int channels, int frames)
    {
        var source = IoTestSupport.Signal(frames, channels, 1000, seed: frames);
        var mono = new float[frames];
        SampleOps.DownmixToMono(source, channels, mono);
        for (int f = 0; f < frames; f++)
        {
            float sum = source[f * channels];
            for (int c = 1; c < channels; c++)
                sum += source[f * channels + c];
            Assert.Equal(sum / channels, mono[f]);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1000)]
    public void FirstNonFinite_FindsTheFirstBadSampleAtEveryPosition(int length)
    {
        var x = IoTestSupport.Signal(length, 1, 1000);
        Assert.Equal(-1, SampleOps.FirstNonFinite(x));
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            for (int i = 0; i < length; i += Math.Max(1, length / 37))
            {
                var y = (float[])x.Clone();
                y[i] = bad;
                if (i + 3 < length)
                    y[i + 3] = float.NaN;
                Assert.Equal(i, SampleOps.FirstNonFinite(y));
            }
        }
        Assert.Equal(-1, SampleOps.FirstNonFinite([float.MaxValue, -float.MaxValue, float.Epsilon]));
    }

    [Fact]
    public void ClipUnit_ClampsEveryLane()
    {
        var x = Enumerable.Range(0, 100).Select(i => (i - 50) / 20f).ToArray();
        var y = new float[100];
        SampleOps.ClipUnit(x, y);
        Assert.Equal(x.Select(v => Math.Clamp(v, -1f, 1f)).ToArray(), y);
    }
}
