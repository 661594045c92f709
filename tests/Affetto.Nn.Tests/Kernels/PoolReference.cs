using Affetto.Nn.Kernels;

namespace Affetto.Nn.Tests.Kernels;

/// <summary>Direct-definition pooling loops (the oracle for the kernels).</summary>
internal static class PoolReference
{
    public static (double[] Y, int[] Index) Max(float[] x, in Pool2dGeometry g)
    {
        var y = new double[g.OutputLength];
        var idx = new int[g.OutputLength];
        int o = 0;
        for (int p = 0; p < g.Batch * g.Channels; p++)
        for (int oh = 0; oh < g.OutH; oh++)
        for (int ow = 0; ow < g.OutW; ow++, o++)
        {
            double best = double.NegativeInfinity;
            int bi = -1;
            for (int kh = 0; kh < g.KH; kh++)
            for (int kw = 0; kw < g.KW; kw++)
            {
                int h = oh * g.StrideH - g.PadH + kh * g.DilationH, w = ow * g.StrideW - g.PadW + kw * g.DilationW;
                if (h < 0 || h >= g.InH || w < 0 || w >= g.InW) continue;
                double v = x[(p * g.InH + h) * g.InW + w];
                if (bi < 0 || v > best)
                {
                    best = v;
                    bi = h * g.InW + w;
                }
            }

            y[o] = best;
            idx[o] = bi;
        }

        return (y, idx);
    }

    public static double[] MaxBackward(float[] gy, int[] idx, in Pool2dGeometry g)
    {
        var gx = new double[g.InputLength];
        int plane = g.OutH * g.OutW;
        for (int o = 0; o < gy.Length; o++)
        {
            gx[o / plane * g.InH * g.InW + idx[o]] += gy[o];
        }

        return gx;
    }

    /// <summary>Window of output (oh, ow) as [h0, h1) x [w0, w1) in padded coordinates, and its divisor.</summary>
    private static (int H0, int H1, int W0, int W1, int Div) Window(in Pool2dGeometry g, int oh, int ow, bool includePad)
    {
        int h0 = oh * g.StrideH - g.PadH, w0 = ow * g.StrideW - g.PadW;
        // The padded canvas spans [-pad, in + pad); ceil-mode windows may run past it and are cut there.
        int h1 = Math.Min(h0 + g.KH, g.InH + g.PadH), w1 = Math.Min(w0 + g.KW, g.InW + g.PadW);
        int div = includePad
            ? (h1 - h0) * (w1 - w0)
            : (Math.Min(h1, g.InH) - Math.Max(h0, 0)) * (Math.Min(w1, g.InW) - Math.Max(w0, 0));
        return (h0, h1, w0, w1, div);
    }

    public static double[] Avg(float[] x, in Pool2dGeometry g, bool includePad)
    {
        var y = new double[g.OutputLength];
        int o = 0;
        for (int p = 0; p < g.Batch * g.Channels; p++)
        for (int oh = 0; oh < g.OutH; oh++)
        for (int ow = 0; ow < g.OutW; ow++, o++)
        {
            var (h0, h1, w0, w1, div) = Window(g, oh, ow, includePad);
            double s = 0;
            for (int h = h0; h < h1; h++)
            for (int w = w0; w < w1; w++)
            {
                if (h >= 0 && h < g.InH && w >= 0 && w < g.InW) s += x[(p * g.InH + h) * g.InW + w];
            }

            y[o] = s / div;
        }

        return y;
    }

    public static double[] AvgBackward(float[] gy, in Pool2dGeometry g, bool includePad)
    {
        var gx = new double[g.InputLength];
        int o = 0;
        for (int p = 0; p < g.Batch * g.Channels; p++)
        for (int oh = 0; oh < g.OutH; oh++)
        for (int ow = 0; ow < g.OutW; ow++, o++)
        {
            var (h0, h1, w0, w1, div) = Window(g, oh, ow, includePad);
            for (int h = h0; h < h1; h++)
            for (int w = w0; w < w1; w++)
            {
                if (h >= 0 && h < g.InH && w >= 0 && w < g.InW) gx[(p * g.InH + h) * g.InW + w] += gy[o] / (double)div;
            }
        }

        return gx;
    }
}
