using Affetto.Models.Data;

namespace Affetto.Models.Tests.Data;

public class SplitHelpersTests
{
    [Theory]
    [InlineData(0.2, 1)]
    [InlineData(0.1, 2)]
    [InlineData(0.3, 3)]
    [InlineData(0.5, 4)]
    public void TrainValidation_Synthetic_GroupsDisjointAndFractionNearTarget(double fraction, int seed)
    {
        var (labels, groups) = StratifiedGroupKFoldTests.Synthetic(200, seed);
        var split = StratifiedGroupSplit.TrainValidation(labels, groups, fraction, seed);
        Assert.Equal(labels.Length, split.TrainIndices.Length + split.TestIndices.Length);
        Assert.Equal(Enumerable.Range(0, labels.Length), split.TrainIndices.Concat(split.TestIndices).Order());
        var trainGroups = split.TrainIndices.Select(i => groups[i]).Where(g => g is not null).ToHashSet();
        Assert.DoesNotContain(split.TestIndices.Select(i => groups[i]), g => g is not null && trainGroups.Contains(g));
        foreach (var label in labels.Distinct())
        {
            double total = labels.Count(l => l == label);
            double inValidation = split.TestIndices.Count(i => labels[i] == label);
            Assert.InRange(inValidation / total, fraction - 0.05, fraction + 0.05);
        }
    }

    [Fact]
    public void TrainValidation_Deterministic()
    {
        var (labels, groups) = StratifiedGroupKFoldTests.Synthetic(100, 5);
        Assert.Equal(StratifiedGroupSplit.TrainValidation(labels, groups, 0.2, 7).TestIndices,
            StratifiedGroupSplit.TrainValidation(labels, groups, 0.2, 7).TestIndices);
    }

    [Fact]
    public void TrainValidation_TwoGroups_BothSidesNonEmpty()
    {
        var split = StratifiedGroupSplit.TrainValidation(["a", "a", "a"], ["g", "g", "h"], 0.01, 0);
        Assert.NotEmpty(split.TrainIndices);
        Assert.NotEmpty(split.TestIndices);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void TrainValidation_BadFraction_Throws(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedGroupSplit.TrainValidation(["a", "b"], [null, null], fraction, 0));

    [Fact]
    public void TrainValidation_OneGroup_Throws() =>
        Assert.Contains("two groups", Assert.Throws<ArgumentException>(() =>
            StratifiedGroupSplit.TrainValidation(["a", "b"], ["g", "g"], 0.5, 0)).Message);

    [Fact]
    public void ToSegments_SegmentsFollowTheirTrack()
    {
        var trackFold = new Fold([0, 2], [1]);
        int[] segmentTrack = [0, 0, 1, 1, 1, 2, 0];
        var seg = SegmentSplit.ToSegments(trackFold, segmentTrack, 3);
        Assert.Equal([0, 1, 5, 6], seg.TrainIndices);
        Assert.Equal([2, 3, 4], seg.TestIndices);
    }

    [Fact]
    public void ToSegments_KFoldOnTracks_NoTrackOnBothSides()
    {
        var (labels, groups) = StratifiedGroupKFoldTests.Synthetic(60, 1);
        var rng = new Random(1);
        var segmentTrack = Enumerable.Range(0, labels.Length).SelectMany(t => Enumerable.Repeat(t, rng.Next(1, 5))).ToArray();
        foreach (var fold in new StratifiedGroupKFold(4, 0).Split(labels, groups))
        {
            var seg = SegmentSplit.ToSegments(fold, segmentTrack, labels.Length);
            Assert.Equal(segmentTrack.Length, seg.TrainIndices.Length + seg.TestIndices.Length);
            var testTracks = seg.TestIndices.Select(s => segmentTrack[s]).ToHashSet();
            Assert.Equal(fold.TestIndices.ToHashSet(), testTracks);
            Assert.DoesNotContain(seg.TrainIndices, s => testTracks.Contains(segmentTrack[s]));
        }
    }

    [Fact]
    public void ToSegments_BadInput_ThrowsNamingProblem()
    {
        var fold = new Fold([0], [1]);
        Assert.Contains("outside", Assert.Throws<ArgumentException>(() => SegmentSplit.ToSegments(fold, [0, 5], 2)).Message);
        Assert.Contains("neither side", Assert.Throws<ArgumentException>(() => SegmentSplit.ToSegments(fold, [0, 2], 3)).Message);
        Assert.Contains("both sides", Assert.Throws<ArgumentException>(() => SegmentSplit.ToSegments(new Fold([0], [0]), [0], 1)).Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomOversample_BalancesClassesKeepingOriginals(int seed)
    {
        var labels = Enumerable.Range(0, 37).Select(i => i < 20 ? "big" : i < 30 ? "mid" : "small").ToArray();
        var indices = Oversampling.RandomOversample(labels, seed);
        Assert.Equal(60, indices.Length);
        Assert.Equal(Enumerable.Range(0, 37), indices.Take(37));
        Assert.All(indices.GroupBy(i => labels[i]), g => Assert.Equal(20, g.Count()));
        Assert.Equal(indices, Oversampling.RandomOversample(labels, seed));
        Assert.True(indices.Skip(37).Where(i => labels[i] == "mid").Distinct().Count() > 3, "draws should vary");
    }

    [Fact]
    public void RandomOversample_Generic_ReturnsItems()
    {
        string[] items = ["a1", "a2", "b1"];
        var result = Oversampling.RandomOversample(items, s => s[..1], 0);
        Assert.Equal(4, result.Count);
        Assert.Equal("b1", result[3]);
    }

    [Fact]
    public void RandomOversample_BadInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => Oversampling.RandomOversample([], 0));
        Assert.Contains("item 1", Assert.Throws<ArgumentException>(() => Oversampling.RandomOversample(["a", ""], 0)).Message);
    }
}
