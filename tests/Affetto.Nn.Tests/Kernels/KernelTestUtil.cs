using Affetto.Nn.Kernels;

namespace Affetto.Nn.Tests.Kernels;

/// <summary>Random data, SIMD-width selection and tolerant comparison for the kernel tests.</summary>
internal static class KernelTestUtil
{
    /// <summary>The vector widths every kernel test runs with: AVX-512, AVX2, SSE/NEON and scalar.</summary>
    public static readonly int[] Widths = [512, 256, 128, 0];

    public static float[] Random(int length, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        }

        return x;
    }

    /// <summary>Runs <paramref name="action"/> with the kernels limited to <paramref name="bits"/>-wide vectors.</summary>
    public static void WithWidth(int bits, Action action)
    {
        int saved = SimdLevel.MaxBits;
        SimdLevel.MaxBits = bits;
        try
        {
            action();
        }
        finally
        {
            SimdLevel.MaxBits = saved;
        }
    }

    /// <summary>Asserts |actual - expected| &lt;= tol * (1 + scale) elementwise, scale = reference magnitude.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(expected[i] - actual[i]);
            if (!(err <= tol * (1 + Math.Abs(expected[i]))))
            {
                Assert.Fail($"{what}: element {i} expected {expected[i]:R} got {actual[i]:R} (error {err:E3})");
            }
        }
    }
}
