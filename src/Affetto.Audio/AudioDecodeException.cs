namespace Affetto.Audio;

/// <summary>
/// The file exists but its contents cannot be turned into samples: unknown format, truncated or corrupt data,
/// an empty file, NaN or infinite samples, or a sample rate or channel count outside the supported limits.
/// </summary>
public sealed class AudioDecodeException : AudioException
{
    /// <summary>Creates a decode error.</summary>
    /// <param name="message">One line naming the file and the problem.</param>
    /// <param name="path">The file that failed to decode.</param>
    /// <param name="libraryError">libsndfile's own error text, when the error came from libsndfile.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public AudioDecodeException(string message, string? path, string? libraryError = null, Exception? inner = null)
        : base(message, inner)
    {
        Path = path;
        LibraryError = libraryError;
    }

    /// <summary>libsndfile's error text (<c>sf_strerror</c>), or <see langword="null"/> when the check was ours.</summary>
    public string? LibraryError { get; }
}
