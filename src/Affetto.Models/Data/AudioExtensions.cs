using Affetto.Audio.IO;

namespace Affetto.Models.Data;

/// <summary>
/// The file extensions dataset loaders accept as audio: the formats libsndfile 1.2 decodes (WAV family, AIFF,
/// AU, CAF, FLAC, Ogg Vorbis/Opus, MPEG layers I-III and a few legacy formats). AAC/M4A is not among them.
/// The shared data sets are Opus whatever their original extension, so loaders accept every one of these.
/// </summary>
public static class AudioExtensions
{
    /// <summary>The accepted extensions, lower case with the leading dot.</summary>
    public static IReadOnlyList<string> All => AudioFormats.Extensions;

    private static readonly HashSet<string> s_all = new(AudioFormats.Extensions, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a path has one of the accepted audio extensions (case-insensitive).</summary>
    /// <param name="path">File name or path.</param>
    /// <returns>True for an audio extension.</returns>
    public static bool IsAudioFile(string path) => s_all.Contains(Path.GetExtension(path));

    /// <summary>Normalises a user-given extension list: adds the leading dot and checks for empties.</summary>
    /// <param name="extensions">Extensions such as "wav" or ".wav"; null for <see cref="All"/>.</param>
    /// <returns>A case-insensitive set.</returns>
    /// <exception cref="ArgumentException">The list is empty or holds an empty entry.</exception>
    internal static HashSet<string> ToSet(IEnumerable<string>? extensions)
    {
        if (extensions is null)
            return s_all;
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in extensions)
        {
            if (string.IsNullOrWhiteSpace(e) || e.Trim() == ".")
                throw new ArgumentException("an audio extension in the list is empty", nameof(extensions));
            var t = e.Trim();
            set.Add(t.StartsWith('.') ? t : "." + t);
        }
        if (set.Count == 0)
            throw new ArgumentException("the audio extension list is empty", nameof(extensions));
        return set;
    }
}
