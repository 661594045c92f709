using Affetto.Models.Data;
using Affetto.Models.Tests.Support;

namespace Affetto.Models.Tests.Data;

public class FolderPerLabelDatasetTests
{
    [Fact]
    public void Load_LabelFolders_RecursiveAnyAudioExtension()
    {
        using var dir = new TempDir();
        dir.Write("rock/a.opus");
        dir.Write("rock/live/b.MP3");
        dir.Write("jazz/c.wav");
        dir.Write("jazz/notes.txt");
        dir.Write("jazz/.hidden.wav");
        dir.Write(".git/x.wav");
        dir.Write("metadata.csv", "x");
        var ds = FolderPerLabelDataset.Load(dir.Path);
        Assert.Equal(["jazz", "rock"], ds.Labels);
        Assert.Equal(["jazz/c", "rock/a", "rock/live/b"], ds.Items.Select(i => i.Id));
        Assert.Equal(["jazz", "rock", "rock"], ds.Items.Select(i => i.Label));
        Assert.All(ds.Items, i => Assert.Null(i.Group));
        Assert.All(ds.Items, i => Assert.True(File.Exists(i.Path)));
        Assert.Empty(ds.Warnings);
        Assert.Equal([1, 2], ds.CountsPerLabel());
        Assert.Equal([0, 1, 1], ds.LabelIndices());
    }

    [Fact]
    public void Load_CustomExtensions_FiltersFiles()
    {
        using var dir = new TempDir();
        dir.Write("a/x.wav");
        dir.Write("a/y.opus");
        dir.Write("b/z.WAV");
        var ds = FolderPerLabelDataset.Load(dir.Path, ["wav"]);
        Assert.Equal(["a/x", "b/z"], ds.Items.Select(i => i.Id));
    }

    [Fact]
    public void Load_EmptyLabelFolderAndDuplicateStem_GiveWarnings()
    {
        using var dir = new TempDir();
        dir.Write("a/x.wav");
        dir.Write("a/x.flac");
        Directory.CreateDirectory(Path.Combine(dir.Path, "empty"));
        var ds = FolderPerLabelDataset.Load(dir.Path);
        Assert.Equal(["a"], ds.Labels);
        Assert.Single(ds.Items);
        Assert.EndsWith("x.flac", ds.Items[0].Path);
        Assert.Equal(2, ds.Warnings.Count);
        Assert.Contains(ds.Warnings, w => w.Contains("empty") && w.Contains("no audio files"));
        Assert.Contains(ds.Warnings, w => w.Contains("another extension"));
    }

    [Fact]
    public void Load_NoAudio_ThrowsInvalidData()
    {
        using var dir = new TempDir();
        dir.Write("a/readme.txt");
        var e = Assert.Throws<InvalidDataException>(() => FolderPerLabelDataset.Load(dir.Path));
        Assert.Contains(dir.Path, e.Message);
    }

    [Fact]
    public void Load_NoSubfolders_ThrowsInvalidDataSayingSo()
    {
        using var dir = new TempDir();
        dir.Write("x.wav");
        var e = Assert.Throws<InvalidDataException>(() => FolderPerLabelDataset.Load(dir.Path));
        Assert.Contains("no subfolders", e.Message);
    }

    [Fact]
    public void Load_MissingRoot_ThrowsDirectoryNotFound()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => FolderPerLabelDataset.Load("/nonexistent/affetto-data"));
        Assert.Contains("/nonexistent/affetto-data", e.Message);
    }

    public static TheoryData<string[]> BadExtensionLists => new() { Array.Empty<string>(), new[] { "" }, new[] { "wav", "." } };

    [Theory]
    [MemberData(nameof(BadExtensionLists))]
    public void Load_BadExtensionList_ThrowsArgument(string[] extensions)
    {
        using var dir = new TempDir();
        dir.Write("a/x.wav");
        Assert.Throws<ArgumentException>(() => FolderPerLabelDataset.Load(dir.Path, extensions));
    }

    [Theory]
    [InlineData("x.opus", true)]
    [InlineData("x.AU", true)]
    [InlineData("dir/x.flac", true)]
    [InlineData("x.aiff", true)]
    [InlineData("x.m4a", false)]
    [InlineData("x.txt", false)]
    [InlineData("x", false)]
    public void AudioExtensions_IsAudioFile_MatchesLibsndfileFormats(string path, bool expected) =>
        Assert.Equal(expected, AudioExtensions.IsAudioFile(path));

    [Fact]
    public void Load_RealGtzan_Has499ClipsInTenGenres()
    {
        var root = SharedData.Find("gtzan/genres");
        if (root is null)
            return; // shared data absent: nothing to check
        var ds = FolderPerLabelDataset.Load(root);
        Assert.Equal(499, ds.Items.Count);
        Assert.Equal(["blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock"], ds.Labels);
        Assert.Equal([50, 49, 50, 50, 50, 50, 50, 50, 50, 50], ds.CountsPerLabel());
        Assert.Contains(ds.Items, i => i.Id == "blues/blues.00001");
        Assert.Empty(ds.Warnings);
    }

    [Fact]
    public void TrackDataset_InvalidContents_ThrowArgument()
    {
        var item = new TrackItem("/a.wav", "a", "Q1", null);
        Assert.Contains("no items", Assert.Throws<ArgumentException>(() => new TrackDataset("t", "/r", [])).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => new TrackDataset("t", "/r", [item, item])).Message);
        Assert.Contains("not in the label set", Assert.Throws<ArgumentException>(() => new TrackDataset("t", "/r", [item], ["Q2"])).Message);
        Assert.Contains("empty label", Assert.Throws<ArgumentException>(() => new TrackDataset("t", "/r", [item with { Label = "" }])).Message);
        var ds = new TrackDataset("t", "/r", [item], ["Q1", "Q2"]);
        Assert.Equal(1, ds.LabelIndex("Q2"));
        Assert.Contains("'Q9'", Assert.Throws<ArgumentException>(() => ds.LabelIndex("Q9")).Message);
    }
}
