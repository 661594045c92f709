namespace Affetto.Audio;

/// <summary>
/// Root of all audio-domain errors raised by Affetto.Audio: missing or unreadable files, undecodable or corrupt
/// data, missing native libraries. Bad arguments raise <see cref="ArgumentException"/> instead.
/// </summary>
public class AudioException : Exception
{
    /// <summary>Creates an audio error with a one-line message that names the file and the problem.</summary>
    /// <param name="message">The message, e.g. <c>"b.wav: file not found"</c>.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public AudioException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>The file the error is about, or <see langword="null"/> when it is not about a file.</summary>
    public string? Path { get; init; }
}
