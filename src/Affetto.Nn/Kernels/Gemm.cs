using System.Numerics.Tensors;

namespace Affetto.Nn.Kernels;

/// <summary>Single-precision general matrix multiply on row-major matrices.</summary>
public static class Gemm
{
    /// <summary>
    /// Computes <c>C = alpha * op(A) * op(B) + beta * C</c> on row-major matrices, where op(X) is X or its
    /// transpose. op(A) is m x k, op(B) is k x n, C is m x n. Leading dimensions are row strides of the matrices
    /// as stored: A is stored m x k (lda &gt;= k) or, when <paramref name="transA"/>, k x m (lda &gt;= m); B is stored
    /// k x n (ldb &gt;= n) or, when <paramref name="transB"/>, n x k (ldb &gt;= k); ldc &gt;= n. When
    /// <paramref name="beta"/> is 0, C is not read (NaN or infinity in C does not propagate).
    /// </summary>
    /// <exception cref="ArgumentException">A size or stride is negative or too small, or a span is too short.</exception>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }

        ScaleC(m, n, beta, c, ldc);
        if (k == 0 || alpha == 0f)
        {
            return;
        }

        GemmPacked.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
    }

    internal static void ScaleC(int m, int n, float beta, Span<float> c, int ldc)
    {
        if (beta == 1f)
        {
            return;
        }

        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * ldc, n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else
            {
                TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }

    internal static void Validate(bool transA, bool transB, int m, int n, int k, int aLength, int lda,
        int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0) throw new ArgumentException($"Sgemm: m must be non-negative, got {m}.", nameof(m));
        if (n < 0) throw new ArgumentException($"Sgemm: n must be non-negative, got {n}.", nameof(n));
        if (k < 0) throw new ArgumentException($"Sgemm: k must be non-negative, got {k}.", nameof(k));
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        CheckMatrix("A", aRows, aCols, aLength, lda, "lda");
        CheckMatrix("B", bRows, bCols, bLength, ldb, "ldb");
        CheckMatrix("C", m, n, cLength, ldc, "ldc");
    }

    private static void CheckMatrix(string name, int rows, int cols, int length, int ld, string ldName)
    {
        if (ld < Math.Max(1, cols))
        {
            throw new ArgumentException(
                $"Sgemm: {ldName} = {ld} is smaller than the {cols} columns of {name} as stored.", ldName);
        }

        if (rows > 0 && cols > 0)
        {
            long needed = (long)(rows - 1) * ld + cols;
            if (length < needed)
            {
                throw new ArgumentException(
                    $"Sgemm: {name} ({rows} x {cols}, stride {ld}) needs {needed} elements but the span holds {length}.",
                    name.ToLowerInvariant());
            }
        }
    }
}
