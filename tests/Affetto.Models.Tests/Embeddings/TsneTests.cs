using Affetto.Models.Embeddings;
using Affetto.Models.Tests.Support;

namespace Affetto.Models.Tests.Embeddings;

public class TsneTests
{
    [Fact]
    public void JointProbabilities_MatchScikitLearn()
    {
        var pieces = Fixture.Load("embeddings_fixture.json").GetProperty("tsne_pieces");
        var data = pieces.GetProperty("data").Matrix();
        int n = data.Length, d = data[0].Length;
        var dist = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
                dist[i * n + j] = Enumerable.Range(0, d).Sum(k => (data[i][k] - data[j][k]) * (data[i][k] - data[j][k]));
        }
        var p = Tsne.JointProbabilities(dist, n, pieces.GetProperty("perplexity").GetDouble());
        var expected = pieces.GetProperty("p").Matrix();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
                Assert.True(Math.Abs(expected[i][j] - p[i * n + j]) <= 1e-12 * Math.Max(expected[i][j], 1e-3), $"P[{i},{j}]: {expected[i][j]:R} vs {p[i * n + j]:R}");
        }
    }

    [Fact]
    public void KlAndGradient_MatchScikitLearn()
    {
        var pieces = Fixture.Load("embeddings_fixture.json").GetProperty("tsne_pieces");
        var pm = pieces.GetProperty("p").Matrix();
        var y = pieces.GetProperty("y").Matrix();
        int n = y.Length;
        var p = pm.SelectMany(r => r).ToArray();
        var flat = y.SelectMany(r => r).ToArray();
        var grad = new double[n * 2];
        Tsne.Gradient(p, 1.0, flat, n, 2, grad, new double[Tsne.ScratchLength(n, 2)], true, out double kl);
        Assert.Equal(pieces.GetProperty("kl").GetDouble(), kl, 1e-10);
        var expected = pieces.GetProperty("grad").Matrix().SelectMany(r => r).ToArray();
        for (int k = 0; k < grad.Length; k++)
            Assert.Equal(expected[k], grad[k], 1e-12);
    }

    [Theory]
    [InlineData(1, 12)]
    [InlineData(2, 12)]
    [InlineData(2, 23)]
    [InlineData(3, 12)]
    public void KlGradient_MatchesFiniteDifferences(int dim, int n)
    {
        var rng = new Random(5);
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 3).Select(_ => rng.NextDouble()).ToArray()).ToArray();
        var dist = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
                dist[i * n + j] = Enumerable.Range(0, 3).Sum(k => (x[i][k] - x[j][k]) * (x[i][k] - x[j][k]));
        }
        var p = Tsne.JointProbabilities(dist, n, 4);
        var y = Enumerable.Range(0, n * dim).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var grad = new double[n * dim];
        var scratch = new double[Tsne.ScratchLength(n, dim)];
        Tsne.Gradient(p, 1.0, y, n, dim, grad, scratch, true, out _);
        // The fast path (no KL; vectorised for 2-D) must give the same gradient and norm.
        var fast = new double[n * dim];
        double fastNorm = Tsne.Gradient(p, 1.0, y, n, dim, fast, scratch, false, out double noKl);
        Assert.True(double.IsNaN(noKl));
        Assert.Equal(Math.Sqrt(grad.Sum(g => g * g)), fastNorm, 1e-14);
        for (int k = 0; k < grad.Length; k++)
            Assert.Equal(grad[k], fast[k], 1e-15);
        const double h = 1e-6;
        for (int k = 0; k < y.Length; k++)
        {
            double old = y[k];
            y[k] = old + h;
            Tsne.Gradient(p, 1.0, y, n, dim, new double[n * dim], scratch, true, out double plus);
            y[k] = old - h;
            Tsne.Gradient(p, 1.0, y, n, dim, new double[n * dim], scratch, true, out double minus);
            y[k] = old;
            Assert.Equal((plus - minus) / (2 * h), grad[k], 1e-7);
        }
    }

    [Fact]
    public void Trustworthiness_MatchesScikitLearn()
    {
        foreach (var c in Fixture.Load("embeddings_fixture.json").GetProperty("trustworthiness").EnumerateArray())
        {
            double t = EmbeddingQuality.Trustworthiness(c.GetProperty("original").Matrix(), c.GetProperty("embedded").Matrix(), c.GetProperty("k").GetInt32());
            Assert.Equal(c.GetProperty("trustworthiness").GetDouble(), t, 1e-12);
        }
    }

    [Fact]
    public void Trustworthiness_BadInput_Throws()
    {
        var x = Enumerable.Range(0, 10).Select(i => new[] { (double)i }).ToArray();
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingQuality.Trustworthiness(x, x, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingQuality.Trustworthiness(x, x, 0));
        Assert.Contains("10 original rows but 9", Assert.Throws<ArgumentException>(() => EmbeddingQuality.Trustworthiness(x, x[1..], 2)).Message);
        Assert.Equal(1.0, EmbeddingQuality.Trustworthiness(x, x, 3), 12);
    }

    [Theory]
    [InlineData(TsneInit.Pca, 0)]
    [InlineData(TsneInit.Random, 1)]
    [InlineData(TsneInit.Random, 2)]
    public void FitTransform_GaussianClusters_SeparatesThemAsWellAsScikitLearn(TsneInit init, int seed)
    {
        var fixture = Fixture.Load("embeddings_fixture.json").GetProperty("tsne");
        var data = fixture.GetProperty("data").Matrix();
        var labels = fixture.GetProperty("labels").Ints();
        var result = Tsne.FitTransform(data, new TsneOptions { Perplexity = fixture.GetProperty("perplexity").GetDouble(), Init = init, Seed = seed });
        Assert.Equal(1000, result.Iterations);
        Assert.Equal(50, result.LearningRate); // auto: max(120 / 12 / 4, 50)

        double reference = fixture.GetProperty("sklearn_trustworthiness_k10").GetDouble();
        double trust = EmbeddingQuality.Trustworthiness(data, result.Embedding, 10);
        Assert.True(trust >= reference - 0.02, $"trustworthiness {trust:F4} vs scikit-learn {reference:F4}");

        // Each point's 5 nearest embedded neighbours share its cluster.
        int agree = 0;
        for (int i = 0; i < data.Length; i++)
        {
            var nearest = Enumerable.Range(0, data.Length).Where(j => j != i)
                .OrderBy(j => Dist2(result.Embedding[i], result.Embedding[j])).Take(5);
            agree += nearest.Count(j => labels[j] == labels[i]);
        }
        Assert.True(agree >= 0.98 * data.Length * 5, $"{agree} of {data.Length * 5} neighbours in the same cluster");

        // KL decreases after the exaggeration phase and ends near scikit-learn's.
        var after = result.KlHistory.Where(h => h.Iteration > 250).Select(h => h.Kl).ToArray();
        Assert.True(after[^1] < after[0], $"KL {after[0]} -> {after[^1]}");
        for (int k = 1; k < after.Length; k++)
            Assert.True(after[k] <= after[k - 1] * 1.01, $"KL rose from {after[k - 1]} to {after[k]}");
        Assert.Equal(after[^1], result.KlDivergence, 1e-3); // history is taken before the last update
        Assert.True(result.KlDivergence < fixture.GetProperty("sklearn_kl_divergence").GetDouble() * 1.5 + 0.05,
            $"KL {result.KlDivergence} vs scikit-learn {fixture.GetProperty("sklearn_kl_divergence").GetDouble()}");
    }

    [Fact]
    public void FitTransform_SameSeed_IsDeterministic()
    {
        var rng = new Random(3);
        var data = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, 5).Select(_ => rng.NextDouble()).ToArray()).ToArray();
        var options = new TsneOptions { Perplexity = 10, MaxIterations = 300, Init = TsneInit.Random, Seed = 4 };
        var a = Tsne.FitTransform(data, options);
        var b = Tsne.FitTransform(data, options);
        Assert.Equal(a.Embedding.SelectMany(r => r), b.Embedding.SelectMany(r => r));
        var c = Tsne.FitTransform(data, options with { Seed = 5 });
        Assert.NotEqual(a.Embedding[0], c.Embedding[0]);
        var f = Tsne.FitTransform(data.Select(r => r.Select(v => (float)v).ToArray()).ToArray(), options);
        Assert.Equal(40, f.Embedding.Length);
    }

    [Theory]
    [InlineData(100, 250, 100)] // stops inside the exploration phase
    [InlineData(300, 0, 300)] // no exploration phase
    [InlineData(400, 250, 400)]
    public void FitTransform_PhaseLengths_RunRequestedIterations(int maxIterations, int exploration, int expected)
    {
        var rng = new Random(8);
        var data = Enumerable.Range(0, 30).Select(i => Enumerable.Range(0, 4).Select(_ => rng.NextDouble() + (i % 2) * 5).ToArray()).ToArray();
        var r = Tsne.FitTransform(data, new TsneOptions { Perplexity = 5, MaxIterations = maxIterations, ExplorationIterations = exploration, MinGradNorm = 0 });
        Assert.Equal(expected, r.Iterations);
        Assert.Equal(expected / 50, r.KlHistory.Count);
        Assert.All(r.Embedding.SelectMany(v => v), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void FitTransform_UniformNoise_StopsEarlyOnSmallGradientLikeScikitLearn()
    {
        // Points equidistant in high dimension: P is nearly uniform, the gradient vanishes, phases end at checks.
        var rng = new Random(9);
        var data = Enumerable.Range(0, 60).Select(_ => Enumerable.Range(0, 200).Select(_ => rng.NextDouble()).ToArray()).ToArray();
        var r = Tsne.FitTransform(data, new TsneOptions { Perplexity = 50, MinGradNorm = 1e-3 });
        Assert.True(r.Iterations < 1000, $"{r.Iterations} iterations");
        Assert.Equal(0, r.Iterations % 50);
    }

    [Fact]
    public void FitTransform_BadInput_ThrowsNamingProblem()
    {
        var data = Enumerable.Range(0, 10).Select(i => new[] { (double)i, i * 2.0 }).ToArray();
        Assert.Contains("perplexity (30) must be less than the number of samples (10)",
            Assert.Throws<ArgumentException>(() => Tsne.FitTransform(data)).Message);
        var nan = data.Select(r => r.ToArray()).ToArray();
        nan[4][1] = double.NaN;
        Assert.Contains("row 4, column 1 is NaN", Assert.Throws<ArgumentException>(() => Tsne.FitTransform(nan, new TsneOptions { Perplexity = 3 })).Message);
        Assert.Throws<ArgumentException>(() => Tsne.FitTransform(Array.Empty<double[]>()));
        Assert.Throws<ArgumentException>(() => Tsne.FitTransform(new[] { new[] { 1.0 } }, new TsneOptions { Perplexity = 0.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.FitTransform(data, new TsneOptions { Perplexity = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.FitTransform(data, new TsneOptions { Perplexity = 3, LearningRate = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.FitTransform(data, new TsneOptions { Perplexity = 3, MaxIterations = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.FitTransform(data, new TsneOptions { Perplexity = 3, Components = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.FitTransform(data, new TsneOptions { Perplexity = 3, EarlyExaggeration = 0.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.FitTransform(data, new TsneOptions { Perplexity = 3, IterationsWithoutProgress = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.FitTransform(data, new TsneOptions { Perplexity = 3, MinGradNorm = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.FitTransform(data, new TsneOptions { Perplexity = 3, KlInterval = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.FitTransform(data, new TsneOptions { Perplexity = 3, ExplorationIterations = -1 }));
    }

    private static double Dist2(double[] a, double[] b) => a.Zip(b, (u, v) => (u - v) * (u - v)).Sum();
}
