namespace Affetto.Audio.IO;

/// <summary>
/// The file extensions Affetto treats as audio when it searches a folder. Decoding never trusts the extension
/// (libsndfile reads the header), so this list only decides which files a folder search picks up.
/// </summary>
public static class AudioFormats
{
    /// <summary>Lower-case extensions with the dot: every container libsndfile reads, plus common aliases.</summary>
    public static IReadOnlyList<string> Extensions { get; } =
    [
        ".wav", ".wave", ".bwf", ".rf64", ".w64",
        ".aif", ".aiff", ".aifc",
        ".au", ".snd",
        ".caf",
        ".flac",
        ".ogg", ".oga", ".opus",
        ".mp1", ".mp2", ".mp3",
        ".voc", ".sph", ".nist", ".htk", ".sds", ".avr", ".paf", ".svx", ".xi", ".ircam", ".sf", ".mat", ".mat4", ".mat5", ".pvf",
    ];

    /// <summary>The same extensions as a case-insensitive set.</summary>
    public static IReadOnlySet<string> ExtensionSet { get; } = new HashSet<string>(Extensions, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="extension"/> (with its dot, any case) names an audio file.</summary>
    public static bool IsAudioExtension(string? extension) => extension is not null && ExtensionSet.Contains(extension);
}
