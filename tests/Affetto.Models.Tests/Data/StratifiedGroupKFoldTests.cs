using Affetto.Models.Data;
using Affetto.Models.Tests.Support;

namespace Affetto.Models.Tests.Data;

public class StratifiedGroupKFoldTests
{
    /// <summary>Synthetic items: groups of 1-6 items, mostly one label per group, imbalanced classes.</summary>
    internal static (string[] Labels, string?[] Groups) Synthetic(int groupCount, int seed, bool someNullGroups = true)
    {
        var rng = new Random(seed);
        var labels = new List<string>();
        var groups = new List<string?>();
        string[] classes = ["a", "b", "c", "d"];
        double[] weights = [0.4, 0.3, 0.2, 0.1];
        for (int g = 0; g < groupCount; g++)
        {
            int size = rng.Next(1, 7);
            string main = classes[Pick(rng, weights)];
            bool isNull = someNullGroups && size == 1 && rng.Next(2) == 0;
            for (int i = 0; i < size; i++)
            {
                labels.Add(rng.NextDouble() < 0.8 ? main : classes[Pick(rng, weights)]);
                groups.Add(isNull ? null : $"artist{g}");
            }
        }
        return (labels.ToArray(), groups.ToArray());
    }

    private static int Pick(Random rng, double[] weights)
    {
        double u = rng.NextDouble();
        for (int i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0)
                return i;
        }
        return weights.Length - 1;
    }

    /// <summary>Checks the partition properties and returns the worst per-fold deviation of a label fraction.</summary>
    internal static double CheckFolds(IReadOnlyList<Fold> folds, string[] labels, string?[] groups)
    {
        int n = labels.Length;
        var testCount = new int[n];
        foreach (var fold in folds)
        {
            Assert.Equal(n, fold.TrainIndices.Length + fold.TestIndices.Length);
            Assert.True(fold.TrainIndices.SequenceEqual(fold.TrainIndices.Order()));
            Assert.True(fold.TestIndices.SequenceEqual(fold.TestIndices.Order()));
            Assert.Empty(fold.TrainIndices.Intersect(fold.TestIndices));
            Assert.NotEmpty(fold.TestIndices);
            foreach (int i in fold.TestIndices)
                testCount[i]++;
            var trainGroups = fold.TrainIndices.Where(i => groups[i] is not null).Select(i => groups[i]).ToHashSet();
            var testGroups = fold.TestIndices.Where(i => groups[i] is not null).Select(i => groups[i]).ToHashSet();
            Assert.Empty(trainGroups.Intersect(testGroups));
        }
        Assert.All(testCount, c => Assert.Equal(1, c));
        double worst = 0;
        foreach (var label in labels.Distinct())
        {
            double overall = labels.Count(l => l == label) / (double)n;
            foreach (var fold in folds)
            {
                double inFold = fold.TestIndices.Count(i => labels[i] == label) / (double)fold.TestIndices.Length;
                worst = Math.Max(worst, Math.Abs(inFold - overall));
            }
        }
        return worst;
    }

    public static TheoryData<int, int, int> Grid => new()
    {
        { 2, 0, 40 }, { 3, 1, 60 }, { 5, 2, 100 }, { 5, 3, 300 }, { 10, 4, 300 }, { 4, 5, 150 },
    };

    [Theory]
    [MemberData(nameof(Grid))]
    public void Split_Synthetic_PartitionsWithoutGroupLeakAndBalancesLabels(int k, int seed, int groupCount)
    {
        var (labels, groups) = Synthetic(groupCount, seed);
        var folds = new StratifiedGroupKFold(k, seed).Split(labels, groups);
        Assert.Equal(k, folds.Count);
        double worst = CheckFolds(folds, labels, groups);
        // Each fold holds ~n/k items in groups of up to 6: a label fraction can be off by a few items.
        double tolerance = Math.Max(0.05, 12.0 * k / labels.Length);
        Assert.True(worst <= tolerance, $"label fraction off by {worst:F3} > {tolerance:F3}");
    }

    [Fact]
    public void Split_SameSeed_IsDeterministic_DifferentSeedDiffers()
    {
        var (labels, groups) = Synthetic(200, 9);
        var a = new StratifiedGroupKFold(5, 11).Split(labels, groups);
        var b = new StratifiedGroupKFold(5, 11).Split(labels, groups);
        var c = new StratifiedGroupKFold(5, 12).Split(labels, groups);
        Assert.Equal(a.Select(f => f.TestIndices), b.Select(f => f.TestIndices));
        Assert.NotEqual(a.Select(f => string.Join(",", f.TestIndices)), c.Select(f => string.Join(",", f.TestIndices)));
    }

    [Fact]
    public void Split_AllGroupsNull_IsPlainStratifiedKFold()
    {
        var labels = Enumerable.Range(0, 100).Select(i => i % 4 == 0 ? "x" : "y").ToArray();
        var groups = new string?[100];
        var folds = new StratifiedGroupKFold(5, 0).Split(labels, groups);
        CheckFolds(folds, labels, groups);
        Assert.All(folds, f => Assert.Equal(5, f.TestIndices.Count(i => labels[i] == "x")));
        Assert.All(folds, f => Assert.Equal(20, f.TestIndices.Length));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    public void Split_Real4Q_ArtistsDisjointAndQuadrantsBalanced(int k)
    {
        var root = SharedData.Find("4q");
        if (root is null)
            return; // shared data absent
        var ds = FourQuadrantDataset.Load(root);
        var labels = ds.Items.Select(i => i.Label).ToArray();
        var groups = ds.Items.Select(i => i.Group).ToArray();
        var folds = new StratifiedGroupKFold(k, 0).Split(ds.Items);
        double worst = CheckFolds(folds, labels, groups);
        Assert.True(worst <= 0.02, $"quadrant fraction off by {worst:F4}");
        Assert.All(folds, f => Assert.InRange(f.TestIndices.Length, 720 / k - 4, 720 / k + 4));
    }

    [Fact]
    public void Constructor_KBelowTwo_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new StratifiedGroupKFold(1, 0));

    [Fact]
    public void Split_MoreFoldsThanGroups_ThrowsNamingCounts()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new StratifiedGroupKFold(3, 0).Split(["a", "b", "a", "b"], ["g1", "g1", "g2", "g2"]));
        Assert.Contains("3 folds from 2 groups", e.Message);
    }

    [Fact]
    public void Split_LabelInFewerGroupsThanK_ThrowsNamingLabel()
    {
        string[] labels = ["a", "a", "a", "a", "b", "b"];
        string?[] groups = ["1", "2", "3", "4", "5", "5"];
        var e = Assert.Throws<ArgumentException>(() => new StratifiedGroupKFold(2, 0).Split(labels, groups));
        Assert.Contains("label 'b' occurs in only 1 group", e.Message);
    }

    [Fact]
    public void Split_BadInput_Throws()
    {
        var kf = new StratifiedGroupKFold(2, 0);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => kf.Split([], [])).Message);
        Assert.Contains("parallel", Assert.Throws<ArgumentException>(() => kf.Split(["a", "b"], ["g"])).Message);
        Assert.Contains("item 1", Assert.Throws<ArgumentException>(() => kf.Split(["a", ""], [null, null])).Message);
    }
}
