using System.Globalization;

namespace Affetto.Models.Data;

/// <summary>
/// The Emotify dataset (Aljanaki, Wiering and Veltkamp 2016): <c>root/&lt;genre&gt;/&lt;n&gt;.&lt;audio ext&gt;</c>
/// for genres classical, rock, electronic, pop and n in 1..100, and <c>root/data.csv</c> with one row per
/// listener annotation (<c>track id, genre, amazement, ..., sadness, mood, ...</c>; track id = n + genre offset).
/// Each track's nine GEMS votes are averaged over its listeners and mapped to a quadrant with a
/// <see cref="GemsQuadrantMapping"/>. For genre labels use <see cref="FolderPerLabelDataset"/> on the same root.
/// </summary>
public static class EmotifyDataset
{
    /// <summary>File name of the annotations CSV.</summary>
    public const string AnnotationsFileName = "data.csv";

    /// <summary>Genre folders and the offsets that turn a file number into a track id.</summary>
    public static IReadOnlyDictionary<string, int> GenreOffsets { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["classical"] = 0,
        ["rock"] = 100,
        ["electronic"] = 200,
        ["pop"] = 300,
    };

    /// <summary>
    /// Loads the dataset with quadrant labels: item id = track id, label = assigned quadrant, group = null (Emotify
    /// publishes no artists). Annotations without audio, audio without annotations, unparsable rows and
    /// genre-column/track-id disagreements give warnings.
    /// </summary>
    /// <param name="root">The dataset root.</param>
    /// <param name="mapping">GEMS-to-quadrant mapping; null for <see cref="GemsQuadrantMapping.Default"/>.</param>
    /// <returns>Items sorted by numeric track id; labels Q1..Q4.</returns>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="FileNotFoundException">data.csv is missing.</exception>
    /// <exception cref="CsvFormatException">data.csv is malformed or lacks a required column.</exception>
    /// <exception cref="InvalidDataException">No annotated track has audio.</exception>
    public static TrackDataset Load(string root, GemsQuadrantMapping? mapping = null)
    {
        var warnings = new List<string>();
        var tracks = LoadTracks(root, mapping, warnings);
        var items = tracks.Select(t => new TrackItem(t.Path, t.TrackId.ToString(CultureInfo.InvariantCulture), t.Quadrant, null)).ToArray();
        return new TrackDataset("Emotify", Path.GetFullPath(root), items, FourQuadrantDataset.Quadrants, warnings);
    }

    /// <summary>Loads the per-track aggregated annotations (same rules as <see cref="Load"/>; warnings are dropped).</summary>
    /// <param name="root">The dataset root.</param>
    /// <param name="mapping">GEMS-to-quadrant mapping; null for <see cref="GemsQuadrantMapping.Default"/>.</param>
    /// <returns>Tracks with audio and at least one annotation, sorted by track id.</returns>
    public static IReadOnlyList<EmotifyTrack> LoadTracks(string root, GemsQuadrantMapping? mapping = null) =>
        LoadTracks(root, mapping, []);

    private static List<EmotifyTrack> LoadTracks(string root, GemsQuadrantMapping? mapping, List<string> warnings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        mapping ??= GemsQuadrantMapping.Default;
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"Emotify dataset folder not found: {root}");
        root = Path.GetFullPath(root);

        var csvPath = Path.Combine(root, AnnotationsFileName);
        var table = CsvTable.Load(csvPath);
        int idCol = table.ColumnIndex("track id");
        int genreCol = table.ColumnIndex("genre");
        var emotionCols = GemsQuadrantMapping.Emotions.Select(table.ColumnIndex).ToArray();
        int nEmotions = emotionCols.Length;

        var sums = new SortedDictionary<int, (double[] Votes, int Count)>();
        foreach (var row in table.Rows)
        {
            string idText = row.Fields[idCol].Trim();
            if (!int.TryParse(idText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int id) || id < 1 || id > 400)
            {
                warnings.Add($"{csvPath}, line {row.LineNumber}: track id '{idText}' is not an integer in 1..400; row left out");
                continue;
            }
            var votes = new double[nEmotions];
            bool ok = true;
            for (int e = 0; e < nEmotions && ok; e++)
            {
                string v = row.Fields[emotionCols[e]].Trim();
                if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out votes[e]) || !double.IsFinite(votes[e]))
                {
                    warnings.Add($"{csvPath}, line {row.LineNumber}: {GemsQuadrantMapping.Emotions[e]} = '{v}' is not a number; row left out");
                    ok = false;
                }
            }
            if (!ok)
                continue;
            string expectedGenre = GenreOfTrackId(id);
            string genre = row.Fields[genreCol].Trim();
            if (!string.Equals(genre, expectedGenre, StringComparison.OrdinalIgnoreCase))
                warnings.Add($"{csvPath}, line {row.LineNumber}: track {id} belongs to {expectedGenre} by its id but the genre column says '{genre}'; the id is used");
            if (!sums.TryGetValue(id, out var acc))
                acc = (new double[nEmotions], 0);
            for (int e = 0; e < nEmotions; e++)
                acc.Votes[e] += votes[e];
            sums[id] = (acc.Votes, acc.Count + 1);
        }

        // Audio files: <genre>/<n>.<ext>.
        var audio = new Dictionary<int, string>();
        var accepted = AudioExtensions.ToSet(null);
        foreach (var (genre, offset) in GenreOffsets)
        {
            var dir = Path.Combine(root, genre);
            if (!Directory.Exists(dir))
            {
                warnings.Add($"genre folder '{dir}' not found");
                continue;
            }
            foreach (var file in FolderPerLabelDataset.EnumerateAudio(dir, accepted))
            {
                string stem = Path.GetFileNameWithoutExtension(file);
                if (!int.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > 100)
                {
                    warnings.Add($"audio file '{file}' is not named <1..100>.<ext>; left out");
                    continue;
                }
                int id = n + offset;
                if (!audio.TryAdd(id, file))
                {
                    warnings.Add($"track {id} has several audio files ('{audio[id]}', '{file}'); the first is used");
                    continue;
                }
                if (!sums.ContainsKey(id))
                    warnings.Add($"audio file '{file}' (track {id}) has no annotation in {AnnotationsFileName}; left out");
            }
        }

        var tracks = new List<EmotifyTrack>();
        var missing = new List<int>();
        foreach (var (id, acc) in sums)
        {
            if (!audio.TryGetValue(id, out var path))
            {
                missing.Add(id);
                continue;
            }
            var mean = acc.Votes.Select(v => v / acc.Count).ToArray();
            var scores = mapping.Scores(mean);
            int q = mapping.Assign(mean);
            tracks.Add(new EmotifyTrack(id, GenreOfTrackId(id), path, acc.Count, mean, scores, FourQuadrantDataset.Quadrants[q]));
        }
        if (missing.Count > 0)
            warnings.Add($"{missing.Count} of {sums.Count} annotated tracks have no audio file and are left out (first: {string.Join(", ", missing.Take(5))})");
        if (tracks.Count == 0)
            throw new InvalidDataException($"Emotify dataset at '{root}': none of the {sums.Count} annotated tracks has an audio file");
        return tracks;
    }

    /// <summary>The genre a track id belongs to (1..100 classical, 101..200 rock, 201..300 electronic, 301..400 pop).</summary>
    /// <param name="trackId">Track id in 1..400.</param>
    /// <returns>The genre folder name.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Track id outside 1..400.</exception>
    public static string GenreOfTrackId(int trackId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trackId, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(trackId, 400);
        int offset = (trackId - 1) / 100 * 100;
        return GenreOffsets.First(p => p.Value == offset).Key;
    }
}
