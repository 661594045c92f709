namespace Affetto.Models.Embeddings;

/// <summary>Measures of how well an embedding preserves neighbourhoods.</summary>
public static class EmbeddingQuality
{
    /// <summary>
    /// Trustworthiness (Venna and Kaski 2001), as scikit-learn's <c>manifold.trustworthiness</c> with Euclidean
    /// distances: 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in k-NN of i in the embedding} max(0, r(i, j) - k),
    /// where r(i, j) is j's rank among i's neighbours in the original space. 1 means every embedded neighbour is a
    /// true neighbour. Distance ties are broken by the lower index.
    /// </summary>
    /// <param name="original">Original rows.</param>
    /// <param name="embedded">Embedded rows, as many as <paramref name="original"/>.</param>
    /// <param name="neighbours">k, at least 1 and below n / 2.</param>
    /// <returns>The trustworthiness in [0, 1].</returns>
    /// <exception cref="ArgumentException">Empty, ragged or non-finite rows, or different row counts.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="neighbours"/> not in 1..n/2 (exclusive).</exception>
    public static double Trustworthiness(IReadOnlyList<double[]> original, IReadOnlyList<double[]> embedded, int neighbours = 5)
    {
        var x = EmbeddingInput.Flatten(original, nameof(original), out int n, out int dx);
        var y = EmbeddingInput.Flatten(embedded, nameof(embedded), out int ny, out int dy);
        if (n != ny)
            throw new ArgumentException($"{n} original rows but {ny} embedded rows", nameof(embedded));
        if (neighbours < 1 || neighbours >= n / 2.0)
            throw new ArgumentOutOfRangeException(nameof(neighbours), neighbours, $"must be at least 1 and below n / 2 = {n / 2.0}");
        var distX = EmbeddingInput.SquaredDistances(x, n, dx);
        var distY = EmbeddingInput.SquaredDistances(y, n, dy);
        var rank = new int[n];
        var order = new int[n];
        double penalty = 0;
        for (int i = 0; i < n; i++)
        {
            SortNeighbours(distX, n, i, order);
            for (int r = 0; r < n - 1; r++)
                rank[order[r]] = r + 1;
            SortNeighbours(distY, n, i, order);
            for (int r = 0; r < neighbours; r++)
                penalty += Math.Max(0, rank[order[r]] - neighbours);
        }
        return 1 - penalty * 2.0 / (n * neighbours * (2.0 * n - 3.0 * neighbours - 1.0));
    }

    // Other points ordered by distance to i (ties by index); order[n - 1] is unused.
    private static void SortNeighbours(double[] dist, int n, int i, int[] order)
    {
        int m = 0;
        for (int j = 0; j < n; j++)
        {
            if (j != i)
                order[m++] = j;
        }
        var row = dist.AsSpan(i * n, n).ToArray();
        Array.Sort(order, 0, n - 1, Comparer<int>.Create((a, b) =>
        {
            int c = row[a].CompareTo(row[b]);
            return c != 0 ? c : a.CompareTo(b);
        }));
    }
}
