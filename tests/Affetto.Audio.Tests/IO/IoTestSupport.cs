using System.Buffers.Binary;
using System.Text;

namespace Affetto.Audio.Tests.IO;

/// <summary>Paths, temporary folders and hand-built file bytes shared by the IO tests.</summary>
internal static class IoTestSupport
{
    private static readonly Lazy<string> s_fixtures = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "Affetto.Audio.Tests", "Fixtures");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException("tests/Affetto.Audio.Tests/Fixtures not found above " + AppContext.BaseDirectory);
    });

    /// <summary>A file under tests/Affetto.Audio.Tests/Fixtures.</summary>
    public static string Fixture(string relative) => Path.Combine(s_fixtures.Value, relative);

    /// <summary>The shared data folder (AFFETTO_DATA, ../shared/data beside the worktree, or /work/shared/data), or null.</summary>
    public static string? SharedData()
    {
        var candidates = new List<string?> { Environment.GetEnvironmentVariable("AFFETTO_DATA") };
        var repo = new DirectoryInfo(s_fixtures.Value).Parent?.Parent?.Parent;
        if (repo?.Parent is not null)
            candidates.Add(Path.Combine(repo.Parent.FullName, "shared", "data"));
        candidates.Add("/work/shared/data");
        return candidates.FirstOrDefault(c => c is not null && Directory.Exists(Path.Combine(c, "codecs")));
    }

    /// <summary>Canonical 44-byte-header PCM WAV around raw little-endian sample bytes.</summary>
    public static byte[] Wav(int formatTag, int channels, int sampleRate, int bitsPerSample, ReadOnlySpan<byte> data)
    {
        int blockAlign = channels * bitsPerSample / 8;
        var bytes = new byte[44 + data.Length];
        var s = bytes.AsSpan();
        Encoding.ASCII.GetBytes("RIFF").CopyTo(s);
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], 36 + data.Length);
        Encoding.ASCII.GetBytes("WAVEfmt ").CopyTo(s[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(s[20..], (short)formatTag);
        BinaryPrimitives.WriteInt16LittleEndian(s[22..], (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(s[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(s[28..], sampleRate * blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(s[32..], (short)blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(s[34..], (short)bitsPerSample);
        Encoding.ASCII.GetBytes("data").CopyTo(s[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[40..], data.Length);
        data.CopyTo(s[44..]);
        return bytes;
    }

    /// <summary>16-bit PCM WAV of the given integer samples.</summary>
    public static byte[] WavPcm16(int channels, int sampleRate, params short[] samples)
    {
        var data = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(2 * i), samples[i]);
        return Wav(1, channels, sampleRate, 16, data);
    }

    /// <summary>32-bit IEEE float WAV (format tag 3) of the given samples.</summary>
    public static byte[] WavFloat(int channels, int sampleRate, params float[] samples)
    {
        var data = new byte[samples.Length * 4];
        for (int i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), samples[i]);
        return Wav(3, channels, sampleRate, 32, data);
    }

    /// <summary>A deterministic test signal: a few tones plus seeded noise, in [-0.9, 0.9].</summary>
    public static float[] Signal(int frames, int channels, int sampleRate, int seed = 1)
    {
        var random = new Random(seed);
        var x = new float[frames * channels];
        for (int f = 0; f < frames; f++)
        {
            double t = f / (double)sampleRate;
            for (int c = 0; c < channels; c++)
            {
                double v = 0.4 * Math.Sin(2 * Math.PI * (220 + 110 * c) * t) + 0.3 * Math.Sin(2 * Math.PI * 1375 * t + c)
                    + 0.1 * (random.NextDouble() * 2 - 1);
                x[f * channels + c] = (float)v;
            }
        }
        return x;
    }
}
