using System.Buffers;

namespace Affetto.Nn.Kernels;

/// <summary>Convolution engine: im2col + GEMM per (image, group).</summary>
internal static unsafe class ConvImpl
{
    internal static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> output, Conv2dGeometry g)
    {
        int cpg = g.InChannelsPerGroup, mpg = g.OutChannelsPerGroup;
        int kk = cpg * g.KH * g.KW, nn = g.OutH * g.OutW;
        int inImage = g.InChannels * g.InH * g.InW, outImage = g.OutChannels * nn;
        bool hasBias = !bias.IsEmpty;
        fixed (float* pin = input, pw = weight, pb = bias, pout = output)
        {
            if (g.IsDepthwise)
            {
                ConvDepthwise.Forward(pin, pw, hasBias ? pb : null, pout, g);
                return;
            }

            if (ConvPointwise.Applies(g))
            {
                ConvPointwise.Forward(pin, pw, hasBias ? pb : null, pout, g);
                return;
            }

            if (ConvDirect.Supports(g))
            {
                ConvDirect.Forward(pin, pw, hasBias ? pb : null, pout, g);
                return;
            }

            float* inPtr = pin, wPtr = pw, bPtr = pb, outPtr = pout;
            Parallelism.For(g.Batch, Parallelism.MaxThreads, n =>
            {
                float[] col = ArrayPool<float>.Shared.Rent(kk * nn);
                try
                {
                    for (int gr = 0; gr < g.Groups; gr++)
                    {
                        var src = new ReadOnlySpan<float>(inPtr + (long)n * inImage + (long)gr * cpg * g.InH * g.InW, cpg * g.InH * g.InW);
                        Im2Col(src, cpg, g, col);
                        var dst = new Span<float>(outPtr + (long)n * outImage + (long)gr * mpg * nn, mpg * nn);
                        var w = new ReadOnlySpan<float>(wPtr + (long)gr * mpg * kk, mpg * kk);
                        Gemm.Sgemm(false, false, mpg, nn, kk, 1f, w, kk, col, nn, 0f, dst, nn);
                        if (hasBias)
                        {
                            for (int m = 0; m < mpg; m++)
                            {
                                float b = bPtr[gr * mpg + m];
                                Span<float> row = dst.Slice(m * nn, nn);
                                for (int j = 0; j < nn; j++) row[j] += b;
                            }
                        }
                    }
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(col);
                }
            });
        }
    }

    internal static void BackwardInput(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> weight, Span<float> gradInput,
        Conv2dGeometry g)
    {
        int cpg = g.InChannelsPerGroup, mpg = g.OutChannelsPerGroup;
        int kk = cpg * g.KH * g.KW, nn = g.OutH * g.OutW;
        int inImage = g.InChannels * g.InH * g.InW, outImage = g.OutChannels * nn;
        fixed (float* pgo = gradOutput, pw = weight, pgi = gradInput)
        {
            if (g.IsDepthwise)
            {
                ConvDepthwise.BackwardInput(pgo, pw, pgi, g);
                return;
            }

            if (ConvPointwise.Applies(g))
            {
                ConvPointwise.BackwardInput(pgo, pw, pgi, g);
                return;
            }

            if (ConvDirect.SupportsBackwardInput(g))
            {
                ConvDirect.BackwardInput(pgo, pw, pgi, g);
                return;
            }

            float* goPtr = pgo, wPtr = pw, giPtr = pgi;
            Parallelism.For(g.Batch, Parallelism.MaxThreads, n =>
            {
                float[] col = ArrayPool<float>.Shared.Rent(kk * nn);
                try
                {
                    for (int gr = 0; gr < g.Groups; gr++)
                    {
                        var go = new ReadOnlySpan<float>(goPtr + (long)n * outImage + (long)gr * mpg * nn, mpg * nn);
                        var w = new ReadOnlySpan<float>(wPtr + (long)gr * mpg * kk, mpg * kk);
                        Gemm.Sgemm(true, false, kk, nn, mpg, 1f, w, kk, go, nn, 0f, col, nn);
                        var dst = new Span<float>(giPtr + (long)n * inImage + (long)gr * cpg * g.InH * g.InW, cpg * g.InH * g.InW);
                        Col2Im(col, cpg, g, dst);
                    }
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(col);
                }
            });
        }
    }

    internal static void BackwardWeight(ReadOnlySpan<float> input, ReadOnlySpan<float> gradOutput, Span<float> gradWeight,
        Span<float> gradBias, Conv2dGeometry g)
    {
        int cpg = g.InChannelsPerGroup, mpg = g.OutChannelsPerGroup;
        int kk = cpg * g.KH * g.KW, nn = g.OutH * g.OutW;
        int inImage = g.InChannels * g.InH * g.InW, outImage = g.OutChannels * nn;
        if (ConvPointwise.Applies(g))
        {
            fixed (float* px = input, pgy = gradOutput, pgw = gradWeight)
                ConvPointwise.BackwardWeight(px, pgy, pgw, g);
            BiasGradient(gradOutput, gradBias, g);
            return;
        }

        if (g.IsDepthwise || ConvDirect.Supports(g))
        {
            fixed (float* px = input, pgy = gradOutput, pgw = gradWeight, pgb = gradBias)
            {
                if (g.IsDepthwise)
                {
                    ConvDepthwise.BackwardWeight(px, pgy, pgw, gradBias.IsEmpty ? null : pgb, g);
                }
                else
                {
                    ConvDirect.BackwardWeight(px, pgy, pgw, gradBias.IsEmpty ? null : pgb, g);
                }
            }

            return;
        }

        // Images are split over the workers; each accumulates into its own partial gradient, summed at the end.
        int workers = Math.Min(Parallelism.EffectiveThreads, g.Batch);
        int wLen = g.WeightLength;
        float[] partial = ArrayPool<float>.Shared.Rent(workers * wLen);
        try
        {
            fixed (float* px = input, pgy = gradOutput, pp = partial)
            {
                float* xPtr = px, gyPtr = pgy, pPtr = pp;
                Parallelism.For(workers, workers, part =>
                {
                    int n0 = (int)((long)g.Batch * part / workers), n1 = (int)((long)g.Batch * (part + 1) / workers);
                    var acc = new Span<float>(pPtr + (long)part * wLen, wLen);
                    acc.Clear();
                    float[] col = ArrayPool<float>.Shared.Rent(kk * nn);
                    try
                    {
                        for (int n = n0; n < n1; n++)
                        {
                            for (int gr = 0; gr < g.Groups; gr++)
                            {
                                Im2Col(new ReadOnlySpan<float>(xPtr + (long)n * inImage + (long)gr * cpg * g.InH * g.InW, cpg * g.InH * g.InW), cpg, g, col);
                                var go = new ReadOnlySpan<float>(gyPtr + (long)n * outImage + (long)gr * mpg * nn, mpg * nn);
                                Gemm.Sgemm(false, true, mpg, kk, nn, 1f, go, nn, col, nn, 1f, acc.Slice(gr * mpg * kk, mpg * kk), kk);
                            }
                        }
                    }
                    finally
                    {
                        ArrayPool<float>.Shared.Return(col);
                    }
                });
            }

            partial.AsSpan(0, wLen).CopyTo(gradWeight);
            for (int p = 1; p < workers; p++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(gradWeight, partial.AsSpan(p * wLen, wLen), gradWeight);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partial);
        }

        BiasGradient(gradOutput, gradBias, g);
    }

    /// <summary>gradBias[m] = the sum of gradOutput over images and positions (nothing when gradBias is empty).</summary>
    private static void BiasGradient(ReadOnlySpan<float> gradOutput, Span<float> gradBias, in Conv2dGeometry g)
    {
        if (gradBias.IsEmpty)
            return;
        int nn = g.OutH * g.OutW, outImage = g.OutChannels * nn;
        gradBias.Clear();
        for (int n = 0; n < g.Batch; n++)
        {
            for (int m = 0; m < g.OutChannels; m++)
            {
                double s = 0;
                ReadOnlySpan<float> row = gradOutput.Slice(n * outImage + m * nn, nn);
                for (int j = 0; j < nn; j++) s += row[j];
                gradBias[m] += (float)s;
            }
        }
    }

    /// <summary>col[(c, kh, kw), (oh, ow)] = padded input[c, oh*s + kh*d - p, ow*s + kw*d - p].</summary>
    internal static void Im2Col(ReadOnlySpan<float> src, int channels, in Conv2dGeometry g, Span<float> col)
    {
        int nn = g.OutH * g.OutW;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> plane = src.Slice(c * g.InH * g.InW, g.InH * g.InW);
            for (int kh = 0; kh < g.KH; kh++)
            {
                for (int kw = 0; kw < g.KW; kw++, row++)
                {
                    Span<float> dst = col.Slice(row * nn, nn);
                    for (int oh = 0; oh < g.OutH; oh++)
                    {
                        int h = oh * g.StrideH + kh * g.DilationH - g.PadH;
                        Span<float> d = dst.Slice(oh * g.OutW, g.OutW);
                        if ((uint)h >= (uint)g.InH)
                        {
                            d.Clear();
                            continue;
                        }

                        for (int ow = 0; ow < g.OutW; ow++)
                        {
                            int w = ow * g.StrideW + kw * g.DilationW - g.PadW;
                            d[ow] = (uint)w < (uint)g.InW ? plane[h * g.InW + w] : 0f;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Adjoint of <see cref="Im2Col"/>: dst is overwritten with the scatter-sum of col.</summary>
    internal static void Col2Im(ReadOnlySpan<float> col, int channels, in Conv2dGeometry g, Span<float> dst)
    {
        dst.Clear();
        int nn = g.OutH * g.OutW;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            Span<float> plane = dst.Slice(c * g.InH * g.InW, g.InH * g.InW);
            for (int kh = 0; kh < g.KH; kh++)
            {
                for (int kw = 0; kw < g.KW; kw++, row++)
                {
                    ReadOnlySpan<float> srcRow = col.Slice(row * nn, nn);
                    for (int oh = 0; oh < g.OutH; oh++)
                    {
                        int h = oh * g.StrideH + kh * g.DilationH - g.PadH;
                        if ((uint)h >= (uint)g.InH) continue;
                        for (int ow = 0; ow < g.OutW; ow++)
                        {
                            int w = ow * g.StrideW + kw * g.DilationW - g.PadW;
                            if ((uint)w < (uint)g.InW) plane[h * g.InW + w] += srcRow[oh * g.OutW + ow];
                        }
                    }
                }
            }
        }
    }
}
