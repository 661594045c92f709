using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Affetto.Audio.Effects;
using Affetto.Audio.IO;
using Affetto.Models.Emotion.FrontEnd;

namespace Affetto.Models.Emotion.Training;

/// <summary>
/// Decodes a track and computes its raw (unnormalised) front-end segments, keeping the result in a cache folder so
/// that later epochs, folds and runs do not decode again. Entries live in <c>DIR/&lt;FrontEndSettings.RawKey()&gt;/</c>,
/// one file per track and augmentation variant, named by a digest of the full path, size and modification time:
/// any change to the audio or to the raw front-end settings misses the cache. Damaged entries are recomputed.
/// Thread-safe (distinct tracks may be computed in parallel; each call uses its own front end).
/// </summary>
public sealed class SegmentCache
{
    private const uint Magic = 0x47534641; // "AFSG"
    private const int Version = 1;
    private readonly string? _directory;

    /// <summary>Creates a cache for <paramref name="settings"/> in <paramref name="directory"/> (null = compute only, no files).</summary>
    public SegmentCache(FrontEndSettings settings, string? directory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings.WithoutStatistics();
        Settings.ThrowIfInvalid();
        _directory = directory is null ? null : Path.Combine(directory, Settings.RawKey());
        if (_directory is not null) Directory.CreateDirectory(_directory);
    }

    /// <summary>The raw front-end settings (without statistics).</summary>
    public FrontEndSettings Settings { get; }

    /// <summary>The folder holding this front end's entries, or null without a disk cache.</summary>
    public string? Folder => _directory;

    /// <summary>
    /// The raw segments of <paramref name="path"/>; <paramref name="variant"/> 0 is the original audio, variant k &gt; 0 a
    /// deterministic random augmentation of it (<see cref="AudioAugmentation.Apply"/>) seeded by the path and k.
    /// </summary>
    /// <returns>The segments and whether they came from the cache.</returns>
    /// <exception cref="Affetto.Audio.AudioException">The audio cannot be read.</exception>
    public (SegmentBatch Batch, bool Cached) Get(string path, int variant = 0)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegative(variant);
        string? file = _directory is null ? null : EntryPath(path, variant);
        if (file is not null && TryRead(file) is { } cached) return (cached, true);
        var audio = AudioFile.Load(path, Settings.SampleRate, mono: true);
        float[] samples = audio.Samples;
        if (variant > 0) samples = AudioAugmentation.Apply(samples, Settings.SampleRate, StableSeed(path, variant));
        var batch = new EmotionFrontEnd(Settings).ComputeRaw(samples);
        if (file is not null) Write(file, batch);
        return (batch, false);
    }

    private string EntryPath(string path, int variant)
    {
        var info = new FileInfo(path);
        string identity = $"{Path.GetFullPath(path)}|{(info.Exists ? info.Length : -1)}|{(info.Exists ? info.LastWriteTimeUtc.Ticks : 0)}|{variant}";
        string digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 12));
        return Path.Combine(_directory!, digest + ".seg");
    }

    /// <summary>A seed that depends only on the file name and variant (stable across runs and machines).</summary>
    internal static int StableSeed(string path, int variant) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFileName(path) + "|" + variant)), 0) & int.MaxValue;

    private static SegmentBatch? TryRead(string file)
    {
        try
        {
            if (!File.Exists(file)) return null;
            using var stream = File.OpenRead(file);
            using var r = new BinaryReader(stream);
            if (r.ReadUInt32() != Magic || r.ReadInt32() != Version) return null;
            int count = r.ReadInt32(), h = r.ReadInt32(), w = r.ReadInt32(), d = r.ReadInt32();
            bool hasImages = r.ReadBoolean(), hasFeatures = r.ReadBoolean();
            if (count < 0 || h < 0 || w < 0 || d < 0) return null;
            long expected = 26 + 8L * count + (hasImages ? 4L * count * h * w : 0) + (hasFeatures ? 4L * count * d : 0);
            if (stream.Length != expected) return null;
            var starts = new double[count];
            r.Read(MemoryMarshal.AsBytes(starts.AsSpan()));
            float[]? images = hasImages ? ReadFloats(r, count * h * w) : null;
            float[]? features = hasFeatures ? ReadFloats(r, count * d) : null;
            return new SegmentBatch(count, h, w, d, images, features, starts);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static float[] ReadFloats(BinaryReader r, int n)
    {
        var v = new float[n];
        var bytes = MemoryMarshal.AsBytes(v.AsSpan());
        int got = 0;
        while (got < bytes.Length)
        {
            int k = r.Read(bytes[got..]);
            if (k == 0) throw new IOException("truncated cache entry");
            got += k;
        }
        return v;
    }

    private static void Write(string file, SegmentBatch b)
    {
        string temp = file + "." + Environment.CurrentManagedThreadId + "." + Environment.ProcessId + ".tmp";
        try
        {
            using (var stream = File.Create(temp))
            using (var w = new BinaryWriter(stream))
            {
                w.Write(Magic);
                w.Write(Version);
                w.Write(b.Count);
                w.Write(b.Height);
                w.Write(b.Width);
                w.Write(b.FeatureDim);
                w.Write(b.Spectrograms is not null);
                w.Write(b.Features is not null);
                w.Write(MemoryMarshal.AsBytes(b.StartSeconds.AsSpan()));
                if (b.Spectrograms is not null) w.Write(MemoryMarshal.AsBytes(b.Spectrograms.AsSpan()));
                if (b.Features is not null) w.Write(MemoryMarshal.AsBytes(b.Features.AsSpan()));
            }
            File.Move(temp, file, overwrite: true);
        }
        catch (IOException)
        {
            // A cache that cannot be written only costs time: the batch is still returned.
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
