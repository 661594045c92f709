using System.Buffers.Binary;
using Affetto.Audio.IO;

namespace Affetto.Audio.Tests.IO;

/// <summary>
/// The direct Ogg Opus path (<see cref="OggOpusDecoder"/>) must give exactly libsndfile's samples, and must decline
/// (so that libsndfile decodes as before) every file it does not fully understand.
/// </summary>
public sealed class OggOpusDecoderTests
{
    public static TheoryData<int, int, int> Shapes() => new()
    {
        // rate, channels, frames: Opus's five rates, mono and stereo, lengths that end mid-packet and mid-page.
        { 48000, 1, 48000 * 3 + 17 }, { 48000, 2, 70001 }, { 24000, 1, 24000 * 2 + 5 }, { 24000, 2, 31234 },
        { 16000, 1, 16001 }, { 12000, 2, 12345 }, { 8000, 1, 8000 * 4 + 3 }, { 24000, 1, 1 }, { 48000, 2, 959 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GeneratedFile_SameSamplesAsLibsndfile(int rate, int channels, int frames)
    {
        using var dir = new TempDir();
        string path = dir.File("tone.opus");
        AudioFile.Save(path, Signal(rate, channels, frames), rate, channels);

        var (direct, usedDirect) = Decode(path, directOpus: true);
        var (reference, usedReference) = Decode(path, directOpus: false);

        Assert.True(usedDirect, "a file libsndfile wrote should take the direct path");
        Assert.False(usedReference);
        Assert.True(reference.Length > 0);
        Assert.Equal(reference.Length, direct.Length);
        Assert.True(reference.AsSpan().SequenceEqual(direct), $"first difference at sample {FirstDifference(reference, direct)}");
    }

    [Fact]
    public void SharedDataOpus_SameSamplesAsLibsndfile() => CompareSharedData(every: 40);

    [Fact]
    [Trait("Category", "Slow")]
    public void AllSharedDataOpus_SameSamplesAsLibsndfile() => CompareSharedData(every: 1);

    [Fact]
    public void WindowedRead_GoesThroughLibsndfile()
    {
        using var dir = new TempDir();
        string path = dir.File("tone.opus");
        AudioFile.Save(path, Signal(24000, 1, 48000), 24000, 1);
        using var source = SndfileSource.Open(path, offset: 0.5);
        Assert.True(source.Read(new float[1024]) > 0);
        Assert.False(source.DecodesOpusDirectly);
    }

    public static TheoryData<string> Damages() => new() { "crc", "gain", "mapping", "junk", "truncated", "granule", "no-eos" };

    [Theory]
    [MemberData(nameof(Damages))]
    public void UnusualFile_DeclinedAndDecodedAsBefore(string damage)
    {
        using var dir = new TempDir();
        string clean = dir.File("clean.opus");
        AudioFile.Save(clean, Signal(48000, 2, 48000 * 3), 48000, 2);
        var bytes = File.ReadAllBytes(clean);
        var pages = PageOffsets(bytes);
        Assert.True(pages.Count > 4);
        switch (damage)
        {
            case "crc": bytes[pages[3] + 40] ^= 0x10; break;                    // a body byte, CRC left stale
            case "gain": bytes[pages[0] + 28 + 16] = 3; Recrc(bytes, pages[0]); break;  // OpusHead output gain
            case "mapping": bytes[pages[0] + 28 + 18] = 255; Recrc(bytes, pages[0]); break;
            case "junk": bytes = [.. bytes, .. "trailing junk"u8]; break;
            case "truncated": bytes = bytes[..(bytes.Length - 100)]; break;
            case "granule":                                                          // a mid-stream page 960 samples late
                long g = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(pages[3] + 6));
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(pages[3] + 6), g + 960);
                Recrc(bytes, pages[3]);
                break;
            case "no-eos": bytes[pages[^1] + 5] &= 0xFB; Recrc(bytes, pages[^1]); break;
        }
        string path = dir.Write("damaged.opus", bytes);

        Assert.Null(OggOpusDecoder.TryOpen(path, 48000, 2));
        var direct = Outcome(path, directOpus: true);
        var reference = Outcome(path, directOpus: false);
        Assert.Equal(reference, direct);
    }

    [Fact]
    public void BitFlips_NeverCrash_AndMatchLibsndfileWhenTaken()
    {
        using var dir = new TempDir();
        string clean = dir.File("clean.opus");
        AudioFile.Save(clean, Signal(24000, 1, 24000), 24000, 1);
        var original = File.ReadAllBytes(clean);
        var pages = PageOffsets(original);
        var random = new Random(1234);
        int taken = 0;
        for (int trial = 0; trial < 60; trial++)
        {
            // Odd trials damage packet data and re-seal the page's CRC, so the damage reaches the decoders.
            var bytes = (byte[])original.Clone();
            bool reseal = trial % 2 == 1;
            for (int flips = 0; flips < 1 + trial % 4; flips++)
            {
                int at = reseal ? random.Next(pages[2] + 60, bytes.Length) : random.Next(bytes.Length);
                bytes[at] ^= (byte)(1 << random.Next(8));
                if (reseal)
                    Recrc(bytes, pages.Last(p => p <= at));
            }
            string path = dir.Write($"f{trial}.opus", bytes);
            Assert.Equal(Outcome(path, directOpus: false), Outcome(path, directOpus: true));
            using (var probe = OggOpusDecoder.TryOpen(path, 24000, 1))
                taken += probe is null ? 0 : 1;
        }
        Assert.True(taken >= 10, $"only {taken} damaged files took the direct path");
    }

    private static void CompareSharedData(int every)
    {
        string? data = IoTestSupport.SharedData();
        if (data is null)
            return; // shared data absent: nothing to compare
        var files = new[] { "4q", "emotify", "gtzan", "esc50", "codecs" }
            .Select(set => Path.Combine(data, set))
            .Where(Directory.Exists)
            .SelectMany(set => Directory.EnumerateFiles(set, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Where(f => IsOggOpus(f)).Where((_, i) => i % every == 0))
            .ToList();
        Assert.NotEmpty(files);
        int direct = 0;
        Parallel.ForEach(files, file =>
        {
            var (fast, used) = Decode(file, directOpus: true);
            var (reference, _) = Decode(file, directOpus: false);
            Assert.True(reference.AsSpan().SequenceEqual(fast), $"{file}: differs from libsndfile at sample {FirstDifference(reference, fast)}");
            if (used)
                Interlocked.Increment(ref direct);
        });
        Assert.Equal(files.Count, direct); // the data sets are plain Ogg Opus: all of them should take the fast path
    }

    private static bool IsOggOpus(string path)
    {
        Span<byte> head = stackalloc byte[36];
        using var f = File.OpenRead(path);
        return f.Read(head) == 36 && head[..4].SequenceEqual("OggS"u8) && head[28..36].SequenceEqual("OpusHead"u8);
    }

    private static (float[] Samples, bool Direct) Decode(string path, bool directOpus)
    {
        using var source = SndfileSource.Open(path, directOpus: directOpus);
        var all = new List<float>();
        var block = new float[4096 * source.Info.Channels];
        int got;
        while ((got = source.Read(block)) > 0)
            all.AddRange(block.AsSpan(0, got * source.Info.Channels));
        return (all.ToArray(), source.DecodesOpusDirectly);
    }

    // The samples, or the error message: what a caller of either path would see.
    private static string Outcome(string path, bool directOpus)
    {
        try
        {
            var (samples, _) = Decode(path, directOpus);
            return $"{samples.Length} samples, hash {HashOf(samples)}";
        }
        catch (AudioException e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    private static int HashOf(float[] samples)
    {
        var hash = new HashCode();
        foreach (float s in samples)
            hash.Add(BitConverter.SingleToInt32Bits(s));
        return hash.ToHashCode();
    }

    private static int FirstDifference(float[] a, float[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]))
                return i;
        }
        return n;
    }

    private static float[] Signal(int rate, int channels, int frames)
    {
        // Two tones with a slow sweep and a little noise: enough spectral content that every Opus mode has work.
        var random = new Random(rate + channels);
        var samples = new float[frames * channels];
        for (int i = 0; i < frames; i++)
        {
            double t = (double)i / rate;
            for (int c = 0; c < channels; c++)
            {
                double f = 220 * (c + 1) * (1 + 0.5 * t);
                samples[i * channels + c] = (float)(0.4 * Math.Sin(2 * Math.PI * f * t) + 0.2 * Math.Sin(2 * Math.PI * 3.1 * f * t)
                    + 0.02 * (random.NextDouble() - 0.5));
            }
        }
        return samples;
    }

    private static List<int> PageOffsets(byte[] bytes)
    {
        var offsets = new List<int>();
        for (int at = 0; at + 27 <= bytes.Length;)
        {
            offsets.Add(at);
            int segments = bytes[at + 26], body = 0;
            for (int s = 0; s < segments; s++)
                body += bytes[at + 27 + s];
            at += 27 + segments + body;
        }
        return offsets;
    }

    // Recomputes an edited page's CRC so the edit is seen as deliberate, not as corruption.
    private static void Recrc(byte[] bytes, int page)
    {
        int segments = bytes[page + 26], body = 0;
        for (int s = 0; s < segments; s++)
            body += bytes[page + 27 + s];
        var span = bytes.AsSpan(page, 27 + segments + body);
        BinaryPrimitives.WriteUInt32LittleEndian(span[22..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(span[22..], BitwiseCrc(span));
    }

    // Ogg's CRC one bit at a time: an implementation independent of the reader's table-driven one.
    private static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0;
        foreach (byte b in data)
        {
            crc ^= (uint)b << 24;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
        }
        return crc;
    }

    [Fact]
    public void PageCrc_MatchesTheBitwiseDefinition()
    {
        // CRC-32/POSIX's check value of "123456789" is 0x765E7680; Ogg's variant omits its final inversion.
        Assert.Equal(0x765E7680u ^ 0xFFFFFFFFu, OggPacketReader.Crc("123456789"u8));
        var random = new Random(5);
        for (int length = 0; length < 300; length += 1 + length / 16)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(BitwiseCrc(data), OggPacketReader.Crc(data));
        }
    }
}
