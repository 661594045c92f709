using Affetto.Models.Data;
using Affetto.Models.Tests.Support;

namespace Affetto.Models.Tests.Data;

public class FourQuadrantDatasetTests
{
    private static TempDir MakeDataset(bool metadata = true)
    {
        var dir = new TempDir();
        dir.Write(FourQuadrantDataset.AnnotationsFileName,
            "Song,Quadrant\nMT1,Q1\nMT2,Q2\nMT3,Q3\nMT4,Q4\nMT5,Q1\nMT6,Q2\nMT_HELD,Q3\nMT1,Q1\nMT7,Q7\n");
        if (metadata)
        {
            dir.Write(FourQuadrantDataset.MetadataFileName,
                "\"Song\",\"Artist\",\"Title\",\"Quadrant\"\n" +
                "\"MT1\",\"Artist, The\",\"A \"\"quoted\"\" title\",\"Q1\"\n" +
                "\"MT2\",\"Björk\",\"Two\nlines\",\"Q2\"\n" +
                "\"MT3\",\"Björk\",\"x\",\"Q3\"\n" +
                "\"MT4\",\"Solo\",\"x\",\"Q1\"\n" +
                "\"MT5\",\"\",\"x\",\"Q1\"\n");
        }
        dir.Write("Q1/MT1.opus");
        dir.Write("Q2/MT2.mp3");
        dir.Write("Q3/MT3.opus");
        dir.Write("Q4/MT4.opus");
        dir.Write("Q1/MT5.opus");
        dir.Write("Q1/MT6.opus"); // annotated Q2: folder disagreement
        dir.Write("Q4/EXTRA.opus"); // no annotation
        return dir;
    }

    [Fact]
    public void Load_SyntheticDataset_KeepsAnnotatedSongsWithAudio()
    {
        using var dir = MakeDataset();
        var ds = FourQuadrantDataset.Load(dir.Path);
        Assert.Equal(["Q1", "Q2", "Q3", "Q4"], ds.Labels);
        Assert.Equal(["MT1", "MT2", "MT3", "MT4", "MT5", "MT6"], ds.Items.Select(i => i.Id));
        Assert.Equal(["Q1", "Q2", "Q3", "Q4", "Q1", "Q2"], ds.Items.Select(i => i.Label));
        Assert.Equal(["Artist, The", "Björk", "Björk", "Solo", null, null], ds.Items.Select(i => i.Group));
        Assert.EndsWith(Path.Combine("Q2", "MT2.mp3"), ds.Items[1].Path);
    }

    [Fact]
    public void Load_SyntheticDataset_ReportsEveryProblemAsWarning()
    {
        using var dir = MakeDataset();
        var w = FourQuadrantDataset.Load(dir.Path).Warnings;
        Assert.Contains(w, s => s.Contains("'MT1' is listed twice"));
        Assert.Contains(w, s => s.Contains("'Q7', not Q1..Q4"));
        Assert.Contains(w, s => s.Contains("'MT4' has quadrant 'Q1' but the annotations say Q4"));
        Assert.Contains(w, s => s.Contains("'MT6' is annotated Q2 but its audio is in folder Q1"));
        Assert.Contains(w, s => s.Contains("EXTRA.opus") && s.Contains("no annotation"));
        Assert.Contains(w, s => s.Contains("1 of 7 annotated songs have no audio") && s.Contains("MT_HELD"));
        Assert.Contains(w, s => s.Contains("'MT6' is not in"));
        Assert.Contains(w, s => s.Contains("'MT5' has an empty Artist"));
        Assert.Equal(8, w.Count);
    }

    [Fact]
    public void Load_WithoutMetadata_GroupsAreNullWithWarning()
    {
        using var dir = MakeDataset(metadata: false);
        var ds = FourQuadrantDataset.Load(dir.Path);
        Assert.All(ds.Items, i => Assert.Null(i.Group));
        Assert.Contains(ds.Warnings, s => s.Contains("metadata file") && s.Contains("not found"));
    }

    [Fact]
    public void Load_MissingAnnotations_ThrowsFileNotFoundNamingFile()
    {
        using var dir = new TempDir();
        dir.Write("Q1/a.opus");
        var e = Assert.Throws<FileNotFoundException>(() => FourQuadrantDataset.Load(dir.Path));
        Assert.Contains(FourQuadrantDataset.AnnotationsFileName, e.Message);
    }

    [Fact]
    public void Load_AnnotationsWithoutQuadrantColumn_ThrowsCsvFormat()
    {
        using var dir = new TempDir();
        dir.Write(FourQuadrantDataset.AnnotationsFileName, "Song,Label\nMT1,Q1\n");
        var e = Assert.Throws<CsvFormatException>(() => FourQuadrantDataset.Load(dir.Path));
        Assert.Contains("'Quadrant'", e.Message);
    }

    [Fact]
    public void Load_NoAudio_ThrowsInvalidData()
    {
        using var dir = new TempDir();
        dir.Write(FourQuadrantDataset.AnnotationsFileName, "Song,Quadrant\nMT1,Q1\n");
        var e = Assert.Throws<InvalidDataException>(() => FourQuadrantDataset.Load(dir.Path));
        Assert.Contains("none of the 1 annotated songs", e.Message);
    }

    [Fact]
    public void Load_MissingRoot_ThrowsDirectoryNotFound() =>
        Assert.Throws<DirectoryNotFoundException>(() => FourQuadrantDataset.Load("/nonexistent/4q"));

    [Fact]
    public void Load_Real4Q_Has720BalancedClipsWithArtists()
    {
        var root = SharedData.Find("4q");
        if (root is null)
            return; // shared data absent
        var ds = FourQuadrantDataset.Load(root);
        Assert.Equal(720, ds.Items.Count);
        Assert.Equal([180, 180, 180, 180], ds.CountsPerLabel());
        // Three songs have an empty Artist in the metadata: they are their own groups, with a warning each.
        Assert.Equal(3, ds.Items.Count(i => i.Group is null));
        Assert.Equal(481, ds.Items.Where(i => i.Group is not null).Select(i => i.Group).Distinct().Count());
        Assert.Equal(12, ds.Items.Count(i => i.Group == "Steven Halpern"));
        Assert.Equal(3, ds.Warnings.Count);
        Assert.All(ds.Warnings, w => Assert.Contains("empty Artist", w));
        var first = ds.Items.Single(i => i.Id == "MT0000004637");
        Assert.Equal(("Q3", "Charlie Poole"), (first.Label, first.Group));
    }
}
