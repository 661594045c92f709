namespace Affetto.Models.Embeddings;

/// <summary>Validation and conversion of row-vector inputs shared by PCA, t-SNE and the quality metrics.</summary>
internal static class EmbeddingInput
{
    /// <summary>Copies rows into a flat row-major array, checking shape and finiteness.</summary>
    public static double[] Flatten(IReadOnlyList<double[]> rows, string paramName, out int n, out int d)
    {
        ArgumentNullException.ThrowIfNull(rows, paramName);
        n = rows.Count;
        if (n == 0)
            throw new ArgumentException("no rows (empty embedding set)", paramName);
        d = rows[0]?.Length ?? 0;
        if (d == 0)
            throw new ArgumentException("row 0 has no values", paramName);
        var flat = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            var row = rows[i];
            if (row is null || row.Length != d)
                throw new ArgumentException($"row {i} has {row?.Length ?? 0} values, row 0 has {d}", paramName);
            for (int j = 0; j < d; j++)
            {
                if (!double.IsFinite(row[j]))
                    throw new ArgumentException($"row {i}, column {j} is {row[j]}; embeddings must be finite", paramName);
                flat[i * d + j] = row[j];
            }
        }
        return flat;
    }

    /// <summary>Converts single-precision rows to double precision.</summary>
    public static double[][] ToDouble(IReadOnlyList<float[]> rows, string paramName)
    {
        ArgumentNullException.ThrowIfNull(rows, paramName);
        return rows.Select((r, i) => r is null
            ? throw new ArgumentException($"row {i} is null", paramName)
            : Array.ConvertAll(r, v => (double)v)).ToArray();
    }

    /// <summary>Squared Euclidean distances between all rows of a flat n x d array.</summary>
    public static double[] SquaredDistances(double[] x, int n, int d)
    {
        var dist = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            var xi = x.AsSpan(i * d, d);
            for (int j = i + 1; j < n; j++)
            {
                var xj = x.AsSpan(j * d, d);
                double s = 0;
                for (int k = 0; k < d; k++)
                {
                    double diff = xi[k] - xj[k];
                    s += diff * diff;
                }
                dist[i * n + j] = s;
                dist[j * n + i] = s;
            }
        }
        return dist;
    }
}
