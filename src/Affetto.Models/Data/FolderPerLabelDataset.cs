namespace Affetto.Models.Data;

/// <summary>
/// The generic one-folder-per-label layout: <c>root/&lt;label&gt;/**/&lt;file&gt;.&lt;audio ext&gt;</c>.
/// GTZAN (<c>gtzan/genres</c>) and Emotify's genre folders use it.
/// </summary>
public static class FolderPerLabelDataset
{
    /// <summary>
    /// Loads every audio file under each immediate subfolder of <paramref name="root"/> (searched recursively);
    /// the subfolder's name is the label. Hidden folders and files (name starting with '.') are skipped.
    /// Item ids are the paths relative to the root, without extension, with '/' separators (unique even when two
    /// label folders hold the same file name); groups are null. A label folder without audio files gives a
    /// warning and no label; files with the same relative stem and different extensions keep the first in ordinal
    /// order and give a warning.
    /// </summary>
    /// <param name="root">The dataset root.</param>
    /// <param name="extensions">Accepted extensions (with or without the dot, case-insensitive); null for <see cref="AudioExtensions.All"/>.</param>
    /// <returns>The dataset; labels sorted ordinally, items sorted by id.</returns>
    /// <exception cref="ArgumentException"><paramref name="root"/> is empty or the extension list is empty.</exception>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="InvalidDataException">No label folder holds an audio file.</exception>
    public static TrackDataset Load(string root, string[]? extensions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var accepted = AudioExtensions.ToSet(extensions);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"dataset folder not found: {root}");
        root = Path.GetFullPath(root);
        var warnings = new List<string>();
        var items = new List<TrackItem>();
        var labels = new List<string>();
        var labelDirs = Directory.GetDirectories(root)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        foreach (var dir in labelDirs)
        {
            string label = Path.GetFileName(dir);
            var files = EnumerateAudio(dir, accepted).ToArray();
            if (files.Length == 0)
            {
                warnings.Add($"label folder '{dir}' has no audio files; label '{label}' is left out");
                continue;
            }
            labels.Add(label);
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                string rel = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
                string id = rel[..^Path.GetExtension(rel).Length];
                if (seen.TryGetValue(id, out var first))
                {
                    warnings.Add($"'{file}' has the same name as '{first}' with another extension; only the first is used");
                    continue;
                }
                seen.Add(id, file);
                items.Add(new TrackItem(file, id, label, null));
            }
        }
        if (items.Count == 0)
        {
            throw new InvalidDataException(
                $"no audio files ({string.Join(" ", accepted.Order(StringComparer.Ordinal))}) found in any label folder under '{root}'" +
                (labelDirs.Length == 0 ? " (it has no subfolders)" : ""));
        }
        items.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new TrackDataset(Path.GetFileName(root), root, items, labels, warnings);
    }

    /// <summary>Audio files under a folder, recursively, hidden entries skipped, in ordinal path order.</summary>
    internal static IEnumerable<string> EnumerateAudio(string dir, HashSet<string> accepted)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
            IgnoreInaccessible = true,
        };
        return Directory.EnumerateFiles(dir, "*", options)
            .Where(f => accepted.Contains(Path.GetExtension(f)) && !IsHidden(dir, f))
            .Order(StringComparer.Ordinal);
    }

    // Unix hidden files are dot-files; the attribute check above only covers Windows.
    private static bool IsHidden(string dir, string file) =>
        Path.GetRelativePath(dir, file).Split(Path.DirectorySeparatorChar).Any(p => p.StartsWith('.'));
}
