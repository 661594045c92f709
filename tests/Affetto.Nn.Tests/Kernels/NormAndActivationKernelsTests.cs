using Affetto.Nn.Kernels;

namespace Affetto.Nn.Tests.Kernels;

public class NormAndActivationKernelsTests
{
    public static IEnumerable<object[]> Shapes()
    {
        // 44 and 12: EfficientNetV2's 4 x 11 and 2 x 6 planes (a masked tail, or a masked vector alone); 300 x 44 goes parallel
        int[][] shapes = [[1, 1, 1], [2, 3, 5], [4, 16, 37], [32, 4, 257], [3, 7, 4096], [2, 1, 70000], [5, 24, 44], [3, 40, 12], [4, 300, 44]];
        foreach (int[] s in shapes)
        {
            foreach (int width in KernelTestUtil.Widths)
            {
                yield return [s[0], s[1], s[2], width];
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BatchNormKernels_MatchDirectFormulas(int batch, int channels, int spatial, int width)
    {
        int len = batch * channels * spatial;
        float[] x = KernelTestUtil.Random(len, 1, 3f);
        for (int i = 0; i < len; i++) x[i] += 5f; // offset mean exposes one-pass variance cancellation
        float[] g = KernelTestUtil.Random(len, 2);
        float[] w = KernelTestUtil.Random(channels, 3);
        int m = batch * spatial;
        var eMean = new double[channels];
        var eVar = new double[channels];
        var eSg = new double[channels];
        var eSgx = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            double s = 0;
            for (int n = 0; n < batch; n++) for (int i = 0; i < spatial; i++) s += x[(n * channels + c) * spatial + i];
            eMean[c] = s / m;
            double q = 0;
            for (int n = 0; n < batch; n++) for (int i = 0; i < spatial; i++) q += Math.Pow(x[(n * channels + c) * spatial + i] - eMean[c], 2);
            eVar[c] = q / m;
        }

        var mean = new float[channels];
        var variance = new float[channels];
        var invStd = new float[channels];
        KernelTestUtil.WithWidth(width, () => BatchNormKernels.Statistics(x, batch, channels, spatial, mean, variance));
        KernelTestUtil.AssertClose(eMean, mean, 1e-5, "mean");
        KernelTestUtil.AssertClose(eVar, variance, 1e-4, "variance");
        for (int c = 0; c < channels; c++) invStd[c] = 1f / MathF.Sqrt(variance[c] + 1e-5f);

        float[] shift = KernelTestUtil.Random(channels, 4);
        foreach (bool relu in new[] { false, true })
        {
            var y = new float[len];
            KernelTestUtil.WithWidth(width, () => BatchNormKernels.ScaleShift(x, w, shift, y, batch, channels, spatial, relu));
            var ey = new double[len];
            for (int i = 0; i < len; i++)
            {
                int c = i / spatial % channels;
                double v = (double)x[i] * w[c] + shift[c];
                ey[i] = relu ? Math.Max(v, 0) : v;
            }

            KernelTestUtil.AssertClose(ey, y, 1e-5, $"scale-shift relu={relu}");
        }

        for (int c = 0; c < channels; c++)
        {
            for (int n = 0; n < batch; n++)
            {
                for (int i = 0; i < spatial; i++)
                {
                    int o = (n * channels + c) * spatial + i;
                    eSg[c] += g[o];
                    eSgx[c] += g[o] * (x[o] - (double)mean[c]) * invStd[c];
                }
            }
        }

        var sg = new float[channels];
        var sgx = new float[channels];
        KernelTestUtil.WithWidth(width, () => BatchNormKernels.BackwardSums(x, g, mean, invStd, sg, sgx, batch, channels, spatial));
        KernelTestUtil.AssertClose(eSg, sg, 1e-4, "sumGrad");
        KernelTestUtil.AssertClose(eSgx, sgx, 1e-4, "sumGradXhat");

        foreach (bool withWeight in new[] { true, false })
        {
            var gx = new float[len];
            KernelTestUtil.WithWidth(width, () => BatchNormKernels.BackwardInput(x, g, mean, invStd,
                withWeight ? w : ReadOnlySpan<float>.Empty, sg, sgx, gx, batch, channels, spatial));
            var egx = new double[len];
            for (int i = 0; i < len; i++)
            {
                int c = i / spatial % channels;
                double xhat = (x[i] - (double)mean[c]) * invStd[c];
                double k = (withWeight ? w[c] : 1.0) * invStd[c] / m;
                egx[i] = k * (m * (double)g[i] - sg[c] - xhat * sgx[c]);
            }

            KernelTestUtil.AssertClose(egx, gx, 1e-4, $"gradInput weight={withWeight}");
        }
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    [InlineData(128)]
    [InlineData(0)]
    public void Relu_ForwardAndBackward_MatchDefinitionAndKeepNaN(int width)
    {
        float[] x = KernelTestUtil.Random(100_003, 5);
        x[7] = float.NaN;
        x[8] = 0f;
        x[9] = -0f;
        float[] g = KernelTestUtil.Random(x.Length, 6);
        var y = new float[x.Length];
        var gx = new float[x.Length];
        KernelTestUtil.WithWidth(width, () =>
        {
            ActivationKernels.Relu(x, y);
            ActivationKernels.ReluBackward(y, g, gx);
        });
        for (int i = 0; i < x.Length; i++)
        {
            if (float.IsNaN(x[i]))
            {
                Assert.True(float.IsNaN(y[i]));
                continue;
            }

            Assert.Equal(Math.Max(x[i], 0f), y[i]);
            Assert.Equal(x[i] > 0f ? g[i] : 0f, gx[i]);
        }
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    [InlineData(128)]
    [InlineData(0)]
    public void Silu_ForwardAndBackward_MatchDoublePrecisionDefinition(int width)
    {
        float[] x = KernelTestUtil.Random(100_003, 7, scale: 12f);
        x[3] = 0f;
        x[4] = -100f; // exp(100) overflows float: the result must still be -0, and its gradient 0
        x[5] = 100f;
        x[6] = 88.8f;
        float[] g = KernelTestUtil.Random(x.Length, 8);
        var y = new float[x.Length];
        var gx = new float[x.Length];
        KernelTestUtil.WithWidth(width, () =>
        {
            ActivationKernels.Silu(x, y);
            ActivationKernels.SiluBackward(x, g, gx);
        });
        var ey = new double[x.Length];
        var egx = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double s = 1 / (1 + Math.Exp(-(double)x[i]));
            ey[i] = x[i] * s;
            egx[i] = g[i] * s * (1 + x[i] * (1 - s));
        }

        KernelTestUtil.AssertClose(ey, y, 1e-6, "silu");
        KernelTestUtil.AssertClose(egx, gx, 1e-6, "silu gradient");
        float[] nan = [float.NaN, 1f];
        ActivationKernels.Silu(nan, nan);
        Assert.True(float.IsNaN(nan[0]));
    }

    [Fact]
    public void Kernels_WrongLengths_ThrowNamingTheSpan()
    {
        float[] x = new float[24], c = new float[3];
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => BatchNormKernels.Statistics(x.AsSpan(1), 2, 3, 4, c, c)).ParamName);
        Assert.Equal("mean", Assert.Throws<ArgumentException>(() => BatchNormKernels.Statistics(x, 2, 3, 4, c.AsSpan(1), c)).ParamName);
        Assert.Equal("variance", Assert.Throws<ArgumentException>(() => BatchNormKernels.Statistics(x, 2, 3, 4, c, c.AsSpan(1))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => BatchNormKernels.ScaleShift(x, c, c, x.AsSpan(1), 2, 3, 4)).ParamName);
        Assert.Equal("scale", Assert.Throws<ArgumentException>(() => BatchNormKernels.ScaleShift(x, c.AsSpan(1), c, x, 2, 3, 4)).ParamName);
        Assert.Equal("gradOutput", Assert.Throws<ArgumentException>(() => BatchNormKernels.BackwardSums(x, x.AsSpan(1), c, c, c, c, 2, 3, 4)).ParamName);
        Assert.Equal("sumGradXhat", Assert.Throws<ArgumentException>(() => BatchNormKernels.BackwardSums(x, x, c, c, c, c.AsSpan(1), 2, 3, 4)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentException>(() => BatchNormKernels.BackwardInput(x, x, c, c, c.AsSpan(1), c, c, x, 2, 3, 4)).ParamName);
        Assert.Equal("gradInput", Assert.Throws<ArgumentException>(() => BatchNormKernels.BackwardInput(x, x, c, c, c, c, c, x.AsSpan(1), 2, 3, 4)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => BatchNormKernels.Statistics(x, -2, 3, 4, c, c)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => ActivationKernels.Relu(x, new float[5])).ParamName);
        Assert.Equal("gradOutput", Assert.Throws<ArgumentException>(() => ActivationKernels.ReluBackward(x, new float[5], x)).ParamName);
        Assert.Equal("gradInput", Assert.Throws<ArgumentException>(() => ActivationKernels.ReluBackward(x, x, new float[5])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => ActivationKernels.Silu(x, new float[5])).ParamName);
        Assert.Equal("gradOutput", Assert.Throws<ArgumentException>(() => ActivationKernels.SiluBackward(x, new float[5], x)).ParamName);
        Assert.Equal("gradInput", Assert.Throws<ArgumentException>(() => ActivationKernels.SiluBackward(x, x, new float[5])).ParamName);
    }
}
