namespace Affetto.Nn.Kernels;

/// <summary>Pooling loops, one (n, c) plane per work item.</summary>
internal static unsafe class PoolImpl
{
    internal static void MaxForward(ReadOnlySpan<float> input, Span<float> output, Span<int> indices, Pool2dGeometry g)
    {
        int planes = g.Batch * g.Channels;
        int inPlane = g.InH * g.InW, outPlane = g.OutH * g.OutW;
        bool withIndices = !indices.IsEmpty;
        fixed (float* pin = input, pout = output)
        fixed (int* pidx = indices)
        {
            if (PoolFast.SupportsMax2x2(g))
            {
                PoolFast.Max2x2(pin, pout, withIndices ? pidx : null, g);
                return;
            }

            float* inPtr = pin, outPtr = pout;
            int* idxPtr = pidx;
            Parallelism.For(planes, Workers(planes, inPlane), plane =>
            {
                float* src = inPtr + (long)plane * inPlane;
                float* dst = outPtr + (long)plane * outPlane;
                int* idx = withIndices ? idxPtr + (long)plane * outPlane : null;
                for (int oh = 0; oh < g.OutH; oh++)
                {
                    int h0 = oh * g.StrideH - g.PadH;
                    for (int ow = 0; ow < g.OutW; ow++)
                    {
                        int w0 = ow * g.StrideW - g.PadW;
                        float best = float.NegativeInfinity;
                        int bestIndex = -1;
                        for (int kh = 0; kh < g.KH; kh++)
                        {
                            int h = h0 + kh * g.DilationH;
                            if ((uint)h >= (uint)g.InH) continue;
                            for (int kw = 0; kw < g.KW; kw++)
                            {
                                int w = w0 + kw * g.DilationW;
                                if ((uint)w >= (uint)g.InW) continue;
                                float v = src[h * g.InW + w];
                                if (bestIndex < 0 || v > best || float.IsNaN(v))
                                {
                                    best = v;
                                    bestIndex = h * g.InW + w;
                                }
                            }
                        }

                        dst[oh * g.OutW + ow] = best;
                        if (idx != null) idx[oh * g.OutW + ow] = bestIndex;
                    }
                }
            });
        }
    }

    internal static void MaxBackward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<int> indices, Span<float> gradInput,
        Pool2dGeometry g)
    {
        int planes = g.Batch * g.Channels;
        int inPlane = g.InH * g.InW, outPlane = g.OutH * g.OutW;
        if (PoolFast.SupportsMax2x2(g))
        {
            fixed (float* pgo = gradOutput, pgi = gradInput)
            fixed (int* pidx = indices)
            {
                long bad = PoolFast.Max2x2Backward(pgo, pidx, pgi, g);
                if (bad >= 0)
                {
                    throw new ArgumentException(
                        $"indices[{bad}] = {indices[(int)bad]} is not inside its 2 x 2 window of the {g.InH} x {g.InW} input plane.", nameof(indices));
                }
            }

            return;
        }

        gradInput.Clear();
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)inPlane)
            {
                throw new ArgumentException(
                    $"indices[{i}] = {indices[i]} is outside the {g.InH} x {g.InW} input plane.", nameof(indices));
            }
        }

        fixed (float* pgo = gradOutput, pgi = gradInput)
        fixed (int* pidx = indices)
        {
            float* goPtr = pgo, giPtr = pgi;
            int* idxPtr = pidx;
            Parallelism.For(planes, Workers(planes, inPlane), plane =>
            {
                float* go = goPtr + (long)plane * outPlane;
                float* gi = giPtr + (long)plane * inPlane;
                int* idx = idxPtr + (long)plane * outPlane;
                for (int o = 0; o < outPlane; o++)
                {
                    gi[idx[o]] += go[o];
                }
            });
        }
    }

    private static int Divisor(Pool2dGeometry g, int oh, int ow, bool countIncludePad)
    {
        int hs = oh * g.StrideH - g.PadH, ws = ow * g.StrideW - g.PadW;
        int he = Math.Min(hs + g.KH, g.InH + g.PadH), we = Math.Min(ws + g.KW, g.InW + g.PadW);
        if (countIncludePad)
        {
            return (he - hs) * (we - ws);
        }

        return (Math.Min(he, g.InH) - Math.Max(hs, 0)) * (Math.Min(we, g.InW) - Math.Max(ws, 0));
    }

    internal static void AvgForward(ReadOnlySpan<float> input, Span<float> output, Pool2dGeometry g, bool countIncludePad)
    {
        int planes = g.Batch * g.Channels;
        int inPlane = g.InH * g.InW, outPlane = g.OutH * g.OutW;
        fixed (float* pin = input, pout = output)
        {
            float* inPtr = pin, outPtr = pout;
            Parallelism.For(planes, Workers(planes, inPlane), plane =>
            {
                float* src = inPtr + (long)plane * inPlane;
                float* dst = outPtr + (long)plane * outPlane;
                for (int oh = 0; oh < g.OutH; oh++)
                {
                    int hs = oh * g.StrideH - g.PadH;
                    int h0 = Math.Max(hs, 0), h1 = Math.Min(hs + g.KH, g.InH);
                    for (int ow = 0; ow < g.OutW; ow++)
                    {
                        int ws = ow * g.StrideW - g.PadW;
                        int w0 = Math.Max(ws, 0), w1 = Math.Min(ws + g.KW, g.InW);
                        float sum = 0f;
                        for (int h = h0; h < h1; h++)
                        {
                            for (int w = w0; w < w1; w++)
                            {
                                sum += src[h * g.InW + w];
                            }
                        }

                        int div = Divisor(g, oh, ow, countIncludePad);
                        dst[oh * g.OutW + ow] = div > 0 ? sum / div : 0f;
                    }
                }
            });
        }
    }

    internal static void AvgBackward(ReadOnlySpan<float> gradOutput, Span<float> gradInput, Pool2dGeometry g,
        bool countIncludePad)
    {
        int planes = g.Batch * g.Channels;
        int inPlane = g.InH * g.InW, outPlane = g.OutH * g.OutW;
        gradInput.Clear();
        fixed (float* pgo = gradOutput, pgi = gradInput)
        {
            float* goPtr = pgo, giPtr = pgi;
            Parallelism.For(planes, Workers(planes, inPlane), plane =>
            {
                float* go = goPtr + (long)plane * outPlane;
                float* gi = giPtr + (long)plane * inPlane;
                for (int oh = 0; oh < g.OutH; oh++)
                {
                    int hs = oh * g.StrideH - g.PadH;
                    int h0 = Math.Max(hs, 0), h1 = Math.Min(hs + g.KH, g.InH);
                    for (int ow = 0; ow < g.OutW; ow++)
                    {
                        int ws = ow * g.StrideW - g.PadW;
                        int w0 = Math.Max(ws, 0), w1 = Math.Min(ws + g.KW, g.InW);
                        int div = Divisor(g, oh, ow, countIncludePad);
                        if (div <= 0) continue;
                        float v = go[oh * g.OutW + ow] / div;
                        for (int h = h0; h < h1; h++)
                        {
                            for (int w = w0; w < w1; w++)
                            {
                                gi[h * g.InW + w] += v;
                            }
                        }
                    }
                }
            });
        }
    }

    /// <summary>Splits only when there is enough work to pay for a thread hand-off.</summary>
    internal static int Workers(int items, long elementsPerItem) =>
        (long)items * elementsPerItem < 32_768 ? 1 : Parallelism.MaxThreads;
}
