namespace Affetto.Models.Data;

/// <summary>
/// Opens a labelled dataset folder whatever its layout: the 4Q layout when the folder holds
/// <see cref="FourQuadrantDataset.AnnotationsFileName"/>, otherwise one folder per label
/// (<see cref="FolderPerLabelDataset"/>). Used by <c>affetto evaluate</c> and <c>affetto train</c>.
/// </summary>
public static class DatasetLoader
{
    /// <summary>Whether <paramref name="path"/> is a 4Q dataset root (it holds the 4Q annotations CSV).</summary>
    /// <param name="path">A folder.</param>
    /// <returns>True when the annotations file exists there.</returns>
    public static bool IsFourQuadrant(string path) =>
        !string.IsNullOrWhiteSpace(path) && File.Exists(Path.Combine(path, FourQuadrantDataset.AnnotationsFileName));

    /// <summary>Loads the dataset at <paramref name="path"/>, choosing the reader by the folder's contents.</summary>
    /// <param name="path">The dataset root folder.</param>
    /// <returns>The dataset (its warnings included).</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or blank.</exception>
    /// <exception cref="DirectoryNotFoundException">The path does not exist, or is a file.</exception>
    /// <exception cref="InvalidDataException">
    /// The folder is neither a 4Q dataset nor a folder-per-label dataset (no subfolder holds audio), or a 4Q dataset
    /// whose annotated songs have no audio.
    /// </exception>
    /// <exception cref="CsvFormatException">The 4Q annotations or metadata CSV is malformed.</exception>
    public static TrackDataset Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
            throw new DirectoryNotFoundException($"dataset '{path}' is a file; expected a folder (4Q layout or one folder per label)");
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"dataset folder '{path}' does not exist");
        if (IsFourQuadrant(path))
            return FourQuadrantDataset.Load(path);
        try
        {
            return FolderPerLabelDataset.Load(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"'{path}' is not a dataset: it has no {FourQuadrantDataset.AnnotationsFileName} (4Q layout) and no label " +
                $"subfolder with audio files (folder-per-label layout: {path}/<label>/<file>.wav); {e.Message}", e);
        }
    }
}
