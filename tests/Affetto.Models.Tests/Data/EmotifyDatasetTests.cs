using Affetto.Models.Data;
using Affetto.Models.Tests.Support;

namespace Affetto.Models.Tests.Data;

public class EmotifyDatasetTests
{
    private const string Header =
        "track id, genre, amazement, solemnity, tenderness, nostalgia, calmness, power, joyful_activation, tension, sadness, mood, liked, disliked, age, gender, mother tongue\n";

    private static TempDir MakeDataset()
    {
        var dir = new TempDir();
        dir.Write(EmotifyDataset.AnnotationsFileName, Header +
            // track 1 (classical): calm and tender -> Q4
            "1,classical,0,0,1,0,1,0,0,0,0,3,1,0,41,1,Dutch\n" +
            "1,classical,0,1,1,0,1,0,0,0,0,3,1,0,18,0,Dutch\n" +
            // track 102 (rock): tension and power -> Q2
            "102,rock,0,0,0,0,0,1,0,1,0,3,1,0,22,0,English\n" +
            "102,rock,0,0,0,0,0,0,1,1,0,3,1,0,22,0,English\n" +
            // track 250 (electronic): joyful -> Q1
            "250,electronic,1,0,0,0,0,0,1,0,0,3,1,0,22,0,English\n" +
            // track 301 (pop): sad and nostalgic -> Q3, genre column wrong
            "301,rock,0,0,0,1,0,0,0,0,1,3,1,0,22,0,English\n" +
            // track 399: annotated, no audio
            "399,pop,0,0,0,1,0,0,0,0,1,3,1,0,22,0,English\n" +
            // unparsable rows
            "abc,pop,0,0,0,1,0,0,0,0,1,3,1,0,22,0,English\n" +
            "302,pop,0,x,0,1,0,0,0,0,1,3,1,0,22,0,English\n");
        dir.Write("classical/1.opus");
        dir.Write("rock/2.opus");
        dir.Write("electronic/50.opus");
        dir.Write("pop/1.opus");
        dir.Write("pop/7.opus"); // no annotation
        dir.Write("pop/cover.mp3"); // bad name
        return dir;
    }

    [Fact]
    public void LoadTracks_Synthetic_AveragesVotesAndMapsToQuadrants()
    {
        using var dir = MakeDataset();
        var tracks = EmotifyDataset.LoadTracks(dir.Path);
        Assert.Equal([1, 102, 250, 301], tracks.Select(t => t.TrackId));
        Assert.Equal(["classical", "rock", "electronic", "pop"], tracks.Select(t => t.Genre));
        Assert.Equal(["Q4", "Q2", "Q1", "Q3"], tracks.Select(t => t.Quadrant));
        Assert.Equal([2, 2, 1, 1], tracks.Select(t => t.AnnotationCount));
        Assert.Equal([0, 0.5, 1, 0, 1, 0, 0, 0, 0], tracks[0].EmotionVotes);
        // Track 102: power 0.5, joyful 0.5, tension 1 -> Q1 = (0 + 0.5 + 0.25) / 2.5, Q2 = (1 + 0.25) / 1.5.
        Assert.Equal(0.75 / 2.5, tracks[1].QuadrantScores[0], 15);
        Assert.Equal(1.25 / 1.5, tracks[1].QuadrantScores[1], 15);
    }

    [Fact]
    public void Load_Synthetic_ItemsAndWarnings()
    {
        using var dir = MakeDataset();
        var ds = EmotifyDataset.Load(dir.Path);
        Assert.Equal(["1", "102", "250", "301"], ds.Items.Select(i => i.Id));
        Assert.Equal(["Q1", "Q2", "Q3", "Q4"], ds.Labels);
        Assert.All(ds.Items, i => Assert.Null(i.Group));
        var w = ds.Warnings;
        Assert.Contains(w, s => s.Contains("'abc' is not an integer"));
        Assert.Contains(w, s => s.Contains("solemnity = 'x' is not a number"));
        Assert.Contains(w, s => s.Contains("track 301 belongs to pop") && s.Contains("'rock'"));
        Assert.Contains(w, s => s.Contains("track 307") && s.Contains("no annotation"));
        Assert.Contains(w, s => s.Contains("cover.mp3") && s.Contains("not named"));
        Assert.Contains(w, s => s.Contains("1 of 5 annotated tracks have no audio") && s.Contains("399"));
    }

    [Fact]
    public void Load_MissingDataCsv_ThrowsFileNotFound()
    {
        using var dir = new TempDir();
        dir.Write("pop/1.opus");
        Assert.Throws<FileNotFoundException>(() => EmotifyDataset.Load(dir.Path));
    }

    [Fact]
    public void Load_MissingEmotionColumn_ThrowsCsvFormatNamingIt()
    {
        using var dir = new TempDir();
        dir.Write(EmotifyDataset.AnnotationsFileName, "track id, genre, amazement\n1,classical,0\n");
        var e = Assert.Throws<CsvFormatException>(() => EmotifyDataset.Load(dir.Path));
        Assert.Contains("'solemnity'", e.Message);
    }

    [Fact]
    public void Load_NoAudio_ThrowsInvalidData()
    {
        using var dir = new TempDir();
        dir.Write(EmotifyDataset.AnnotationsFileName, Header + "1,classical,0,0,1,0,1,0,0,0,0,3,1,0,41,1,Dutch\n");
        Assert.Throws<InvalidDataException>(() => EmotifyDataset.Load(dir.Path));
    }

    [Theory]
    [InlineData(1, "classical")]
    [InlineData(100, "classical")]
    [InlineData(101, "rock")]
    [InlineData(200, "rock")]
    [InlineData(201, "electronic")]
    [InlineData(301, "pop")]
    [InlineData(400, "pop")]
    public void GenreOfTrackId_Ranges(int id, string genre) => Assert.Equal(genre, EmotifyDataset.GenreOfTrackId(id));

    [Theory]
    [InlineData(0)]
    [InlineData(401)]
    public void GenreOfTrackId_OutOfRange_Throws(int id) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EmotifyDataset.GenreOfTrackId(id));

    [Fact]
    public void Load_RealEmotify_360TracksWithDocumentedQuadrantCounts()
    {
        var root = SharedData.Find("emotify");
        if (root is null)
            return; // shared data absent
        var ds = EmotifyDataset.Load(root);
        Assert.Equal(360, ds.Items.Count);
        Assert.Empty(ds.Warnings);
        // Counts computed independently with numpy from data.csv (see QuadrantScoreRule docs).
        Assert.Equal([79, 96, 89, 96], ds.CountsPerLabel());
        var sum = new GemsQuadrantMapping(
            GemsQuadrantMapping.Emotions.ToDictionary(e => e, e => Enumerable.Range(0, 4).Select(q => GemsQuadrantMapping.Default.Weight(e, q)).ToArray()),
            QuadrantScoreRule.Sum);
        Assert.Equal([118, 34, 34, 174], EmotifyDataset.Load(root, sum).CountsPerLabel());
        var genres = FolderPerLabelDataset.Load(root);
        Assert.Equal(["classical", "electronic", "pop", "rock"], genres.Labels);
        Assert.Equal([90, 90, 90, 90], genres.CountsPerLabel());
    }
}
