namespace Affetto.Models.Embeddings;

/// <summary>
/// Eigen-decomposition of real symmetric matrices, two own implementations:
/// <see cref="EigenMethod.Tridiagonal"/> (the default): Householder reduction to tridiagonal form, then implicit
/// symmetric QR steps with Wilkinson shifts (Golub and Van Loan, ch. 8), about 10 n^3 flops;
/// <see cref="EigenMethod.Jacobi"/>: cyclic Jacobi plane rotations, slower (about 9 n^3 flops per sweep,
/// 6-10 sweeps) but simple, kept as an independent cross-check. Both are accurate to a few ulps of the matrix norm.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>Maximum number of Jacobi sweeps, and QR sweeps per eigenvalue, before giving up.</summary>
    public const int MaxSweeps = 100;

    /// <summary>Decomposes a symmetric matrix.</summary>
    /// <param name="matrix">A square symmetric matrix (not modified). Symmetry is checked to 1e-9 relative to the largest element.</param>
    /// <param name="method">Algorithm; the tridiagonal QR method by default.</param>
    /// <returns>Eigenvalues sorted descending and matching unit eigenvectors (columns).</returns>
    /// <exception cref="ArgumentException">Empty, not square, not symmetric, or holds a NaN or infinity; unknown method.</exception>
    /// <exception cref="InvalidOperationException">No convergence within <see cref="MaxSweeps"/> sweeps.</exception>
    public static SymmetricEigenDecomposition Decompose(double[,] matrix, EigenMethod method = EigenMethod.Tridiagonal)
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

        if (!Enum.IsDefined(method))
            throw new ArgumentException($"unknown eigen method {method}", nameof(method));
        return method == EigenMethod.Jacobi ? Jacobi(matrix, n) : Tridiagonal(matrix, n);
    }

    private static SymmetricEigenDecomposition Jacobi(double[,] matrix, int n)
    {
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

        var diagonal = new double[n];
        var rows = new double[n * n]; // eigenvector k in row k
        for (int k = 0; k < n; k++)
        {
            diagonal[k] = a[k, k];
            for (int r = 0; r < n; r++)
                rows[k * n + r] = v2[r, k];
        }
        return Sorted(diagonal, rows, n);
    }

    private static SymmetricEigenDecomposition Tridiagonal(double[,] matrix, int n)
    {
        // Row-major copy; qt holds Q transposed (row i = column i of Q) so that updates run along rows.
        var a = new double[n * n];
        var qt = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            qt[i * n + i] = 1;
            for (int j = 0; j < n; j++)
                a[i * n + j] = matrix[i, j];
        }

        // Householder reduction: for each column k, a reflector H = I - 2 v v^T on indices k+1.. zeroes the
        // entries below the subdiagonal; A22 <- H A22 H as a rank-2 update, Q <- Q H.
        var v = new double[n];
        var p = new double[n];
        var u = new double[n];
        for (int k = 0; k < n - 2; k++)
        {
            int m = n - k - 1;
            double norm = 0;
            for (int j = 0; j < m; j++)
            {
                v[j] = a[k * n + k + 1 + j];
                norm += v[j] * v[j];
            }
            norm = Math.Sqrt(norm);
            if (norm == 0)
                continue;
            double alpha = v[0] > 0 ? -norm : norm;
            v[0] -= alpha;
            double vnorm = 0;
            for (int j = 0; j < m; j++)
                vnorm += v[j] * v[j];
            vnorm = Math.Sqrt(vnorm);
            if (vnorm == 0)
                continue;
            for (int j = 0; j < m; j++)
                v[j] /= vnorm;

            var vs = v.AsSpan(0, m);
            double kk = 0;
            for (int i = 0; i < m; i++)
            {
                p[i] = Dot(a.AsSpan((k + 1 + i) * n + k + 1, m), vs);
                kk += v[i] * p[i];
            }
            // A22 <- A22 - v w^T - w v^T with w = 2 p - 2 K v.
            for (int i = 0; i < m; i++)
                p[i] = 2 * p[i] - 2 * kk * v[i];
            for (int i = 0; i < m; i++)
            {
                var row = a.AsSpan((k + 1 + i) * n + k + 1, m);
                double vi = v[i], wi = p[i];
                for (int j = 0; j < m; j++)
                    row[j] -= vi * p[j] + wi * v[j];
            }
            a[(k + 1) * n + k] = a[k * n + k + 1] = alpha;
            for (int j = 2; j <= m; j++)
                a[(k + j) * n + k] = a[k * n + k + j] = 0;

            // Q^T <- H Q^T: rows k+1.. of qt minus 2 v (v^T qt).
            Array.Clear(u);
            for (int j = 0; j < m; j++)
            {
                var row = qt.AsSpan((k + 1 + j) * n, n);
                double vj = v[j];
                for (int c = 0; c < n; c++)
                    u[c] += vj * row[c];
            }
            for (int j = 0; j < m; j++)
            {
                var row = qt.AsSpan((k + 1 + j) * n, n);
                double f = 2 * v[j];
                for (int c = 0; c < n; c++)
                    row[c] -= f * u[c];
            }
        }

        var d = new double[n];
        var e = new double[Math.Max(n - 1, 0)];
        for (int i = 0; i < n; i++)
            d[i] = a[i * n + i];
        for (int i = 0; i < n - 1; i++)
            e[i] = a[i * n + i + 1];

        // Implicit symmetric QR on the tridiagonal (d, e): deflate negligible off-diagonals, then chase a bulge
        // through the lowest unreduced block with Givens rotations J (T <- J^T T J, Q <- Q J).
        const double eps = 2.220446049250313e-16;
        double tnorm = 0;
        for (int i = 0; i < n; i++)
            tnorm = Math.Max(tnorm, Math.Abs(d[i]) + (i > 0 ? Math.Abs(e[i - 1]) : 0) + (i < n - 1 ? Math.Abs(e[i]) : 0));
        int budget = MaxSweeps * n;
        while (true)
        {
            for (int i = 0; i < n - 1; i++)
            {
                double ae = Math.Abs(e[i]);
                if (ae <= eps * (Math.Abs(d[i]) + Math.Abs(d[i + 1])) || ae <= 1e-30 * tnorm)
                    e[i] = 0;
            }
            int hi = n - 1;
            while (hi > 0 && e[hi - 1] == 0)
                hi--;
            if (hi == 0)
                break;
            if (budget-- == 0)
                throw new InvalidOperationException($"tridiagonal QR eigen-decomposition of a {n} x {n} matrix did not converge");
            int lo = hi - 1;
            while (lo > 0 && e[lo - 1] != 0)
                lo--;

            // Wilkinson shift: the eigenvalue of the trailing 2 x 2 block closer to its last diagonal entry.
            double delta = (d[hi - 1] - d[hi]) / 2;
            double eh = e[hi - 1];
            double mu = d[hi] - eh * eh / (delta + (delta >= 0 ? 1 : -1) * Math.Sqrt(delta * delta + eh * eh));
            double x = d[lo] - mu, z = e[lo];
            for (int k = lo; k < hi; k++)
            {
                // Choose (c, s) so that J zeroes z below x: c = x / r, s = -z / r.
                double r = Math.Sqrt(x * x + z * z);
                double c = r == 0 ? 1 : x / r;
                double s = r == 0 ? 0 : -z / r;
                if (k > lo)
                    e[k - 1] = r;
                double dk = d[k], dk1 = d[k + 1], ek = e[k];
                d[k] = c * c * dk - 2 * c * s * ek + s * s * dk1;
                d[k + 1] = s * s * dk + 2 * c * s * ek + c * c * dk1;
                e[k] = c * s * (dk - dk1) + (c * c - s * s) * ek;
                if (k + 1 < hi)
                {
                    x = e[k];
                    z = -s * e[k + 1];
                    e[k + 1] *= c;
                }
                var rowK = qt.AsSpan(k * n, n);
                var rowK1 = qt.AsSpan((k + 1) * n, n);
                for (int col = 0; col < n; col++)
                {
                    double q0 = rowK[col], q1 = rowK1[col];
                    rowK[col] = c * q0 - s * q1;
                    rowK1[col] = s * q0 + c * q1;
                }
            }
        }
        return Sorted(d, qt, n);
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
            s += x[i] * y[i];
        return s;
    }

    // Sorts eigenpairs by decreasing value; eigenvector k is row k of `rows`.
    private static SymmetricEigenDecomposition Sorted(double[] diagonal, double[] rows, int n)
    {
        var order = Enumerable.Range(0, n).OrderByDescending(i => diagonal[i]).ThenBy(i => i).ToArray();
        var values = new double[n];
        var vectors = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            values[k] = diagonal[order[k]];
            for (int r = 0; r < n; r++)
                vectors[r, k] = rows[order[k] * n + r];
        }
        return new SymmetricEigenDecomposition(values, vectors);
    }
}
