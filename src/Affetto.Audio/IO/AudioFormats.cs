namespace Affetto.Audio.IO;

/// <summary>
/// The file extensions Affetto treats as audio when it searches a folder. Decoding never trusts the extension
/// (libsndfile reads the header), so this list only decides which files a folder search picks up.
/// </summary>
public static class AudioFormats
{
    /// <summary>Lower-case extensions with the dot: every container libsndfile reads, plus common aliases.</summary>
    public static IReadOnlySet<string> Extensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".wav", ".wave", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".au", ".snd", ".aif", ".aiff", ".aifc",
        ".caf", ".w64", ".rf64",
    };

    /// <summary>True when <paramref name="extension"/> (with its dot, any case) names an audio file.</summary>
    public static bool IsAudioExtension(string? extension) => extension is not null && Extensions.Contains(extension);
}
