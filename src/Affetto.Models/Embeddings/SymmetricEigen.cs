namespace Affetto.Models.Embeddings;

/// <summary>
/// Eigen-decomposition of real symmetric matrices by the cyclic Jacobi method: plane rotations zero the
/// off-diagonal elements one by one until their norm is negligible. O(n^3) per sweep, typically 6-10 sweeps;
/// accurate to a few ulps relative to the matrix norm, suited to covariance matrices up to a few hundred rows.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>Maximum number of sweeps before giving up.</summary>
    public const int MaxSweeps = 100;

    /// <summary>Decomposes a symmetric matrix.</summary>
    /// <param name="matrix">A square symmetric matrix (not modified). Symmetry is checked to 1e-9 relative to the largest element.</param>
    /// <returns>Eigenvalues sorted descending and matching unit eigenvectors (columns).</returns>
    /// <exception cref="ArgumentException">Empty, not square, not symmetric, or holds a NaN or infinity.</exception>
    /// <exception cref="InvalidOperationException">No convergence within <see cref="MaxSweeps"/> sweeps.</exception>
    public static SymmetricEigenDecomposition Decompose(double[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int n = matrix.GetLength(0);
        if (n == 0 || matrix.GetLength(1) != n)
            throw new ArgumentException($"expected a non-empty square matrix, got {matrix.GetLength(0)} x {matrix.GetLength(1)}", nameof(matrix));
        double scale = 0;
        foreach (double v in matrix)
        {
            if (!double.IsFinite(v))
                throw new ArgumentException($"the matrix holds {v}", nameof(matrix));
            scale = Math.Max(scale, Math.Abs(v));
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                if (Math.Abs(matrix[i, j] - matrix[j, i]) > 1e-9 * Math.Max(scale, double.Epsilon))
                    throw new ArgumentException($"the matrix is not symmetric: [{i},{j}] = {matrix[i, j]} but [{j},{i}] = {matrix[j, i]}", nameof(matrix));
            }
        }

        var a = (double[,])matrix.Clone();
        var v2 = new double[n, n];
        for (int i = 0; i < n; i++)
            v2[i, i] = 1;

        for (int sweep = 0; ; sweep++)
        {
            double off = 0, diag = 0;
            for (int i = 0; i < n; i++)
            {
                diag += a[i, i] * a[i, i];
                for (int j = i + 1; j < n; j++)
                    off += a[i, j] * a[i, j];
            }
            if (off <= 1e-28 * diag || off == 0)
                break;
            if (sweep == MaxSweeps)
                throw new InvalidOperationException($"Jacobi eigen-decomposition of a {n} x {n} matrix did not converge in {MaxSweeps} sweeps");
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p, q];
                    if (apq == 0)
                        continue;
                    // Rotation angle that zeroes a[p,q]: t = tan(theta), the smaller root for stability.
                    double theta = (a[q, q] - a[p, p]) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0)
                        t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                    a[p, q] = 0;
                    a[q, p] = 0;
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v2[k, p], vkq = v2[k, q];
                        v2[k, p] = c * vkp - s * vkq;
                        v2[k, q] = s * vkp + c * vkq;
                    }
                }
            }
        }

        var order = Enumerable.Range(0, n).OrderByDescending(i => a[i, i]).ThenBy(i => i).ToArray();
        var values = new double[n];
        var vectors = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            values[k] = a[order[k], order[k]];
            for (int r = 0; r < n; r++)
                vectors[r, k] = v2[r, order[k]];
        }
        return new SymmetricEigenDecomposition(values, vectors);
    }
}
