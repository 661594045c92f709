using Affetto.Nn.Kernels;

namespace Affetto.Nn.Tests.Kernels;

public class Pool2dKernelsTests
{
    // N, C, H, W, kH, kW, sH, sW, pH, pW, dH, dW, ceil
    private static readonly int[][] s_shapes =
    [
        [2, 3, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1, 0],
        [2, 16, 128, 128, 2, 2, 2, 2, 0, 0, 1, 1, 0],   // seed CNN first pool
        [1, 2, 9, 7, 2, 2, 2, 2, 0, 0, 1, 1, 0],        // odd sizes drop the last row/column
        [1, 2, 9, 7, 2, 2, 2, 2, 0, 0, 1, 1, 1],        // ceil mode keeps them
        [2, 3, 10, 11, 3, 3, 2, 2, 1, 1, 1, 1, 0],
        [2, 3, 10, 11, 3, 3, 2, 2, 1, 1, 1, 1, 1],
        [1, 4, 13, 12, 3, 2, 1, 2, 1, 1, 1, 1, 0],
        [1, 2, 6, 6, 3, 3, 3, 3, 1, 1, 1, 1, 1],
        [1, 3, 1, 40, 1, 4, 1, 3, 0, 2, 1, 1, 0],       // 1-D
        [1, 3, 1, 41, 1, 4, 1, 3, 0, 2, 1, 1, 1],       // 1-D ceil
        [2, 3, 33, 31, 5, 5, 4, 3, 2, 2, 1, 1, 1],
    ];

    public static IEnumerable<object[]> Cases()
    {
        foreach (int[] s in s_shapes)
        {
            foreach (int width in KernelTestUtil.Widths)
            {
                yield return [string.Join(",", s), width];
            }
        }
    }

    private static Pool2dGeometry Parse(string shape, bool dilated = false)
    {
        int[] s = shape.Split(',').Select(int.Parse).ToArray();
        return new Pool2dGeometry(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9],
            dilated ? 2 : s[10], dilated ? 2 : s[11], s[12] == 1);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MaxPool_MatchesDirectDefinition(string shape, int width)
    {
        foreach (bool dilated in new[] { false, true })
        {
            Pool2dGeometry g;
            try
            {
                g = Parse(shape, dilated);
            }
            catch (ArgumentException) when (dilated)
            {
                continue; // the dilated window does not fit this input
            }

            float[] x = KernelTestUtil.Random(g.InputLength, 5);
            float[] gy = KernelTestUtil.Random(g.OutputLength, 6);
            var (ey, eidx) = PoolReference.Max(x, g);
            KernelTestUtil.WithWidth(width, () =>
            {
                var y = new float[g.OutputLength];
                var idx = new int[g.OutputLength];
                Pool2dKernels.MaxForward(x, y, idx, g);
                KernelTestUtil.AssertClose(ey, y, 0, $"max forward {g}");
                Assert.Equal(eidx, idx);
                var yNoIdx = new float[g.OutputLength];
                Pool2dKernels.MaxForward(x, yNoIdx, Span<int>.Empty, g);
                Assert.Equal(y, yNoIdx);
                var gx = new float[g.InputLength];
                Array.Fill(gx, float.NaN);
                Pool2dKernels.MaxBackward(gy, idx, gx, g);
                KernelTestUtil.AssertClose(PoolReference.MaxBackward(gy, eidx, g), gx, 1e-6, $"max backward {g}");
            });
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AvgPool_MatchesDirectDefinition(string shape, int width)
    {
        Pool2dGeometry g = Parse(shape);
        float[] x = KernelTestUtil.Random(g.InputLength, 7);
        float[] gy = KernelTestUtil.Random(g.OutputLength, 8);
        foreach (bool includePad in new[] { true, false })
        {
            KernelTestUtil.WithWidth(width, () =>
            {
                var y = new float[g.OutputLength];
                Pool2dKernels.AvgForward(x, y, g, includePad);
                KernelTestUtil.AssertClose(PoolReference.Avg(x, g, includePad), y, 1e-6, $"avg forward {g} pad={includePad}");
                var gx = new float[g.InputLength];
                Array.Fill(gx, float.NaN);
                Pool2dKernels.AvgBackward(gy, gx, g, includePad);
                KernelTestUtil.AssertClose(PoolReference.AvgBackward(gy, g, includePad), gx, 1e-6, $"avg backward {g} pad={includePad}");
            });
        }
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    [InlineData(128)]
    [InlineData(0)]
    public void MaxPool_NaNAndTies_FollowPyTorch(int width)
    {
        var g = new Pool2dGeometry(1, 1, 2, 6, 2, 2, 2, 2);
        float[] x = [1, 3, 5, float.NaN, 2, 2, 3, 1, float.NaN, 0, 2, 2];
        var y = new float[3];
        var idx = new int[3];
        KernelTestUtil.WithWidth(width, () => Pool2dKernels.MaxForward(x, y, idx, g));
        Assert.Equal(3f, y[0]);
        Assert.Equal(1, idx[0]); // 3 at (0,1) wins the tie with 3 at (1,0)
        Assert.True(float.IsNaN(y[1]));
        Assert.Equal(8, idx[1]); // PyTorch keeps the last NaN in scan order: (1,2)
        Assert.Equal(2f, y[2]);
        Assert.Equal(4, idx[2]);
    }

    [Fact]
    public void MaxPool_VectorPathWithNaNsAndTies_MatchesScalarPath()
    {
        // 2x2 / stride 2 windows take the AVX-512 path when 16 outputs fit in a row; compare it with the scalar loop.
        var g = new Pool2dGeometry(2, 3, 9, 70, 2, 2, 2, 2);
        float[] x = KernelTestUtil.Random(g.InputLength, 21);
        var rng = new Random(22);
        for (int i = 0; i < x.Length; i++)
        {
            int r = rng.Next(10);
            if (r == 0) x[i] = float.NaN;
            else if (r < 4) x[i] = 0.5f; // many ties
        }

        var yFast = new float[g.OutputLength];
        var yScalar = new float[g.OutputLength];
        var iFast = new int[g.OutputLength];
        var iScalar = new int[g.OutputLength];
        KernelTestUtil.WithWidth(512, () => Pool2dKernels.MaxForward(x, yFast, iFast, g));
        KernelTestUtil.WithWidth(0, () => Pool2dKernels.MaxForward(x, yScalar, iScalar, g));
        Assert.Equal(iScalar, iFast);
        for (int i = 0; i < yFast.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(yScalar[i]), BitConverter.SingleToInt32Bits(yFast[i]));
        }
    }

    [Fact]
    public void MaxBackward_IndexOutsidePlane_Throws()
    {
        var g = new Pool2dGeometry(1, 1, 4, 4, 2, 2, 2, 2);
        var ex = Assert.Throws<ArgumentException>(() =>
            Pool2dKernels.MaxBackward(new float[4], new[] { 0, 2, 16, 10 }, new float[16], g));
        Assert.Contains("indices[2] = 16", ex.Message);
    }

    [Fact]
    public void MaxBackward_2x2IndexOutsideItsWindow_Throws()
    {
        // Only the AVX-512 2x2 path writes each window directly and so checks window membership.
        if (!System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated || !System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            return;
        }

        var g = new Pool2dGeometry(1, 1, 4, 40, 2, 2, 2, 2);
        var y = new float[g.OutputLength];
        var idx = new int[g.OutputLength];
        Pool2dKernels.MaxForward(KernelTestUtil.Random(g.InputLength, 3), y, idx, g);
        idx[5] = idx[6];
        var ex = Assert.Throws<ArgumentException>(() =>
            KernelTestUtil.WithWidth(512, () => Pool2dKernels.MaxBackward(y, idx, new float[g.InputLength], g)));
        Assert.Equal("indices", ex.ParamName);
    }

    [Fact]
    public void Kernels_WrongSpanLengths_ThrowNamingTheSpan()
    {
        var g = new Pool2dGeometry(1, 2, 4, 4, 2, 2, 2, 2);
        float[] x = new float[32], y = new float[8];
        int[] idx = new int[8];
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Pool2dKernels.MaxForward(x.AsSpan(1), y, idx, g)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => Pool2dKernels.MaxForward(x, y.AsSpan(1), idx, g)).ParamName);
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => Pool2dKernels.MaxForward(x, y, idx.AsSpan(1), g)).ParamName);
        Assert.Equal("gradOutput", Assert.Throws<ArgumentException>(() => Pool2dKernels.MaxBackward(y.AsSpan(1), idx, x, g)).ParamName);
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => Pool2dKernels.MaxBackward(y, idx.AsSpan(1), x, g)).ParamName);
        Assert.Equal("gradInput", Assert.Throws<ArgumentException>(() => Pool2dKernels.MaxBackward(y, idx, x.AsSpan(1), g)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Pool2dKernels.AvgForward(x.AsSpan(1), y, g)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => Pool2dKernels.AvgForward(x, y.AsSpan(1), g)).ParamName);
        Assert.Equal("gradOutput", Assert.Throws<ArgumentException>(() => Pool2dKernels.AvgBackward(y.AsSpan(1), x, g)).ParamName);
        Assert.Equal("gradInput", Assert.Throws<ArgumentException>(() => Pool2dKernels.AvgBackward(y, x.AsSpan(1), g)).ParamName);
    }

    [Fact]
    public void AvgPool_WithDilation_Throws()
    {
        var g = new Pool2dGeometry(1, 1, 8, 8, 2, 2, 2, 2, dilationH: 2, dilationW: 2);
        var ex = Assert.Throws<ArgumentException>(() => Pool2dKernels.AvgForward(new float[64], new float[g.OutputLength], g));
        Assert.Contains("dilation", ex.Message);
        Assert.Throws<ArgumentException>(() => Pool2dKernels.AvgBackward(new float[g.OutputLength], new float[64], g));
    }

    public static IEnumerable<object[]> BadGeometries()
    {
        yield return [new Func<Pool2dGeometry>(() => new Pool2dGeometry(0, 1, 4, 4, 2, 2, 2, 2)), "batch"];
        yield return [new Func<Pool2dGeometry>(() => new Pool2dGeometry(1, 0, 4, 4, 2, 2, 2, 2)), "channels"];
        yield return [new Func<Pool2dGeometry>(() => new Pool2dGeometry(1, 1, 4, 0, 2, 2, 2, 2)), "inW"];
        yield return [new Func<Pool2dGeometry>(() => new Pool2dGeometry(1, 1, 4, 4, 0, 2, 2, 2)), "kH"];
        yield return [new Func<Pool2dGeometry>(() => new Pool2dGeometry(1, 1, 4, 4, 2, 2, 2, 0)), "strideW"];
        yield return [new Func<Pool2dGeometry>(() => new Pool2dGeometry(1, 1, 4, 4, 2, 2, 2, 2, padH: 2)), "padH"];
        yield return [new Func<Pool2dGeometry>(() => new Pool2dGeometry(1, 1, 4, 4, 2, 2, 2, 2, padW: -1)), "padW"];
        yield return [new Func<Pool2dGeometry>(() => new Pool2dGeometry(1, 1, 4, 4, 2, 2, 2, 2, dilationH: 0)), "dilationH"];
        yield return [new Func<Pool2dGeometry>(() => new Pool2dGeometry(1, 1, 2, 4, 3, 2, 2, 2)), "kH"];
    }

    [Theory]
    [MemberData(nameof(BadGeometries))]
    public void Geometry_InvalidArgument_ThrowsNamingIt(Func<Pool2dGeometry> make, string param)
    {
        var ex = Assert.Throws<ArgumentException>(() => make());
        Assert.Equal(param, ex.ParamName);
    }

    [Fact]
    public void Geometry_CeilMode_DropsWindowStartingInRightPadding()
    {
        // PyTorch: MaxPool2d(3, stride 3, padding 1, ceil_mode=True) on 6x6 gives 3x3, not 4x4.
        var g = new Pool2dGeometry(1, 1, 6, 6, 3, 3, 3, 3, 1, 1, ceilMode: true);
        Assert.Equal(3, g.OutH);
        var g2 = new Pool2dGeometry(1, 1, 7, 7, 2, 2, 2, 2, ceilMode: true);
        Assert.Equal(4, g2.OutW);
        Assert.Equal(1, Pool2dGeometry.For1d(2, 3, 10, 4, 3, 2).OutH);
        Assert.Equal(4, Pool2dGeometry.For1d(2, 3, 10, 4, 3, 2).OutW);
    }
}
