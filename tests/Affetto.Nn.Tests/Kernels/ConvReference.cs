using Affetto.Nn.Kernels;

namespace Affetto.Nn.Tests.Kernels;

/// <summary>Direct-definition convolution loops in double precision (the oracle for the kernels).</summary>
internal static class ConvReference
{
    private static int InIndex(in Conv2dGeometry g, int n, int c, int h, int w) =>
        ((n * g.InChannels + c) * g.InH + h) * g.InW + w;

    private static int OutIndex(in Conv2dGeometry g, int n, int m, int oh, int ow) =>
        ((n * g.OutChannels + m) * g.OutH + oh) * g.OutW + ow;

    private static int WIndex(in Conv2dGeometry g, int m, int ci, int kh, int kw) =>
        ((m * g.InChannelsPerGroup + ci) * g.KH + kh) * g.KW + kw;

    /// <summary>Visits every (output, input, weight) index triple that contributes to the convolution.</summary>
    private static void ForEachTap(in Conv2dGeometry g, Action<int, int, int> tap)
    {
        int cpg = g.InChannelsPerGroup, mpg = g.OutChannelsPerGroup;
        for (int n = 0; n < g.Batch; n++)
        for (int m = 0; m < g.OutChannels; m++)
        for (int oh = 0; oh < g.OutH; oh++)
        for (int ow = 0; ow < g.OutW; ow++)
        for (int ci = 0; ci < cpg; ci++)
        for (int kh = 0; kh < g.KH; kh++)
        for (int kw = 0; kw < g.KW; kw++)
        {
            int h = oh * g.StrideH - g.PadH + kh * g.DilationH;
            int w = ow * g.StrideW - g.PadW + kw * g.DilationW;
            if (h < 0 || h >= g.InH || w < 0 || w >= g.InW) continue;
            int c = (m / mpg) * cpg + ci;
            tap(OutIndex(g, n, m, oh, ow), InIndex(g, n, c, h, w), WIndex(g, m, ci, kh, kw));
        }
    }

    public static double[] Forward(float[] x, float[] w, float[]? bias, in Conv2dGeometry g)
    {
        var y = new double[g.OutputLength];
        Conv2dGeometry geo = g;
        if (bias is not null)
        {
            for (int i = 0; i < y.Length; i++)
            {
                y[i] = bias[i / (geo.OutH * geo.OutW) % geo.OutChannels];
            }
        }

        ForEachTap(g, (o, i, k) => y[o] += (double)x[i] * w[k]);
        return y;
    }

    public static double[] BackwardInput(float[] gy, float[] w, in Conv2dGeometry g)
    {
        var gx = new double[g.InputLength];
        ForEachTap(g, (o, i, k) => gx[i] += (double)gy[o] * w[k]);
        return gx;
    }

    public static double[] BackwardWeight(float[] x, float[] gy, in Conv2dGeometry g)
    {
        var gw = new double[g.WeightLength];
        ForEachTap(g, (o, i, k) => gw[k] += (double)gy[o] * x[i]);
        return gw;
    }

    public static double[] BackwardBias(float[] gy, in Conv2dGeometry g)
    {
        var gb = new double[g.OutChannels];
        for (int i = 0; i < gy.Length; i++)
        {
            gb[i / (g.OutH * g.OutW) % g.OutChannels] += gy[i];
        }

        return gb;
    }
}
