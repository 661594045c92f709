using System.Text;
using Affetto.Audio.IO;
using FsCheck;
using FsCheck.Fluent;

namespace Affetto.Audio.Tests.IO;

/// <summary>
/// Arbitrary bytes, damaged headers, truncations and bit flips of valid files: decoding either succeeds or raises an
/// <see cref="AudioException"/>; no other exception type and no crash of the process.
/// </summary>
public sealed class FuzzTests
{
    private static readonly int[] s_sizes = [1, 2, 4, 11, 12, 44, 45, 60, 100, 512, 1000, 4096, 20000];

    public static TheoryData<string> Prefixes() => new() { "", "RIFF....WAVE", "RIFF....WAVEfmt ", "RIFF....WAVEfmt \x10\0\0\0\x01\0\x02\0", "RF64", "fLaC", "fLaC\0\0\0\x22", "OggS", "OggS\0\x02", "ID3", "ID3\x03\0\0\0\0\0\0\xff\xfb", "\xff\xfb\x90\x64", "FORM....AIFF", "FORM....AIFC", ".snd", "caff" };

    [Theory]
    [MemberData(nameof(Prefixes))]
    public void RandomBytesAfterHeader_OnlyAudioExceptions(string prefix)
    {
        using var dir = new TempDir();
        var header = Encoding.Latin1.GetBytes(prefix);
        var random = new Random(prefix.Length * 7919 + prefix.Sum(c => c));
        foreach (int size in s_sizes)
        {
            for (int trial = 0; trial < 3; trial++)
            {
                var bytes = new byte[header.Length + size];
                random.NextBytes(bytes);
                header.CopyTo(bytes, 0);
                if (header.Length >= 8 && prefix.StartsWith("RIFF", StringComparison.Ordinal))
                    BitConverter.TryWriteBytes(bytes.AsSpan(4), bytes.Length - 8); // plausible chunk size
                AssertOnlyAudioExceptions(dir, $"r{size}_{trial}.bin", bytes);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomWavFmtFields_OnlyAudioExceptions(int seed)
    {
        using var dir = new TempDir();
        var random = new Random(seed);
        int[] tags = [1, 3, 6, 7, 2, 0x11, 0xFFFE, 0, 0x55, random.Next(65536)];
        for (int trial = 0; trial < 40; trial++)
        {
            int tag = tags[random.Next(tags.Length)];
            int channels = random.Next(4) == 0 ? random.Next(-5, 70000) : random.Next(1, 9);
            int rate = random.Next(4) == 0 ? random.Next(int.MinValue, int.MaxValue) : random.Next(1, 200000);
            int bits = new[] { 0, 1, 4, 8, 12, 16, 24, 32, 64, 255 }[random.Next(10)];
            var data = new byte[random.Next(0, 3000)];
            random.NextBytes(data);
            byte[] bytes;
            try
            {
                bytes = IoTestSupport.Wav(tag, channels, rate, bits, data);
            }
            catch (OverflowException)
            {
                continue;
            }
            AssertOnlyAudioExceptions(dir, $"f{trial}.wav", bytes);
        }
    }

    public static TheoryData<string> Containers() => new() { ".wav", ".flac", ".ogg", ".opus", ".mp3", ".aiff", ".au" };

    [Theory]
    [MemberData(nameof(Containers))]
    public void TruncatedValidFile_OnlyAudioExceptions(string extension)
    {
        using var dir = new TempDir();
        var bytes = ValidFile(dir, extension);
        var cuts = new SortedSet<int>(Enumerable.Range(0, 64)) { bytes.Length - 1, bytes.Length / 2 };
        var random = new Random(extension.Length);
        for (int i = 0; i < 24; i++)
            cuts.Add(random.Next(bytes.Length));
        foreach (int cut in cuts.Where(c => c < bytes.Length))
            AssertOnlyAudioExceptions(dir, $"t{cut}{extension}", bytes[..cut]);
    }

    [Theory]
    [MemberData(nameof(Containers))]
    public void CorruptedValidFile_OnlyAudioExceptions(string extension)
    {
        using var dir = new TempDir();
        var original = ValidFile(dir, extension);
        var random = new Random(extension.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
        for (int trial = 0; trial < 24; trial++)
        {
            var bytes = (byte[])original.Clone();
            int flips = 1 + random.Next(8);
            for (int i = 0; i < flips; i++)
            {
                // Mostly the header region, where parsers make their decisions.
                int at = random.Next(2) == 0 ? random.Next(Math.Min(128, bytes.Length)) : random.Next(bytes.Length);
                bytes[at] = (byte)random.Next(256);
            }
            AssertOnlyAudioExceptions(dir, $"c{trial}{extension}", bytes);
        }
    }

    [Fact]
    public void ArbitraryBytes_Property_OnlyAudioExceptions()
    {
        using var dir = new TempDir();
        int counter = 0;
        Prop.ForAll<byte[]>(bytes =>
        {
            AssertOnlyAudioExceptions(dir, $"p{counter++}.wav", bytes);
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(150).WithReplay(12345, 67891));
    }

    /// <summary>The same checks at a larger scale: 300 mutations of every container plus random-header files.</summary>
    [Theory]
    [Trait("Category", "Slow")]
    [MemberData(nameof(Containers))]
    public void ExtendedMutations_OnlyAudioExceptions(string extension)
    {
        using var dir = new TempDir();
        var original = ValidFile(dir, extension);
        var random = new Random(1000 + extension.Length);
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] bytes = random.Next(3) switch
            {
                0 => original[..random.Next(original.Length)],
                1 => (byte[])original.Clone(),
                _ => original[..Math.Min(original.Length, 64 + random.Next(512))].Concat(RandomBytes(random, random.Next(5000))).ToArray(),
            };
            int flips = random.Next(1, 32);
            for (int i = 0; i < flips && bytes.Length > 0; i++)
                bytes[random.Next(2) == 0 ? random.Next(Math.Min(256, bytes.Length)) : random.Next(bytes.Length)] = (byte)random.Next(256);
            AssertOnlyAudioExceptions(dir, $"x{trial}{extension}", bytes);
        }
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] ValidFile(TempDir dir, string extension)
    {
        string path = dir.File("valid" + extension);
        int rate = extension == ".opus" ? 48000 : 22050;
        AudioFile.Save(path, IoTestSupport.Signal(rate / 2, 2, rate), rate, 2);
        return File.ReadAllBytes(path);
    }

    private static void AssertOnlyAudioExceptions(TempDir dir, string name, byte[] bytes)
    {
        string path = dir.Write(name, bytes);
        foreach (var read in new Func<object>[]
        {
            () => AudioFile.ReadInfo(path),
            () => AudioFile.Load(path),
            () => AudioFile.Load(path, sampleRate: null, mono: false, offset: 0.01, duration: 0.2),
        })
        {
            try
            {
                read();
            }
            catch (AudioException ex)
            {
                Assert.Contains(path, ex.Message);
            }
            catch (Exception ex)
            {
                Assert.Fail($"{name} ({bytes.Length} bytes, starts {Convert.ToHexString(bytes.AsSpan(0, Math.Min(16, bytes.Length)))}): {ex.GetType().Name}: {ex.Message}");
            }
        }
        File.Delete(path);
    }
}
