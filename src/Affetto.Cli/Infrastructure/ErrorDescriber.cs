using Affetto.Audio;

namespace Affetto.Cli.Infrastructure;

/// <summary>
/// Turns an exception into the one line a user sees. Known, user-caused failures (bad files, bad values)
/// become plain sentences naming the file; anything else is an internal error whose stack trace appears
/// only with --verbose.
/// </summary>
public static class ErrorDescriber
{
    /// <summary>Describes <paramref name="ex"/>, raised while processing <paramref name="path"/> (if any).</summary>
    public static string Describe(Exception ex, string? path, bool verbose)
    {
        string prefix = path is null ? "" : path + ": ";
        switch (ex)
        {
            case AudioException audio:
                // Audio messages already name their file; add it only when they do not.
                return path is not null && !audio.Message.Contains(path, StringComparison.Ordinal)
                    ? prefix + audio.Message
                    : audio.Message;
            case UserError:
                return prefix + ex.Message;
            case Affetto.Models.Emotion.ModelFile.ModelFileException or Affetto.Models.Data.CsvFormatException:
                // Their messages name the file already.
                return path is not null && !ex.Message.Contains(path, StringComparison.Ordinal) ? prefix + ex.Message : ex.Message;
            case FileNotFoundException:
            case DirectoryNotFoundException:
                return prefix + "file not found";
            case UnauthorizedAccessException:
                return prefix + "permission denied";
            case IOException io:
                return prefix + "I/O error: " + io.Message;
            case ArgumentException arg:
                return prefix + StripParamName(arg);
            case InvalidDataException data:
                return prefix + data.Message;
            default:
                return prefix + "internal error: " + ex.GetType().Name + ": " + ex.Message
                    + (verbose ? Environment.NewLine + ex : " (rerun with --verbose for details)");
        }
    }

    // ArgumentException appends " (Parameter 'x')", which says nothing to a command-line user.
    private static string StripParamName(ArgumentException ex)
    {
        string m = ex.Message;
        int i = ex.ParamName is null ? -1 : m.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return i > 0 ? m[..i] : m;
    }
}
