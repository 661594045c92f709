namespace Affetto.Cli.Infrastructure;

/// <summary>
/// Turns the paths a user typed into the list of files to process: a file stands for itself (whatever its
/// extension: the decoder decides), a folder for every audio file below it, sorted so runs are repeatable.
/// Paths that do not exist are kept, so the batch reports them as failures beside the other results.
/// </summary>
public static class InputExpander
{
    /// <summary>Expands <paramref name="paths"/> into files; folders are searched recursively for audio extensions.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (string path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", new EnumerationOptions
                    {
                        RecurseSubdirectories = true,
                        IgnoreInaccessible = true,
                        AttributesToSkip = System.IO.FileAttributes.Hidden,
                    })
                    .Where(f => Affetto.Audio.IO.AudioFormats.IsAudioExtension(Path.GetExtension(f)))
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .ToList();
                files.AddRange(found);
            }
            else
            {
                files.Add(path);
            }
        }
        return files;
    }
}
