namespace Affetto.Models.Embeddings;

/// <summary>
/// Exact t-distributed stochastic neighbour embedding (van der Maaten and Hinton 2008), O(N^2) time and memory
/// per iteration: meant for up to a few thousand points (tracks of a dataset), not for millions of segments.
/// </summary>
/// <remarks>
/// Follows scikit-learn's exact method: squared Euclidean input distances; per-point Gaussian bandwidths found by
/// binary search so that each conditional distribution has entropy log(perplexity) (nats, tolerance 1e-5, at most
/// 100 steps); symmetrised P = (P + P^T) / sum; Student-t (one degree of freedom) similarities in the embedding;
/// gradient descent with momentum 0.5 for the exploration phase (with P multiplied by the early exaggeration),
/// then 0.8, and per-parameter gains (+0.2 when the gradient sign flips, x0.8 otherwise, at least 0.01).
/// </remarks>
public static class Tsne
{
    /// <summary>Largest number of samples accepted (the N x N matrices then take about 1.6 GB).</summary>
    public const int MaxSamples = 10_000;

    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Embeds rows into <see cref="TsneOptions.Components"/> dimensions.</summary>
    /// <param name="data">Samples as rows, all the same length, finite.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <returns>The embedding and the KL divergence history.</returns>
    /// <exception cref="ArgumentException">Empty or ragged data, a NaN or infinity, too many samples, or perplexity not below the sample count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option out of range.</exception>
    public static TsneResult FitTransform(IReadOnlyList<double[]> data, TsneOptions? options = null)
    {
        options ??= new TsneOptions();
        var x = EmbeddingInput.Flatten(data, nameof(data), out int n, out int d);
        Validate(options, n);
        int dim = options.Components;
        double learningRate = options.LearningRate ?? Math.Max(n / options.EarlyExaggeration / 4, 50);

        var p = JointProbabilities(EmbeddingInput.SquaredDistances(x, n, d), n, options.Perplexity);
        var y = Initialise(data, n, dim, options);

        var update = new double[n * dim];
        var gains = new double[n * dim];
        Array.Fill(gains, 1.0);
        var grad = new double[n * dim];
        var attract = new double[n * dim];
        var history = new List<(int, double)>();
        double exaggeration = options.EarlyExaggeration;
        int iteration = 0;
        double kl = double.NaN;
        for (; iteration < options.MaxIterations; iteration++)
        {
            bool exploring = iteration < options.ExplorationIterations;
            double factor = exploring ? exaggeration : 1.0;
            double momentum = exploring ? 0.5 : 0.8;
            bool record = (iteration + 1) % options.KlInterval == 0 || iteration == options.MaxIterations - 1;
            double gradNorm = Gradient(p, factor, y, n, dim, grad, attract, record, out kl);
            if (record)
                history.Add((iteration + 1, kl));
            for (int k = 0; k < y.Length; k++)
            {
                bool sameSign = update[k] * grad[k] >= 0; // no sign flip: shrink the gain
                gains[k] = sameSign ? Math.Max(gains[k] * 0.8, 0.01) : gains[k] + 0.2;
                update[k] = momentum * update[k] - learningRate * gains[k] * grad[k];
                y[k] += update[k];
            }
            if (gradNorm < options.MinGradNorm)
            {
                iteration++;
                break;
            }
        }
        Gradient(p, 1.0, y, n, dim, grad, attract, true, out kl);
        var embedding = new double[n][];
        for (int i = 0; i < n; i++)
            embedding[i] = y.AsSpan(i * dim, dim).ToArray();
        return new TsneResult(embedding, history, kl, iteration, learningRate);
    }

    /// <summary>Embeds single-precision rows.</summary>
    /// <param name="data">Samples as rows.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <returns>The embedding and the KL divergence history.</returns>
    public static TsneResult FitTransform(IReadOnlyList<float[]> data, TsneOptions? options = null) =>
        FitTransform(EmbeddingInput.ToDouble(data, nameof(data)), options);

    private static void Validate(TsneOptions o, int n)
    {
        if (n < 2)
            throw new ArgumentException($"t-SNE needs at least 2 samples, got {n}", "data");
        if (n > MaxSamples)
            throw new ArgumentException($"exact t-SNE is limited to {MaxSamples} samples, got {n}; embed track-level averages or a subset", "data");
        if (o.Components < 1)
            throw new ArgumentOutOfRangeException(nameof(o.Components), o.Components, "must be at least 1");
        if (!(o.Perplexity > 0) || !double.IsFinite(o.Perplexity))
            throw new ArgumentOutOfRangeException(nameof(o.Perplexity), o.Perplexity, "must be positive and finite");
        if (o.Perplexity >= n)
            throw new ArgumentException($"perplexity ({o.Perplexity}) must be less than the number of samples ({n})", nameof(o.Perplexity));
        if (!(o.EarlyExaggeration >= 1) || !double.IsFinite(o.EarlyExaggeration))
            throw new ArgumentOutOfRangeException(nameof(o.EarlyExaggeration), o.EarlyExaggeration, "must be at least 1 and finite");
        if (o.LearningRate is { } lr && (!(lr > 0) || !double.IsFinite(lr)))
            throw new ArgumentOutOfRangeException(nameof(o.LearningRate), lr, "must be positive and finite, or null for auto");
        if (o.MaxIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(o.MaxIterations), o.MaxIterations, "must be at least 1");
        if (o.ExplorationIterations < 0)
            throw new ArgumentOutOfRangeException(nameof(o.ExplorationIterations), o.ExplorationIterations, "must not be negative");
        if (o.KlInterval < 1)
            throw new ArgumentOutOfRangeException(nameof(o.KlInterval), o.KlInterval, "must be at least 1");
        if (!Enum.IsDefined(o.Init))
            throw new ArgumentOutOfRangeException(nameof(o.Init), o.Init, "unknown initialisation");
    }

    /// <summary>Symmetric joint probabilities from squared distances (row-major n x n, diagonal 0).</summary>
    internal static double[] JointProbabilities(double[] dist, int n, double perplexity)
    {
        var p = ConditionalProbabilities(dist, n, perplexity);
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double s = p[i * n + j] + p[j * n + i];
                p[i * n + j] = p[j * n + i] = s;
                sum += 2 * s;
            }
        }
        sum = Math.Max(sum, MachineEpsilon);
        for (int k = 0; k < p.Length; k++)
            p[k] = Math.Max(p[k] / sum, MachineEpsilon);
        for (int i = 0; i < n; i++)
            p[i * n + i] = 0; // self-similarity is not part of the distribution
        return p;
    }

    /// <summary>Row-wise Gaussian conditional probabilities whose entropy is log(perplexity).</summary>
    internal static double[] ConditionalProbabilities(double[] dist, int n, double perplexity)
    {
        var p = new double[n * n];
        double target = Math.Log(perplexity);
        for (int i = 0; i < n; i++)
        {
            var row = dist.AsSpan(i * n, n);
            var pr = p.AsSpan(i * n, n);
            double beta = 1, betaMin = double.NegativeInfinity, betaMax = double.PositiveInfinity;
            for (int step = 0; step < 100; step++)
            {
                double sumP = 0;
                for (int j = 0; j < n; j++)
                {
                    pr[j] = j == i ? 0 : Math.Exp(-row[j] * beta);
                    sumP += pr[j];
                }
                if (sumP == 0)
                    sumP = MachineEpsilon;
                double weighted = 0;
                for (int j = 0; j < n; j++)
                {
                    pr[j] /= sumP;
                    weighted += row[j] * pr[j];
                }
                double entropy = Math.Log(sumP) + beta * weighted;
                double diff = entropy - target;
                if (Math.Abs(diff) <= 1e-5)
                    break;
                if (diff > 0)
                {
                    // Too flat: narrow the Gaussian.
                    betaMin = beta;
                    beta = double.IsPositiveInfinity(betaMax) ? beta * 2 : (beta + betaMax) / 2;
                }
                else
                {
                    betaMax = beta;
                    beta = double.IsNegativeInfinity(betaMin) ? beta / 2 : (beta + betaMin) / 2;
                }
            }
        }
        return p;
    }

    private static double[] Initialise(IReadOnlyList<double[]> data, int n, int dim, TsneOptions o)
    {
        var y = new double[n * dim];
        if (o.Init == TsneInit.Pca && dim <= Math.Min(n, data[0].Length))
        {
            var pca = Pca.Fit(data, dim);
            var proj = pca.Transform(data);
            double mean = proj.Average(r => r[0]);
            double std = Math.Sqrt(proj.Sum(r => (r[0] - mean) * (r[0] - mean)) / n);
            double scale = std > 0 ? 1e-4 / std : 1.0;
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < dim; k++)
                    y[i * dim + k] = proj[i][k] * scale;
            }
            if (std > 0)
                return y;
        }
        // Random initialisation (also the fallback when PCA cannot give dim components or the data are constant).
        var rng = new Random(o.Seed);
        for (int k = 0; k < y.Length; k++)
        {
            // Box-Muller standard normal.
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            y[k] = 1e-4 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return y;
    }

    /// <summary>
    /// Gradient of KL(P || Q) with respect to the embedding: 4 sum_j (factor p_ij - q_ij) w_ij (y_i - y_j), with
    /// w_ij = 1 / (1 + |y_i - y_j|^2) and q_ij = w_ij / Z. Returns the gradient norm; KL is computed when asked.
    /// </summary>
    internal static double Gradient(double[] p, double factor, double[] y, int n, int dim, double[] grad, double[] attract, bool computeKl, out double kl)
    {
        Array.Clear(grad);
        Array.Clear(attract);
        double z = 0, pLogW = 0, pLogP = 0, pSum = 0;
        Span<double> diff = stackalloc double[dim];
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double d2 = 0;
                for (int k = 0; k < dim; k++)
                {
                    diff[k] = y[i * dim + k] - y[j * dim + k];
                    d2 += diff[k] * diff[k];
                }
                double w = 1 / (1 + d2);
                z += 2 * w;
                double pij = factor * p[i * n + j];
                double a = pij * w;
                double r = w * w;
                for (int k = 0; k < dim; k++)
                {
                    attract[i * dim + k] += a * diff[k];
                    attract[j * dim + k] -= a * diff[k];
                    grad[i * dim + k] += r * diff[k];
                    grad[j * dim + k] -= r * diff[k];
                }
                if (computeKl)
                {
                    pLogW += 2 * pij * Math.Log(w);
                    pLogP += 2 * pij * Math.Log(pij);
                    pSum += 2 * pij;
                }
            }
        }
        double norm = 0;
        for (int k = 0; k < grad.Length; k++)
        {
            grad[k] = 4 * (attract[k] - grad[k] / z);
            norm += grad[k] * grad[k];
        }
        // KL = sum p log p - sum p log(w / Z) = sum p log p - sum p log w + (sum p) log Z.
        kl = computeKl ? pLogP - pLogW + pSum * Math.Log(z) : double.NaN;
        return Math.Sqrt(norm);
    }
}
