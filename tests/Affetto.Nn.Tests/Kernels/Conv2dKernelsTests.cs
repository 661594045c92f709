using Affetto.Nn.Kernels;

namespace Affetto.Nn.Tests.Kernels;

public class Conv2dKernelsTests
{
    // N, Cin, Cout, H, W, kH, kW, sH, sW, pH, pW, dH, dW, groups
    private static readonly int[][] s_shapes =
    [
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1],
        [2, 3, 4, 7, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1],
        [2, 1, 16, 20, 19, 3, 3, 1, 1, 1, 1, 1, 1, 1],   // seed CNN first layer, odd width
        [3, 16, 32, 11, 13, 3, 3, 1, 1, 1, 1, 1, 1, 1],
        [1, 5, 7, 13, 11, 3, 3, 2, 2, 1, 1, 1, 1, 1],    // stride 2
        [2, 4, 6, 15, 14, 3, 3, 1, 1, 2, 2, 2, 2, 1],    // dilation 2
        [1, 4, 6, 17, 9, 5, 3, 2, 1, 2, 0, 1, 2, 1],     // non-square, mixed
        [2, 6, 4, 9, 9, 3, 3, 1, 1, 1, 1, 1, 1, 2],      // groups 2
        [2, 6, 9, 10, 8, 3, 3, 2, 2, 1, 1, 1, 1, 3],     // groups 3, stride 2
        [2, 8, 8, 12, 12, 3, 3, 1, 1, 1, 1, 1, 1, 8],    // depthwise
        [1, 5, 5, 9, 35, 5, 5, 2, 2, 2, 2, 1, 1, 5],     // depthwise 5x5 stride 2
        [2, 4, 8, 11, 10, 3, 3, 1, 1, 2, 2, 2, 2, 4],    // depthwise multiplier 2, dilation 2
        [2, 3, 5, 6, 6, 1, 1, 1, 1, 0, 0, 1, 1, 1],      // 1x1
        [3, 40, 70, 2, 6, 1, 1, 1, 1, 0, 0, 1, 1, 1],    // 1x1 over the batch side by side (EfficientNetV2's last stage)
        [2, 24, 96, 4, 11, 1, 1, 1, 1, 0, 0, 1, 1, 1],   // 1x1, rows of 11 (the direct path's width before)
        [2, 8, 12, 16, 17, 1, 1, 1, 1, 0, 0, 1, 1, 1],   // 1x1 over 272 positions: the per-image paths
        [1, 4, 6, 5, 5, 1, 1, 2, 2, 0, 0, 1, 1, 1],      // 1x1 stride 2: not pointwise
        [1, 2, 3, 3, 4, 5, 5, 1, 1, 2, 2, 1, 1, 1],      // kernel larger than input
        [2, 7, 70, 9, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1],    // many output channels, wide rows
        [4, 32, 64, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1],
        [1, 3, 4, 1, 50, 1, 7, 1, 3, 0, 3, 1, 1, 1],     // 1-D as height 1
        [2, 64, 17, 5, 5, 3, 3, 1, 1, 0, 0, 1, 1, 1],    // large K, no padding
        [2, 6, 6, 9, 37, 3, 3, 1, 1, 1, 1, 1, 1, 6],     // depthwise, vector rows plus a tail
        [1, 4, 8, 20, 33, 3, 5, 2, 1, 1, 2, 1, 1, 4],    // depthwise multiplier 2, stride (2, 1)
        [2, 3, 3, 16, 40, 3, 3, 1, 1, 2, 2, 2, 2, 3],    // depthwise dilation 2
        [2, 4, 4, 9, 70, 3, 3, 2, 2, 1, 1, 1, 1, 4],     // depthwise stride 2, vector rows plus a tail
        [1, 2, 4, 13, 77, 5, 5, 2, 2, 4, 4, 2, 2, 2],    // depthwise 5x5, stride 2, dilation 2, multiplier 2
        [3, 8, 8, 4, 11, 3, 3, 1, 1, 1, 1, 1, 1, 8],     // depthwise on planes narrower than a vector (EfficientNetV2's
        [2, 16, 16, 2, 6, 3, 3, 1, 1, 1, 1, 1, 1, 16],   //   4 x 11 and 2 x 6 stages): masked weight-gradient steps
        [2, 3, 3, 8, 20, 3, 3, 1, 1, 1, 1, 2, 2, 3],     // depthwise dilation 2, padding below the reach: turned-kernel input gradient, padding 3
        [2, 4, 4, 3, 7, 5, 5, 1, 1, 2, 2, 1, 1, 4],      // depthwise 5x5 on a plane smaller than the padded kernel reach
        [1, 3, 3, 6, 9, 3, 3, 1, 1, 0, 0, 1, 1, 3],      // depthwise without padding: input gradient padded by 2
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

    private static Conv2dGeometry Parse(string shape)
    {
        int[] s = shape.Split(',').Select(int.Parse).ToArray();
        return new Conv2dGeometry(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], s[12], s[13]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardAndBackward_MatchDirectDefinition(string shape, int width)
    {
        Conv2dGeometry g = Parse(shape);
        float[] x = KernelTestUtil.Random(g.InputLength, 11);
        float[] w = KernelTestUtil.Random(g.WeightLength, 12, 0.5f);
        float[] b = KernelTestUtil.Random(g.OutChannels, 13);
        float[] gy = KernelTestUtil.Random(g.OutputLength, 14);
        int fan = g.InChannelsPerGroup * g.KH * g.KW;
        double tol = 1e-5 * Math.Sqrt(fan + 1);

        KernelTestUtil.WithWidth(width, () =>
        {
            var y = new float[g.OutputLength];
            Array.Fill(y, float.NaN);
            Conv2dKernels.Forward(x, w, b, y, g);
            KernelTestUtil.AssertClose(ConvReference.Forward(x, w, b, g), y, tol, $"forward {g}");

            Conv2dKernels.Forward(x, w, ReadOnlySpan<float>.Empty, y, g);
            KernelTestUtil.AssertClose(ConvReference.Forward(x, w, null, g), y, tol, $"forward no bias {g}");

            var gx = new float[g.InputLength];
            Array.Fill(gx, float.NaN);
            Conv2dKernels.BackwardInput(gy, w, gx, g);
            KernelTestUtil.AssertClose(ConvReference.BackwardInput(gy, w, g), gx, tol, $"backward input {g}");

            var gw = new float[g.WeightLength];
            var gb = new float[g.OutChannels];
            Array.Fill(gw, float.NaN);
            Array.Fill(gb, float.NaN);
            Conv2dKernels.BackwardWeight(x, gy, gw, gb, g);
            double tolW = 1e-5 * Math.Sqrt(g.Batch * g.OutH * g.OutW + 1);
            KernelTestUtil.AssertClose(ConvReference.BackwardWeight(x, gy, g), gw, tolW, $"backward weight {g}");
            KernelTestUtil.AssertClose(ConvReference.BackwardBias(gy, g), gb, tolW, $"backward bias {g}");

            Array.Fill(gw, float.NaN);
            Conv2dKernels.BackwardWeight(x, gy, gw, Span<float>.Empty, g);
            KernelTestUtil.AssertClose(ConvReference.BackwardWeight(x, gy, g), gw, tolW, $"backward weight, no bias {g}");
        });
    }

    [Fact]
    public void Forward_SeedCnnLayerShapes_MatchDirectDefinition()
    {
        // The benchmark CNN's four layers at batch 2 (smaller planes keep the oracle fast).
        int[][] layers = [[1, 16, 64], [16, 32, 32], [32, 64, 16], [64, 128, 8]];
        foreach (int[] l in layers)
        {
            var g = new Conv2dGeometry(2, l[0], l[1], l[2], l[2], 3, 3, 1, 1, 1, 1);
            float[] x = KernelTestUtil.Random(g.InputLength, l[0]);
            float[] w = KernelTestUtil.Random(g.WeightLength, l[1], 0.3f);
            float[] b = KernelTestUtil.Random(g.OutChannels, 3);
            var y = new float[g.OutputLength];
            Conv2dKernels.Forward(x, w, b, y, g);
            KernelTestUtil.AssertClose(ConvReference.Forward(x, w, b, g), y, 1e-4, $"forward {g}");
        }
    }

    [Fact]
    public void For1d_BuildsHeightOneGeometry()
    {
        Conv2dGeometry g = Conv2dGeometry.For1d(3, 4, 6, 100, 5, stride: 2, padding: 2, dilation: 3, groups: 2);
        Assert.Equal(1, g.InH);
        Assert.Equal(1, g.KH);
        Assert.Equal(1, g.OutH);
        Assert.Equal((100 + 4 - 3 * 4 - 1) / 2 + 1, g.OutW);
        Assert.Equal(2, g.Groups);
    }

    public static IEnumerable<object[]> BadGeometries()
    {
        yield return [new Func<Conv2dGeometry>(() => new Conv2dGeometry(0, 1, 1, 4, 4, 3, 3)), "batch"];
        yield return [new Func<Conv2dGeometry>(() => new Conv2dGeometry(1, 0, 1, 4, 4, 3, 3)), "inChannels"];
        yield return [new Func<Conv2dGeometry>(() => new Conv2dGeometry(1, 1, 0, 4, 4, 3, 3)), "outChannels"];
        yield return [new Func<Conv2dGeometry>(() => new Conv2dGeometry(1, 1, 1, 0, 4, 3, 3)), "inH"];
        yield return [new Func<Conv2dGeometry>(() => new Conv2dGeometry(1, 1, 1, 4, 4, 3, 0)), "kW"];
        yield return [new Func<Conv2dGeometry>(() => new Conv2dGeometry(1, 1, 1, 4, 4, 3, 3, strideH: 0)), "strideH"];
        yield return [new Func<Conv2dGeometry>(() => new Conv2dGeometry(1, 1, 1, 4, 4, 3, 3, padW: -1)), "padW"];
        yield return [new Func<Conv2dGeometry>(() => new Conv2dGeometry(1, 1, 1, 4, 4, 3, 3, dilationW: 0)), "dilationW"];
        yield return [new Func<Conv2dGeometry>(() => new Conv2dGeometry(1, 3, 4, 4, 4, 3, 3, groups: 2)), "groups"];
        yield return [new Func<Conv2dGeometry>(() => new Conv2dGeometry(1, 4, 3, 4, 4, 3, 3, groups: 2)), "groups"];
        yield return [new Func<Conv2dGeometry>(() => new Conv2dGeometry(1, 1, 1, 4, 4, 5, 3)), "kH"];
        yield return [new Func<Conv2dGeometry>(() => new Conv2dGeometry(1, 1, 1, 4, 4, 3, 3, dilationH: 2)), "kH"];
    }

    [Theory]
    [MemberData(nameof(BadGeometries))]
    public void Geometry_InvalidArgument_ThrowsNamingIt(Func<Conv2dGeometry> make, string param)
    {
        var ex = Assert.Throws<ArgumentException>(() => make());
        Assert.Equal(param, ex.ParamName);
    }

    [Fact]
    public void Kernels_WrongSpanLengths_ThrowNamingTheSpan()
    {
        var g = new Conv2dGeometry(2, 3, 4, 5, 5, 3, 3, padH: 1, padW: 1);
        float[] x = new float[g.InputLength], w = new float[g.WeightLength], y = new float[g.OutputLength];
        float[] b = new float[g.OutChannels];
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(x.AsSpan(1), w, b, y, g)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(x, w.AsSpan(1), b, y, g)).ParamName);
        Assert.Equal("bias", Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(x, w, b.AsSpan(1), y, g)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(x, w, b, y.AsSpan(1), g)).ParamName);
        Assert.Equal("gradOutput", Assert.Throws<ArgumentException>(() => Conv2dKernels.BackwardInput(y.AsSpan(1), w, x, g)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentException>(() => Conv2dKernels.BackwardInput(y, w.AsSpan(1), x, g)).ParamName);
        Assert.Equal("gradInput", Assert.Throws<ArgumentException>(() => Conv2dKernels.BackwardInput(y, w, x.AsSpan(1), g)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Conv2dKernels.BackwardWeight(x.AsSpan(1), y, w, b, g)).ParamName);
        Assert.Equal("gradOutput", Assert.Throws<ArgumentException>(() => Conv2dKernels.BackwardWeight(x, y.AsSpan(1), w, b, g)).ParamName);
        Assert.Equal("gradWeight", Assert.Throws<ArgumentException>(() => Conv2dKernels.BackwardWeight(x, y, w.AsSpan(1), b, g)).ParamName);
        Assert.Equal("gradBias", Assert.Throws<ArgumentException>(() => Conv2dKernels.BackwardWeight(x, y, w, b.AsSpan(1), g)).ParamName);
    }

    [Fact]
    public void Geometry_EqualityAndToString()
    {
        var a = new Conv2dGeometry(1, 2, 3, 4, 5, 3, 3, padH: 1, padW: 1);
        var b = new Conv2dGeometry(1, 2, 3, 4, 5, 3, 3, padH: 1, padW: 1);
        var c = new Conv2dGeometry(1, 2, 3, 4, 5, 3, 3);
        Assert.True(a == b);
        Assert.True(a != c);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Contains("out=4x5", a.ToString());
    }
}
