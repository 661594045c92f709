using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
/// then 0.8, and per-parameter gains (+0.2 when the gradient sign flips, x0.8 otherwise, at least 0.01); each
/// phase checks every <see cref="TsneOptions.KlInterval"/> iterations for a small gradient or no KL progress.
/// Differences from scikit-learn: distances stay in double precision (scikit-learn rounds them to float32 before the
/// bandwidth search); no Barnes-Hut approximation. The 2-D gradient is vectorised (Vector512/Vector256, scalar tail).
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
        var attract = new double[ScratchLength(n, dim)];
        var pStats = PStats(p, n);
        var history = new List<(int, double)>();
        int iteration = 0;
        double kl = double.NaN;
        // Two phases as scikit-learn: exploration (exaggerated P, momentum 0.5), then the rest (momentum 0.8).
        // A phase ends early when, at a check (every KlInterval iterations), the gradient norm is below
        // MinGradNorm or the KL divergence has not improved for IterationsWithoutProgress iterations.
        for (int phase = 0; phase < 2; phase++)
        {
            int end = phase == 0 ? Math.Min(options.ExplorationIterations, options.MaxIterations) : options.MaxIterations;
            double factor = phase == 0 ? options.EarlyExaggeration : 1.0;
            double momentum = phase == 0 ? 0.5 : 0.8;
            double bestKl = double.PositiveInfinity;
            int bestIteration = iteration;
            for (; iteration < end; iteration++)
            {
                bool check = (iteration + 1) % options.KlInterval == 0 || iteration == options.MaxIterations - 1;
                double gradNorm = Gradient(p, factor, y, n, dim, grad, attract, check, out kl, pStats);
                for (int k = 0; k < y.Length; k++)
                {
                    bool sameSign = update[k] * grad[k] >= 0; // no sign flip: shrink the gain
                    gains[k] = sameSign ? Math.Max(gains[k] * 0.8, 0.01) : gains[k] + 0.2;
                    update[k] = momentum * update[k] - learningRate * gains[k] * grad[k];
                    y[k] += update[k];
                }
                if (!check)
                    continue;
                history.Add((iteration + 1, kl));
                if (kl < bestKl)
                {
                    bestKl = kl;
                    bestIteration = iteration;
                }
                else if (iteration - bestIteration > options.IterationsWithoutProgress)
                {
                    iteration++;
                    break;
                }
                if (gradNorm <= options.MinGradNorm)
                {
                    iteration++;
                    break;
                }
            }
        }
        Gradient(p, 1.0, y, n, dim, grad, attract, true, out kl, pStats);
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
        if (o.IterationsWithoutProgress < 1)
            throw new ArgumentOutOfRangeException(nameof(o.IterationsWithoutProgress), o.IterationsWithoutProgress, "must be at least 1");
        if (!(o.MinGradNorm >= 0))
            throw new ArgumentOutOfRangeException(nameof(o.MinGradNorm), o.MinGradNorm, "must not be negative");
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
    /// <summary>Sum over i != j of p log p and of p (constants of the KL divergence).</summary>
    internal static (double PLogP, double PSum) PStats(double[] p, int n)
    {
        double pLogP = 0, pSum = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double v = p[i * n + j];
                if (i != j && v > 0)
                {
                    pLogP += v * Math.Log(v);
                    pSum += v;
                }
            }
        }
        return (pLogP, pSum);
    }

    /// <summary>Length of the scratch buffer <see cref="Gradient"/> needs.</summary>
    internal static int ScratchLength(int n, int dim) => Math.Max(n * dim, 6 * n);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Gradient(double[] p, double factor, double[] y, int n, int dim, double[] grad, double[] attract, bool computeKl, out double kl,
        (double PLogP, double PSum)? pStats = null)
    {
        Array.Clear(grad);
        Array.Clear(attract);
        if (dim == 2)
        {
            double norm2 = Gradient2D(p, factor, y, n, grad, attract, computeKl, out double pLogW2, out double z2);
            if (!computeKl)
            {
                kl = double.NaN;
                return norm2;
            }
            // KL = sum q' log q' - sum q' log w + (sum q') log Z with q' = factor p; the p-only sums are constants.
            var (pLogP0, pSum0) = pStats ?? PStats(p, n);
            double fpLogP = factor * pLogP0 + factor * Math.Log(factor) * pSum0;
            kl = fpLogP - factor * pLogW2 + factor * pSum0 * Math.Log(z2);
            return norm2;
        }
        double z = 0, pLogW = 0, pLogP = 0, pSum = 0;
        for (int i = 0; i < n; i++)
        {
            var pRow = p.AsSpan(i * n, n);
            var yi = y.AsSpan(i * dim, dim);
            var ai = attract.AsSpan(i * dim, dim);
            var gi = grad.AsSpan(i * dim, dim);
            for (int j = i + 1; j < n; j++)
            {
                var yj = y.AsSpan(j * dim, dim);
                double d2 = 0;
                for (int k = 0; k < dim; k++)
                {
                    double diff = yi[k] - yj[k];
                    d2 += diff * diff;
                }
                double w = 1 / (1 + d2);
                z += 2 * w;
                double pij = factor * pRow[j];
                double a = pij * w;
                double r = w * w;
                var aj = attract.AsSpan(j * dim, dim);
                var gj = grad.AsSpan(j * dim, dim);
                for (int k = 0; k < dim; k++)
                {
                    double diff = yi[k] - yj[k];
                    ai[k] += a * diff;
                    aj[k] -= a * diff;
                    gi[k] += r * diff;
                    gj[k] -= r * diff;
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

    /// <summary>
    /// The 2-D gradient without KL, vectorised over j: coordinates are split into x and y arrays (structure of
    /// arrays) so that 8 (Vector512) or 4 (Vector256) pairs are handled per step, with a scalar tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Gradient2D(double[] p, double factor, double[] y, int n, double[] grad, double[] scratch, bool computeKl,
        out double pLogW, out double z)
    {
        // scratch (cleared by the caller) holds x, y, attraction x, y, repulsion x, y: 6 blocks of n.
        var px = scratch.AsSpan(0, n);
        var py = scratch.AsSpan(n, n);
        var ax = scratch.AsSpan(2 * n, n);
        var ay = scratch.AsSpan(3 * n, n);
        var rx = scratch.AsSpan(4 * n, n);
        var ry = scratch.AsSpan(5 * n, n);
        for (int i = 0; i < n; i++)
        {
            px[i] = y[2 * i];
            py[i] = y[2 * i + 1];
        }
        z = 0;
        pLogW = 0; // sum over i != j of p log w (unscaled by factor)
        for (int i = 0; i < n; i++)
        {
            double xi = px[i], yi = py[i];
            double aix = 0, aiy = 0, rix = 0, riy = 0, zi = 0, li = 0;
            var pRow = p.AsSpan(i * n, n);
            int j = i + 1;
            if (Vector512.IsHardwareAccelerated)
            {
                var vxi = Vector512.Create(xi);
                var vyi = Vector512.Create(yi);
                var vf = Vector512.Create(factor);
                var one = Vector512<double>.One;
                Vector512<double> sAx = default, sAy = default, sRx = default, sRy = default, sZ = default, sL = default;
                for (; j <= n - Vector512<double>.Count; j += Vector512<double>.Count)
                {
                    var dx = vxi - Vector512.Create<double>(px[j..]);
                    var dy = vyi - Vector512.Create<double>(py[j..]);
                    var w = one / (one + dx * dx + dy * dy);
                    var pv = Vector512.Create<double>(pRow[j..]);
                    var a = vf * pv * w;
                    if (computeKl)
                        sL += pv * Vector512.Log(w);
                    var r = w * w;
                    sZ += w;
                    sAx += a * dx;
                    sAy += a * dy;
                    sRx += r * dx;
                    sRy += r * dy;
                    (Vector512.Create<double>(ax[j..]) - a * dx).CopyTo(ax[j..]);
                    (Vector512.Create<double>(ay[j..]) - a * dy).CopyTo(ay[j..]);
                    (Vector512.Create<double>(rx[j..]) - r * dx).CopyTo(rx[j..]);
                    (Vector512.Create<double>(ry[j..]) - r * dy).CopyTo(ry[j..]);
                }
                aix += Vector512.Sum(sAx);
                aiy += Vector512.Sum(sAy);
                rix += Vector512.Sum(sRx);
                riy += Vector512.Sum(sRy);
                zi += Vector512.Sum(sZ);
                li += Vector512.Sum(sL);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                var vxi = Vector256.Create(xi);
                var vyi = Vector256.Create(yi);
                var vf = Vector256.Create(factor);
                var one = Vector256<double>.One;
                Vector256<double> sAx = default, sAy = default, sRx = default, sRy = default, sZ = default, sL = default;
                for (; j <= n - Vector256<double>.Count; j += Vector256<double>.Count)
                {
                    var dx = vxi - Vector256.Create<double>(px[j..]);
                    var dy = vyi - Vector256.Create<double>(py[j..]);
                    var w = one / (one + dx * dx + dy * dy);
                    var pv = Vector256.Create<double>(pRow[j..]);
                    var a = vf * pv * w;
                    if (computeKl)
                        sL += pv * Vector256.Log(w);
                    var r = w * w;
                    sZ += w;
                    sAx += a * dx;
                    sAy += a * dy;
                    sRx += r * dx;
                    sRy += r * dy;
                    (Vector256.Create<double>(ax[j..]) - a * dx).CopyTo(ax[j..]);
                    (Vector256.Create<double>(ay[j..]) - a * dy).CopyTo(ay[j..]);
                    (Vector256.Create<double>(rx[j..]) - r * dx).CopyTo(rx[j..]);
                    (Vector256.Create<double>(ry[j..]) - r * dy).CopyTo(ry[j..]);
                }
                aix += Vector256.Sum(sAx);
                aiy += Vector256.Sum(sAy);
                rix += Vector256.Sum(sRx);
                riy += Vector256.Sum(sRy);
                zi += Vector256.Sum(sZ);
                li += Vector256.Sum(sL);
            }
            for (; j < n; j++)
            {
                double dx = xi - px[j], dy = yi - py[j];
                double w = 1 / (1 + dx * dx + dy * dy);
                double a = factor * pRow[j] * w;
                double r = w * w;
                zi += w;
                if (computeKl)
                    li += pRow[j] * Math.Log(w);
                aix += a * dx;
                aiy += a * dy;
                rix += r * dx;
                riy += r * dy;
                ax[j] -= a * dx;
                ay[j] -= a * dy;
                rx[j] -= r * dx;
                ry[j] -= r * dy;
            }
            ax[i] += aix;
            ay[i] += aiy;
            rx[i] += rix;
            ry[i] += riy;
            z += 2 * zi;
            pLogW += 2 * li;
        }
        double norm = 0;
        for (int i = 0; i < n; i++)
        {
            grad[2 * i] = 4 * (ax[i] - rx[i] / z);
            grad[2 * i + 1] = 4 * (ay[i] - ry[i] / z);
            norm += grad[2 * i] * grad[2 * i] + grad[2 * i + 1] * grad[2 * i + 1];
        }
        return Math.Sqrt(norm);
    }
}
