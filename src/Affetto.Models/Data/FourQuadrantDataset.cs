namespace Affetto.Models.Data;

/// <summary>
/// The 4Q audio emotion dataset (Panda, Malheiro and Paiva 2018): <c>root/Q1..Q4/&lt;Song&gt;.&lt;audio ext&gt;</c>,
/// <c>panda_dataset_taffc_annotations.csv</c> (<c>Song,Quadrant</c>) and optionally
/// <c>panda_dataset_taffc_metadata.csv</c> (<c>Song, Artist, Title, Quadrant, ...</c>) for the artists.
/// </summary>
public static class FourQuadrantDataset
{
    /// <summary>File name of the annotations CSV.</summary>
    public const string AnnotationsFileName = "panda_dataset_taffc_annotations.csv";

    /// <summary>File name of the optional metadata CSV.</summary>
    public const string MetadataFileName = "panda_dataset_taffc_metadata.csv";

    /// <summary>The four Russell quadrants in class-index order.</summary>
    public static IReadOnlyList<string> Quadrants { get; } = ["Q1", "Q2", "Q3", "Q4"];

    /// <summary>
    /// Loads the dataset. The annotations CSV is the label source. Only annotated songs whose audio exists are
    /// kept (the public release holds back some songs). The following give warnings, not exceptions: a song whose
    /// audio lies in another quadrant folder than its annotation (the annotation wins), annotated songs without
    /// audio (one summary warning), audio files without annotation (left out), a song with several audio files
    /// (the first in ordinal order is used), duplicate or invalid annotation rows (left out), a metadata quadrant
    /// that disagrees with the annotation, a song missing from the metadata or with an empty artist (group null: its own group).
    /// </summary>
    /// <param name="root">The dataset root.</param>
    /// <returns>Items sorted by song id, label = quadrant, group = artist (null when unknown); labels Q1..Q4.</returns>
    /// <exception cref="ArgumentException"><paramref name="root"/> is empty.</exception>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="FileNotFoundException">The annotations CSV is missing.</exception>
    /// <exception cref="CsvFormatException">A CSV is malformed or lacks a required column.</exception>
    /// <exception cref="InvalidDataException">No annotated song has audio.</exception>
    public static TrackDataset Load(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"4Q dataset folder not found: {root}");
        root = Path.GetFullPath(root);
        var warnings = new List<string>();

        // Annotations: Song -> Quadrant.
        var annotationsPath = Path.Combine(root, AnnotationsFileName);
        var annotations = CsvTable.Load(annotationsPath);
        int songCol = annotations.ColumnIndex("Song");
        int quadCol = annotations.ColumnIndex("Quadrant");
        var labelOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in annotations.Rows)
        {
            string song = row.Fields[songCol].Trim();
            string quadrant = row.Fields[quadCol].Trim().ToUpperInvariant();
            if (song.Length == 0)
            {
                warnings.Add($"{annotationsPath}, line {row.LineNumber}: empty Song; row left out");
                continue;
            }
            if (!Quadrants.Contains(quadrant))
            {
                warnings.Add($"{annotationsPath}, line {row.LineNumber}: song '{song}' has quadrant '{row.Fields[quadCol]}', not Q1..Q4; row left out");
                continue;
            }
            if (labelOf.TryGetValue(song, out var existing))
            {
                warnings.Add(existing == quadrant
                    ? $"{annotationsPath}, line {row.LineNumber}: song '{song}' is listed twice"
                    : $"{annotationsPath}, line {row.LineNumber}: song '{song}' is listed again with quadrant {quadrant} (first: {existing}); the first is used");
                continue;
            }
            labelOf.Add(song, quadrant);
        }

        // Metadata (optional): Song -> Artist, and a quadrant cross-check.
        var artistOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var metadataPath = Path.Combine(root, MetadataFileName);
        if (File.Exists(metadataPath))
        {
            var metadata = CsvTable.Load(metadataPath);
            int mSong = metadata.ColumnIndex("Song");
            int mArtist = metadata.ColumnIndex("Artist");
            int mQuad = metadata.HasColumn("Quadrant") ? metadata.ColumnIndex("Quadrant") : -1;
            foreach (var row in metadata.Rows)
            {
                string song = row.Fields[mSong].Trim();
                string artist = row.Fields[mArtist].Trim();
                if (song.Length == 0 || artistOf.ContainsKey(song))
                    continue;
                if (artist.Length == 0)
                {
                    warnings.Add($"{metadataPath}, line {row.LineNumber}: song '{song}' has an empty Artist: it is its own group");
                    artistOf.Add(song, "");
                    continue;
                }
                artistOf.Add(song, artist);
                if (mQuad >= 0 && labelOf.TryGetValue(song, out var q) &&
                    !string.Equals(row.Fields[mQuad].Trim(), q, StringComparison.OrdinalIgnoreCase))
                {
                    warnings.Add($"{metadataPath}, line {row.LineNumber}: song '{song}' has quadrant '{row.Fields[mQuad].Trim()}' but the annotations say {q}; the annotation is used");
                }
            }
        }
        else
        {
            warnings.Add($"metadata file '{metadataPath}' not found: artists unknown, every song is its own group");
        }

        // Audio files in the quadrant folders.
        var audioOf = new Dictionary<string, (string Path, string Folder)>(StringComparer.Ordinal);
        var accepted = AudioExtensions.ToSet(null);
        foreach (var folder in Quadrants)
        {
            var dir = Path.Combine(root, folder);
            if (!Directory.Exists(dir))
            {
                warnings.Add($"quadrant folder '{dir}' not found");
                continue;
            }
            foreach (var file in FolderPerLabelDataset.EnumerateAudio(dir, accepted))
            {
                string song = Path.GetFileNameWithoutExtension(file);
                if (audioOf.TryGetValue(song, out var first))
                {
                    warnings.Add($"song '{song}' has several audio files ('{first.Path}', '{file}'); the first is used");
                    continue;
                }
                audioOf.Add(song, (file, folder));
                if (!labelOf.ContainsKey(song))
                    warnings.Add($"audio file '{file}' has no annotation in {AnnotationsFileName}; left out");
            }
        }

        var items = new List<TrackItem>();
        var missing = new List<string>();
        foreach (var (song, quadrant) in labelOf.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!audioOf.TryGetValue(song, out var audio))
            {
                missing.Add(song);
                continue;
            }
            if (audio.Folder != quadrant)
                warnings.Add($"song '{song}' is annotated {quadrant} but its audio is in folder {audio.Folder}; the annotation is used");
            artistOf.TryGetValue(song, out var artist);
            if (artist is null && File.Exists(metadataPath))
                warnings.Add($"song '{song}' is not in {MetadataFileName}: its artist is unknown and it is its own group");
            items.Add(new TrackItem(audio.Path, song, quadrant, string.IsNullOrEmpty(artist) ? null : artist));
        }
        if (missing.Count > 0)
        {
            warnings.Add($"{missing.Count} of {labelOf.Count} annotated songs have no audio file and are left out " +
                         $"(first: {string.Join(", ", missing.Take(5))})");
        }
        if (items.Count == 0)
            throw new InvalidDataException($"4Q dataset at '{root}': none of the {labelOf.Count} annotated songs has an audio file in Q1..Q4");
        return new TrackDataset("4Q", root, items, Quadrants, warnings);
    }
}
