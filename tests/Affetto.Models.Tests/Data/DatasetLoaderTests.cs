using Affetto.Models.Data;
using Affetto.Models.Tests.Support;

namespace Affetto.Models.Tests.Data;

public class DatasetLoaderTests
{
    [Fact]
    public void Load_FolderWithFourQuadrantAnnotations_UsesThe4QReader()
    {
        using var dir = new TempDir();
        dir.Write(FourQuadrantDataset.AnnotationsFileName, "Song,Quadrant\nMT1,Q1\nMT2,Q3\n");
        dir.Write("Q1/MT1.opus");
        dir.Write("Q1/MT2.opus"); // the annotation wins over the folder, as only the 4Q reader does
        var ds = DatasetLoader.Load(dir.Path);
        Assert.True(DatasetLoader.IsFourQuadrant(dir.Path));
        Assert.Equal("4Q", ds.Name);
        Assert.Equal(["Q1", "Q2", "Q3", "Q4"], ds.Labels);
        Assert.Equal(["Q1", "Q3"], ds.Items.Select(i => i.Label));
        Assert.Equal(["MT1", "MT2"], ds.Items.Select(i => i.Id));
    }

    [Fact]
    public void Load_FolderPerLabel_UsesTheGenericReader()
    {
        using var dir = new TempDir();
        dir.Write("calm/a.wav");
        dir.Write("angry/b.flac");
        var ds = DatasetLoader.Load(dir.Path);
        Assert.False(DatasetLoader.IsFourQuadrant(dir.Path));
        Assert.Equal(["angry", "calm"], ds.Labels);
        Assert.Equal(["angry/b", "calm/a"], ds.Items.Select(i => i.Id));
    }

    public static TheoryData<string, string[]> NotDatasets() => new()
    {
        { "empty", [] },
        { "loose files", ["a.wav", "b.opus"] },
        { "no audio", ["notes/readme.txt", "x/y.csv"] },
    };

    [Theory]
    [MemberData(nameof(NotDatasets))]
    public void Load_FolderThatIsNeither_ThrowsInvalidDataNamingTheFolderAndBothLayouts(string name, string[] files)
    {
        _ = name;
        using var dir = new TempDir();
        foreach (string f in files) dir.Write(f);
        var e = Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(dir.Path));
        Assert.Contains(dir.Path, e.Message);
        Assert.Contains(FourQuadrantDataset.AnnotationsFileName, e.Message);
        Assert.Contains("folder-per-label", e.Message);
    }

    [Fact]
    public void Load_MissingFolder_ThrowsDirectoryNotFound()
    {
        using var dir = new TempDir();
        string missing = System.IO.Path.Combine(dir.Path, "nope");
        var e = Assert.Throws<DirectoryNotFoundException>(() => DatasetLoader.Load(missing));
        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void Load_AFile_ThrowsDirectoryNotFoundSayingItIsAFile()
    {
        using var dir = new TempDir();
        string file = dir.Write("x.wav");
        var e = Assert.Throws<DirectoryNotFoundException>(() => DatasetLoader.Load(file));
        Assert.Contains("is a file", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Load_BlankPath_ThrowsArgumentException(string path) =>
        Assert.ThrowsAny<ArgumentException>(() => DatasetLoader.Load(path));

    [Fact]
    public void Load_FourQuadrantWithMalformedAnnotations_KeepsTheCsvError()
    {
        using var dir = new TempDir();
        dir.Write(FourQuadrantDataset.AnnotationsFileName, "Song,Label\nMT1,Q1\n");
        dir.Write("Q1/MT1.opus");
        Assert.Throws<CsvFormatException>(() => DatasetLoader.Load(dir.Path));
    }

    [Fact]
    public void Load_SharedFourQuadrantData_WhenPresent_Has720Tracks()
    {
        string? root = SharedData.Find("4q");
        if (root is null)
            return; // shared data absent on this machine
        var ds = DatasetLoader.Load(root);
        Assert.Equal("4Q", ds.Name);
        Assert.Equal(720, ds.Items.Count);
    }
}
