using System.Text.Json;
using Affetto.Models.Embeddings;
using Affetto.Models.Tests.Support;

namespace Affetto.Models.Tests.Embeddings;

public class PcaTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Fixture.Load("embeddings_fixture.json").GetProperty("pca").EnumerateArray())
            data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static JsonElement Case(string name) =>
        Fixture.Load("embeddings_fixture.json").GetProperty("pca").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Fit_MatchesScikitLearn(string name)
    {
        var c = Case(name);
        var data = c.GetProperty("data").Matrix();
        var components = c.GetProperty("components").Matrix();
        var pca = Pca.Fit(data, components.Length);
        Assert.Equal(data[0].Length, pca.FeatureCount);
        Assert.Equal(components.Length, pca.ComponentCount);
        AssertClose(c.GetProperty("mean").Doubles(), pca.Mean.ToArray(), 1e-12);
        AssertClose(c.GetProperty("explained_variance").Doubles(), pca.ExplainedVariance.ToArray(), 1e-9);
        AssertClose(c.GetProperty("explained_variance_ratio").Doubles(), pca.ExplainedVarianceRatio.ToArray(), 1e-9);
        for (int k = 0; k < components.Length; k++)
            AssertClose(components[k], pca.Components[k], 1e-8);
        var expected = c.GetProperty("transformed").Matrix();
        var actual = pca.Transform(data);
        for (int i = 0; i < data.Length; i++)
            AssertClose(expected[i], actual[i], 1e-8);
    }

    [Fact]
    public void Fit_FloatOverload_MatchesDouble()
    {
        var rng = new Random(2);
        var f = Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, 4).Select(_ => (float)rng.NextDouble()).ToArray()).ToArray();
        var d = f.Select(r => r.Select(v => (double)v).ToArray()).ToArray();
        var a = Pca.Fit(f, 2);
        var b = Pca.Fit(d, 2);
        Assert.Equal(b.Components[0], a.Components[0]);
        Assert.Equal(b.Transform(d)[3], a.Transform(f)[3]);
    }

    [Fact]
    public void Fit_NaN_ThrowsNamingRowAndColumn()
    {
        var data = new[] { new[] { 1.0, 2 }, new[] { 3.0, double.NaN }, new[] { 0.0, 1 } };
        var e = Assert.Throws<ArgumentException>(() => Pca.Fit(data, 1));
        Assert.Contains("row 1, column 1 is NaN", e.Message);
    }

    [Fact]
    public void Fit_BadInput_Throws()
    {
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Pca.Fit(Array.Empty<double[]>(), 1)).Message);
        Assert.Contains("at least 2 samples", Assert.Throws<ArgumentException>(() => Pca.Fit(new[] { new[] { 1.0 } }, 1)).Message);
        Assert.Contains("row 1 has 1", Assert.Throws<ArgumentException>(() => Pca.Fit(new[] { new[] { 1.0, 2 }, new[] { 1.0 } }, 1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Pca.Fit(new[] { new[] { 1.0, 2 }, new[] { 2.0, 1 } }, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pca.Fit(new[] { new[] { 1.0, 2 }, new[] { 2.0, 1 } }, 0));
        var pca = Pca.Fit(new[] { new[] { 1.0, 2 }, new[] { 2.0, 1 }, new[] { 0.0, 0 } }, 1);
        Assert.Contains("fitted on 2", Assert.Throws<ArgumentException>(() => pca.Transform(new[] { new[] { 1.0 } })).Message);
        Assert.Contains("infinity", Assert.Throws<ArgumentException>(() => pca.Transform(new[] { new[] { 1.0, double.PositiveInfinity } })).Message, StringComparison.OrdinalIgnoreCase);
    }

    private static void AssertClose(double[] expected, IReadOnlyList<double> actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Count);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"[{i}] expected {expected[i]:R}, got {actual[i]:R}");
    }
}
