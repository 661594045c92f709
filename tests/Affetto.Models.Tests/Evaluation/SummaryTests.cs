using Affetto.Models.Evaluation;

namespace Affetto.Models.Tests.Evaluation;

public class SummaryTests
{
    public static TheoryData<double[], double, double> MeanStdCases => new()
    {
        // Reference values from numpy: np.mean(x), np.std(x, ddof=1).
        { new[] { 1.0, 2, 3, 4 }, 2.5, 1.2909944487358056 },
        { new[] { 0.7, 0.7 }, 0.7, 0.0 },
        { new[] { 0.61, 0.72, 0.68, 0.70, 0.65 }, 0.672, 0.04324349662087931 },
    };

    [Theory]
    [MemberData(nameof(MeanStdCases))]
    public void MeanStd_MatchesNumpyDdof1(double[] values, double mean, double std)
    {
        var s = MeanStd.Of(values);
        Assert.Equal(mean, s.Mean, 12);
        Assert.Equal(std, s.Std, 12);
        Assert.Equal(values.Length, s.Count);
    }

    [Fact]
    public void MeanStd_ToString_IsPlusMinus() => Assert.Equal("0.5000 ± 0.7071", MeanStd.Of([0.0, 1.0]).ToString());

    [Fact]
    public void MeanStd_BadInput_Throws()
    {
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => MeanStd.Of([0.5])).Message);
        Assert.Contains("value 1", Assert.Throws<ArgumentException>(() => MeanStd.Of([0.5, double.NaN])).Message);
    }

    [Fact]
    public void CrossValidationSummary_SummarisesEachMetric()
    {
        var r1 = new ClassificationReport(0.6, 0.5, 0.6, 0.55, 0.5, ["a"], [[1]]);
        var r2 = new ClassificationReport(0.8, 0.7, 0.8, 0.75, 0.7, ["a"], [[1]]);
        var s = CrossValidationSummary.From([r1, r2]);
        Assert.Equal(0.7, s.Accuracy.Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), s.Accuracy.Std, 12);
        Assert.Equal(0.6, s.WeightedPrecision.Mean, 12);
        Assert.Equal(0.7, s.WeightedRecall.Mean, 12);
        Assert.Equal(0.65, s.WeightedF1.Mean, 12);
        Assert.Equal(0.6, s.MacroF1.Mean, 12);
        Assert.Throws<ArgumentException>(() => CrossValidationSummary.From([r1]));
        Assert.Throws<ArgumentException>(() => CrossValidationSummary.From([r1, null!]));
    }

    public static TheoryData<double[], double, double> QuadrantCases => new()
    {
        { new[] { 1.0, 0, 0, 0 }, 1, 1 },
        { new[] { 0.0, 1, 0, 0 }, -1, 1 },
        { new[] { 0.0, 0, 1, 0 }, -1, -1 },
        { new[] { 0.0, 0, 0, 1 }, 1, -1 },
        { new[] { 0.25, 0.25, 0.25, 0.25 }, 0, 0 },
        { new[] { 0.5, 0, 0, 0.5 }, 1, 0 },
        { new[] { 0.1, 0.2, 0.3, 0.4 }, 0, -0.4 },
        { new[] { 2.0, 0, 0, 2 }, 1, 0 }, // unnormalised scores are divided by their sum
    };

    [Theory]
    [MemberData(nameof(QuadrantCases))]
    public void ValenceArousal_FromQuadrants(double[] p, double valence, double arousal)
    {
        var va = ValenceArousal.FromQuadrantProbabilities(p);
        Assert.Equal(valence, va.Valence, 12);
        Assert.Equal(arousal, va.Arousal, 12);
        var vaFloat = ValenceArousal.FromQuadrantProbabilities(p.Select(x => (float)x).ToArray().AsSpan());
        Assert.Equal(valence, vaFloat.Valence, 6);
    }

    [Fact]
    public void ValenceArousal_RandomDistributions_StayInUnitSquare()
    {
        var rng = new Random(1);
        for (int i = 0; i < 1000; i++)
        {
            var p = Enumerable.Range(0, 4).Select(_ => rng.NextDouble() * (rng.Next(3) == 0 ? 0 : 1)).ToArray();
            if (p.Sum() == 0)
                continue;
            var va = ValenceArousal.FromQuadrantProbabilities(p);
            Assert.InRange(va.Valence, -1, 1);
            Assert.InRange(va.Arousal, -1, 1);
        }
    }

    [Fact]
    public void ValenceArousal_BadInput_Throws()
    {
        Assert.Contains("got 3", Assert.Throws<ArgumentException>(() => ValenceArousal.FromQuadrantProbabilities(new double[3])).Message);
        Assert.Contains("Q2", Assert.Throws<ArgumentException>(() => ValenceArousal.FromQuadrantProbabilities([0.5, -0.1, 0.3, 0.3])).Message);
        Assert.Contains("Q3", Assert.Throws<ArgumentException>(() => ValenceArousal.FromQuadrantProbabilities([0.5, 0, double.NaN, 0.3])).Message);
        Assert.Contains("sum to 0", Assert.Throws<ArgumentException>(() => ValenceArousal.FromQuadrantProbabilities(new double[4])).Message);
    }
}
