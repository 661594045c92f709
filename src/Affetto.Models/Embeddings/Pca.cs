namespace Affetto.Models.Embeddings;

/// <summary>
/// Principal component analysis: the data are centred and the covariance matrix (ddof = 1, as scikit-learn)
/// is eigen-decomposed with <see cref="SymmetricEigen"/>; when there are more features than samples the
/// n x n Gram matrix is decomposed instead and the components recovered from it. Each component's sign is fixed so
/// that its largest-magnitude entry is positive (deterministic output; scikit-learn's svd_flip picks signs by
/// its own rule, so compare up to sign).
/// </summary>
public sealed class Pca
{
    private Pca(double[] mean, double[][] components, double[] explainedVariance, double[] explainedVarianceRatio)
    {
        Mean = mean;
        Components = components;
        ExplainedVariance = explainedVariance;
        ExplainedVarianceRatio = explainedVarianceRatio;
    }

    /// <summary>Per-feature mean of the fitted data.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Principal axes (unit vectors), one row per component, by decreasing variance.</summary>
    public IReadOnlyList<double[]> Components { get; }

    /// <summary>Variance of the data along each component (eigenvalues of the ddof = 1 covariance).</summary>
    public IReadOnlyList<double> ExplainedVariance { get; }

    /// <summary>Each component's share of the total variance (the trace of the covariance).</summary>
    public IReadOnlyList<double> ExplainedVarianceRatio { get; }

    /// <summary>Number of components kept.</summary>
    public int ComponentCount => Components.Count;

    /// <summary>Number of input features.</summary>
    public int FeatureCount => Mean.Count;

    /// <summary>Fits a PCA.</summary>
    /// <param name="data">Samples as rows (at least 2), all of the same length, finite.</param>
    /// <param name="componentCount">Components to keep, 1..min(samples, features).</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentException">Empty or ragged data, a NaN or infinity, fewer than 2 samples.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="componentCount"/> outside 1..min(samples, features).</exception>
    public static Pca Fit(IReadOnlyList<double[]> data, int componentCount)
    {
        var x = EmbeddingInput.Flatten(data, nameof(data), out int n, out int d);
        if (n < 2)
            throw new ArgumentException($"PCA needs at least 2 samples, got {n}", nameof(data));
        if (componentCount < 1 || componentCount > Math.Min(n, d))
            throw new ArgumentOutOfRangeException(nameof(componentCount), componentCount, $"must be in 1..min(samples {n}, features {d})");

        var mean = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
                mean[j] += x[i * d + j];
        }
        for (int j = 0; j < d; j++)
            mean[j] /= n;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
                x[i * d + j] -= mean[j];
        }

        var components = new double[componentCount][];
        var variance = new double[componentCount];
        double total;
        if (d <= n)
        {
            // Features as contiguous rows so that each covariance entry is one dot product.
            var xt = new double[d * n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < d; j++)
                    xt[j * n + i] = x[i * d + j];
            }
            var cov = new double[d, d];
            for (int a = 0; a < d; a++)
            {
                for (int b = a; b < d; b++)
                    cov[a, b] = cov[b, a] = Dot(xt.AsSpan(a * n, n), xt.AsSpan(b * n, n)) / (n - 1);
            }
            total = 0;
            for (int a = 0; a < d; a++)
                total += cov[a, a];
            var eig = SymmetricEigen.Decompose(cov);
            for (int k = 0; k < componentCount; k++)
            {
                variance[k] = Math.Max(eig.Values[k], 0);
                components[k] = new double[d];
                for (int a = 0; a < d; a++)
                    components[k][a] = eig.Vectors[a, k];
            }
        }
        else
        {
            // More features than samples: decompose the Gram matrix G = X X^T / (n - 1); for eigenpair (l, u),
            // v = X^T u / sqrt((n - 1) l) is a unit eigenvector of the covariance with the same eigenvalue.
            var gram = new double[n, n];
            for (int a = 0; a < n; a++)
            {
                for (int b = a; b < n; b++)
                {
                    gram[a, b] = gram[b, a] = Dot(x.AsSpan(a * d, d), x.AsSpan(b * d, d)) / (n - 1);
                }
            }
            total = 0;
            for (int a = 0; a < n; a++)
                total += gram[a, a];
            var eig = SymmetricEigen.Decompose(gram);
            for (int k = 0; k < componentCount; k++)
            {
                variance[k] = Math.Max(eig.Values[k], 0);
                var v = new double[d];
                for (int i = 0; i < n; i++)
                {
                    double u = eig.Vectors[i, k];
                    for (int j = 0; j < d; j++)
                        v[j] += x[i * d + j] * u;
                }
                double norm = Math.Sqrt(v.Sum(t => t * t));
                if (norm > 0)
                {
                    for (int j = 0; j < d; j++)
                        v[j] /= norm;
                }
                components[k] = v;
            }
        }
        foreach (var c in components)
            NormaliseSign(c);
        var ratio = variance.Select(v => total > 0 ? v / total : 0).ToArray();
        return new Pca(mean, components, variance, ratio);
    }

    /// <summary>Fits a PCA on single-precision rows.</summary>
    /// <param name="data">Samples as rows.</param>
    /// <param name="componentCount">Components to keep.</param>
    /// <returns>The fitted model.</returns>
    public static Pca Fit(IReadOnlyList<float[]> data, int componentCount) => Fit(EmbeddingInput.ToDouble(data, nameof(data)), componentCount);

    /// <summary>Projects rows onto the components: (x - mean) · component.</summary>
    /// <param name="data">Rows with <see cref="FeatureCount"/> finite values.</param>
    /// <returns>One row of <see cref="ComponentCount"/> coordinates per input row.</returns>
    /// <exception cref="ArgumentException">Empty or ragged data, a wrong row length, or a NaN or infinity.</exception>
    public double[][] Transform(IReadOnlyList<double[]> data)
    {
        var x = EmbeddingInput.Flatten(data, nameof(data), out int n, out int d);
        if (d != FeatureCount)
            throw new ArgumentException($"rows have {d} features but the PCA was fitted on {FeatureCount}", nameof(data));
        var result = new double[n][];
        for (int i = 0; i < n; i++)
        {
            result[i] = new double[ComponentCount];
            for (int k = 0; k < ComponentCount; k++)
            {
                double s = 0;
                var comp = Components[k];
                for (int j = 0; j < d; j++)
                    s += (x[i * d + j] - Mean[j]) * comp[j];
                result[i][k] = s;
            }
        }
        return result;
    }

    /// <summary>Projects single-precision rows onto the components.</summary>
    /// <param name="data">Rows with <see cref="FeatureCount"/> finite values.</param>
    /// <returns>The projected rows.</returns>
    public double[][] Transform(IReadOnlyList<float[]> data) => Transform(EmbeddingInput.ToDouble(data, nameof(data)));

    // Vectorised dot product (Vector<double> lanes, scalar tail); summation order differs from a plain loop only in rounding.
    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var acc = System.Numerics.Vector<double>.Zero;
        int width = System.Numerics.Vector<double>.Count, i = 0;
        for (; i <= a.Length - width; i += width)
            acc += new System.Numerics.Vector<double>(a[i..]) * new System.Numerics.Vector<double>(b[i..]);
        double s = System.Numerics.Vector.Sum(acc);
        for (; i < a.Length; i++)
            s += a[i] * b[i];
        return s;
    }

    /// <summary>Flips a vector so that its largest-magnitude entry (the first of equals) is positive.</summary>
    /// <param name="v">The vector, changed in place.</param>
    internal static void NormaliseSign(double[] v)
    {
        int arg = 0;
        for (int j = 1; j < v.Length; j++)
        {
            if (Math.Abs(v[j]) > Math.Abs(v[arg]))
                arg = j;
        }
        if (v[arg] < 0)
        {
            for (int j = 0; j < v.Length; j++)
                v[j] = -v[j];
        }
    }
}
