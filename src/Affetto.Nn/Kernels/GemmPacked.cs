namespace Affetto.Nn.Kernels;

/// <summary>GEMM engine: accumulates C += alpha * op(A) * op(B). Callers have already applied beta.</summary>
internal static class GemmPacked
{
    internal static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            Span<float> cRow = c.Slice(i * ldc, n);
            for (int p = 0; p < k; p++)
            {
                float aip = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);
                if (!transB)
                {
                    ReadOnlySpan<float> bRow = b.Slice(p * ldb, n);
                    for (int j = 0; j < n; j++)
                    {
                        cRow[j] += aip * bRow[j];
                    }
                }
                else
                {
                    for (int j = 0; j < n; j++)
                    {
                        cRow[j] += aip * b[j * ldb + p];
                    }
                }
            }
        }
    }
}
