using Affetto.Nn.Kernels;

namespace Affetto.Nn.Tests.Kernels;

public class GemmTests
{
    public static IEnumerable<object[]> Shapes()
    {
        int[][] sizes =
        [
            [1, 1, 1], [1, 7, 3], [5, 1, 9], [3, 3, 1], [17, 33, 9], [31, 65, 47], [64, 64, 64], [13, 100, 257],
            [100, 13, 300], [129, 257, 65], [7, 1000, 5], [2, 3, 700], [200, 96, 150], [33, 47, 600],
        ];
        foreach (int[] s in sizes)
        {
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                {
                    yield return [s[0], s[1], s[2], ta, tb];
                }
            }
        }
    }

    private static double[] Reference(bool ta, bool tb, int m, int n, int k, float alpha, float[] a, int lda,
        float[] b, int ldb, float beta, float[] c, int ldc)
    {
        var r = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = ta ? a[p * lda + i] : a[i * lda + p];
                    double bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                    s += av * bv;
                }

                r[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * (double)c[i * ldc + j]);
            }
        }

        return r;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Sgemm_MatchesNaiveReference_AtEveryVectorWidth(int m, int n, int k, bool ta, bool tb)
    {
        int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2;
        float[] a = KernelTestUtil.Random((ta ? k : m) * lda, 1 + m);
        float[] b = KernelTestUtil.Random((tb ? n : k) * ldb, 2 + n);
        float[] c0 = KernelTestUtil.Random(m * ldc, 3 + k);
        foreach ((float alpha, float beta) in new[] { (1f, 0f), (0.5f, 1f), (-1.5f, 0.25f) })
        {
            double[] expected = Reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc);
            foreach (int width in KernelTestUtil.Widths)
            {
                float[] c = (float[])c0.Clone();
                KernelTestUtil.WithWidth(width, () => Gemm.Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc));
                var packed = new float[m * n];
                for (int i = 0; i < m; i++)
                {
                    c.AsSpan(i * ldc, n).CopyTo(packed.AsSpan(i * n));
                    for (int j = n; j < ldc; j++)
                    {
                        Assert.Equal(c0[i * ldc + j], c[i * ldc + j]); // padding columns untouched
                    }
                }

                KernelTestUtil.AssertClose(expected, packed, 1e-5 * Math.Sqrt(k + 1),
                    $"m={m} n={n} k={k} ta={ta} tb={tb} alpha={alpha} beta={beta} width={width}");
            }
        }
    }

    [Fact]
    public void Sgemm_BetaZero_IgnoresNaNInC()
    {
        float[] a = KernelTestUtil.Random(6 * 5, 1), b = KernelTestUtil.Random(5 * 40, 2);
        var c = new float[6 * 40];
        Array.Fill(c, float.NaN);
        Gemm.Sgemm(false, false, 6, 40, 5, 1f, a, 5, b, 40, 0f, c, 40);
        Assert.DoesNotContain(c, float.IsNaN);
    }

    [Fact]
    public void Sgemm_KZeroOrAlphaZero_OnlyScalesC()
    {
        var c = new float[] { 1, 2, 3, 4 };
        Gemm.Sgemm(false, false, 2, 2, 0, 1f, [], 1, [], 2, 2f, c, 2);
        Assert.Equal(new float[] { 2, 4, 6, 8 }, c);
        Gemm.Sgemm(false, false, 2, 2, 1, 0f, [float.NaN, 1], 1, [1, 1], 2, 0.5f, c, 2);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, c);
    }

    [Fact]
    public void Sgemm_LargeSquare_MatchesReference()
    {
        const int m = 300, n = 520, k = 410;
        float[] a = KernelTestUtil.Random(m * k, 7), b = KernelTestUtil.Random(k * n, 8);
        var c = new float[m * n];
        Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
        double[] expected = Reference(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
        KernelTestUtil.AssertClose(expected, c, 2e-4, "300x520x410");
    }

    public static IEnumerable<object[]> BadArguments()
    {
        yield return [-1, 2, 2, 2, 2, 2, "m"];
        yield return [2, -1, 2, 2, 2, 2, "n"];
        yield return [2, 2, -1, 2, 2, 2, "k"];
        yield return [2, 2, 2, 1, 2, 2, "lda"];
        yield return [2, 2, 2, 2, 1, 2, "ldb"];
        yield return [2, 2, 2, 2, 2, 1, "ldc"];
    }

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Sgemm_BadSizeOrStride_ThrowsNamingIt(int m, int n, int k, int lda, int ldb, int ldc, string param)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(false, false, m, n, k, 1f, new float[16], lda, new float[16], ldb, 0f, new float[16], ldc));
        Assert.Equal(param, ex.ParamName);
    }

    [Theory]
    [InlineData(3, 16, 16, "a")]
    [InlineData(16, 3, 16, "b")]
    [InlineData(16, 16, 3, "c")]
    public void Sgemm_ShortSpan_ThrowsNamingMatrix(int aLen, int bLen, int cLen, string param)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(false, false, 4, 4, 4, 1f, new float[aLen], 4, new float[bLen], 4, 0f, new float[cLen], 4));
        Assert.Equal(param, ex.ParamName);
        Assert.Contains("needs 16", ex.Message);
    }
}
