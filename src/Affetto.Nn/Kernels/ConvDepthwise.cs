using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Affetto.Nn.Kernels;

/// <summary>
/// Direct depthwise convolution (groups == in channels, any channel multiplier, stride, padding, dilation).
/// Each (image, channel) plane is padded once into per-thread scratch so the tap loops need no bounds checks;
/// stride-1 rows are vectorised 16 outputs at a time with AVX-512, other cases run a scalar loop that is still
/// O(taps) per output (im2col + GEMM would waste 7/8 of every register tile on one-row matrices). The input gradient
/// of a stride-1 convolution runs through the same forward loops with the kernel turned by 180 degrees; the 3 x 3
/// weight gradient keeps its nine sums in registers over the whole batch.
/// </summary>
internal static unsafe class ConvDepthwise
{
    private const int V = 16;

    private static bool Vector(in Conv2dGeometry g) => SimdLevel.Current == 512 && Avx512F.IsSupported && g.StrideW == 1;

    private static readonly Vector512<int> s_even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);

    internal static void Forward(float* x, float* w, float* bias, float* y, in Conv2dGeometry g)
    {
        Conv2dGeometry geo = g;
        int mult = g.OutChannelsPerGroup, kk = g.KH * g.KW;
        int hp = g.InH + 2 * g.PadH, wp = g.InW + 2 * g.PadW, outPlane = g.OutH * g.OutW;
        nint px = (nint)x, pw = (nint)w, pb = (nint)bias, py = (nint)y;
        int planes = g.Batch * g.OutChannels;
        bool vec = Vector(g);
        bool vec2 = SimdLevel.Current == 512 && Avx512F.IsSupported && g.StrideW == 2;
        ForPlanes(planes, (long)g.InH * g.InW, (p0, p1) =>
        {
            float* pad = Scratch.Get(Scratch.ConvInput, (long)hp * wp + 64);
            int padded = -1;
            for (int p = p0; p < p1; p++)
            {
                int n = p / geo.OutChannels, co = p % geo.OutChannels, ci = co / mult;
                int src = n * geo.InChannels + ci;
                if (src != padded)
                {
                    ConvDirect.PadPlanes((float*)px + (long)src * geo.InH * geo.InW, 1, geo.InH, geo.InW, geo.PadH, geo.PadW, pad);
                    padded = src;
                }

                float* wc = (float*)pw + (long)co * kk;
                float b = pb == 0 ? 0f : ((float*)pb)[co];
                float* dst = (float*)py + (long)p * outPlane;
                Vector512<float> w0 = default, w1 = default, w2 = default, w3 = default, w4 = default, w5 = default, w6 = default, w7 = default, w8 = default;
                if (vec && kk == 9)
                {
                    w0 = Vector512.Create(wc[0]); w1 = Vector512.Create(wc[1]); w2 = Vector512.Create(wc[2]);
                    w3 = Vector512.Create(wc[3]); w4 = Vector512.Create(wc[4]); w5 = Vector512.Create(wc[5]);
                    w6 = Vector512.Create(wc[6]); w7 = Vector512.Create(wc[7]); w8 = Vector512.Create(wc[8]);
                }

                for (int oh = 0; oh < geo.OutH; oh++)
                {
                    float* rowBase = pad + (long)oh * geo.StrideH * wp;
                    float* d = dst + (long)oh * geo.OutW;
                    int ow = 0;
                    if (vec)
                    {
                        // Full vectors, then one masked vector for the row tail (reads past the row stay inside
                        // the padded plane or its slack; only valid lanes are stored).
                        for (; ow < geo.OutW; ow += V)
                        {
                            Vector512<float> acc;
                            if (geo.KH == 3 && geo.KW == 3)
                            {
                                float* r = rowBase + ow;
                                long dy = (long)geo.DilationH * wp, dx = geo.DilationW;
                                acc = Vector512.FusedMultiplyAdd(w0, Vector512.Load(r), Vector512.Create(b));
                                acc = Vector512.FusedMultiplyAdd(w1, Vector512.Load(r + dx), acc);
                                acc = Vector512.FusedMultiplyAdd(w2, Vector512.Load(r + 2 * dx), acc);
                                r += dy;
                                acc = Vector512.FusedMultiplyAdd(w3, Vector512.Load(r), acc);
                                acc = Vector512.FusedMultiplyAdd(w4, Vector512.Load(r + dx), acc);
                                acc = Vector512.FusedMultiplyAdd(w5, Vector512.Load(r + 2 * dx), acc);
                                r += dy;
                                acc = Vector512.FusedMultiplyAdd(w6, Vector512.Load(r), acc);
                                acc = Vector512.FusedMultiplyAdd(w7, Vector512.Load(r + dx), acc);
                                acc = Vector512.FusedMultiplyAdd(w8, Vector512.Load(r + 2 * dx), acc);
                            }
                            else
                            {
                                acc = Vector512.Create(b);
                                for (int a = 0; a < geo.KH; a++)
                                {
                                    float* r = rowBase + (long)a * geo.DilationH * wp + ow;
                                    for (int c = 0; c < geo.KW; c++)
                                    {
                                        acc = Vector512.FusedMultiplyAdd(Vector512.Create(wc[a * geo.KW + c]), Vector512.Load(r + c * geo.DilationW), acc);
                                    }
                                }
                            }

                            if (ow + V <= geo.OutW)
                            {
                                acc.Store(d + ow);
                            }
                            else
                            {
                                Avx512F.MaskStore(d + ow, TailMask.First(geo.OutW - ow), acc);
                            }
                        }
                    }

                    if (vec2)
                    {
                        // Stride 2: two loads per tap, even lanes gathered with one two-source permute.
                        for (; ow < geo.OutW; ow += V)
                        {
                            Vector512<float> acc = Vector512.Create(b);
                            for (int a = 0; a < geo.KH; a++)
                            {
                                float* r = rowBase + (long)a * geo.DilationH * wp + 2L * ow;
                                for (int c = 0; c < geo.KW; c++)
                                {
                                    float* q = r + c * geo.DilationW;
                                    Vector512<float> even = Avx512F.PermuteVar16x32x2(Vector512.Load(q), s_even, Vector512.Load(q + V));
                                    acc = Vector512.FusedMultiplyAdd(Vector512.Create(wc[a * geo.KW + c]), even, acc);
                                }
                            }

                            if (ow + V <= geo.OutW)
                            {
                                acc.Store(d + ow);
                            }
                            else
                            {
                                Avx512F.MaskStore(d + ow, TailMask.First(geo.OutW - ow), acc);
                            }
                        }
                    }

                    for (; ow < geo.OutW; ow++)
                    {
                        float s = b;
                        float* r0 = rowBase + (long)ow * geo.StrideW;
                        for (int a = 0; a < geo.KH; a++)
                        {
                            float* r = r0 + (long)a * geo.DilationH * wp;
                            for (int c = 0; c < geo.KW; c++)
                            {
                                s += wc[a * geo.KW + c] * r[c * geo.DilationW];
                            }
                        }

                        d[ow] = s;
                    }
                }
            }
        });
    }

    internal static void BackwardInput(float* gy, float* w, float* gx, in Conv2dGeometry g)
    {
        if (AsFlippedForward(g) is { } flipped)
        {
            // Stride 1, one output per channel: the input gradient is the forward convolution of the output gradient
            // with the kernel turned by 180 degrees and padding (k - 1) d - p, so it runs on the gather loops of
            // Forward instead of scattering overlapping vectors into the plane (store-forwarding stalls on every tap).
            int taps = g.KH * g.KW;
            float[] turned = System.Buffers.ArrayPool<float>.Shared.Rent(g.OutChannels * taps);
            for (int c = 0; c < g.OutChannels; c++)
            {
                for (int t = 0; t < taps; t++) turned[c * taps + t] = w[c * taps + taps - 1 - t];
            }

            fixed (float* pt = turned)
            {
                Forward(gy, pt, null, gx, flipped);
            }

            System.Buffers.ArrayPool<float>.Shared.Return(turned);
            return;
        }

        Conv2dGeometry geo = g;
        int mult = g.OutChannelsPerGroup, kk = g.KH * g.KW;
        int hp = g.InH + 2 * g.PadH, wp = g.InW + 2 * g.PadW, outPlane = g.OutH * g.OutW;
        nint pgy = (nint)gy, pw = (nint)w, pgx = (nint)gx;
        int planes = g.Batch * g.InChannels;
        bool vec = Vector(g);
        ForPlanes(planes, (long)g.InH * g.InW, (p0, p1) =>
        {
            // Scatter-add into a zeroed padded plane, then crop: no bounds checks in the tap loops.
            float* acc = Scratch.Get(Scratch.ConvAux, (long)hp * wp + 64);
            for (int p = p0; p < p1; p++)
            {
                int n = p / geo.InChannels, ci = p % geo.InChannels;
                new Span<float>(acc, hp * wp + 64).Clear();
                for (int m = 0; m < mult; m++)
                {
                    int co = ci * mult + m;
                    float* wc = (float*)pw + (long)co * kk;
                    float* src = (float*)pgy + ((long)n * geo.OutChannels + co) * outPlane;
                    for (int oh = 0; oh < geo.OutH; oh++)
                    {
                        float* rowBase = acc + (long)oh * geo.StrideH * wp;
                        float* s = src + (long)oh * geo.OutW;
                        int ow = 0;
                        if (vec)
                        {
                            for (; ow < geo.OutW; ow += V)
                            {
                                // The tail vector loads zeros past the row end, so the read-modify-writes beyond it add 0.
                                Vector512<float> gv = ow + V <= geo.OutW ? Vector512.Load(s + ow)
                                    : Avx512F.MaskLoad(s + ow, TailMask.First(geo.OutW - ow), Vector512<float>.Zero);
                                for (int a = 0; a < geo.KH; a++)
                                {
                                    float* r = rowBase + (long)a * geo.DilationH * wp + ow;
                                    for (int c = 0; c < geo.KW; c++)
                                    {
                                        float* t = r + c * geo.DilationW;
                                        Vector512.FusedMultiplyAdd(Vector512.Create(wc[a * geo.KW + c]), gv, Vector512.Load(t)).Store(t);
                                    }
                                }
                            }
                        }

                        for (; ow < geo.OutW; ow++)
                        {
                            float gvs = s[ow];
                            float* r0 = rowBase + (long)ow * geo.StrideW;
                            for (int a = 0; a < geo.KH; a++)
                            {
                                float* r = r0 + (long)a * geo.DilationH * wp;
                                for (int c = 0; c < geo.KW; c++)
                                {
                                    r[c * geo.DilationW] += wc[a * geo.KW + c] * gvs;
                                }
                            }
                        }
                    }
                }

                float* dst = (float*)pgx + (long)p * geo.InH * geo.InW;
                for (int h = 0; h < geo.InH; h++)
                {
                    Buffer.MemoryCopy(acc + (long)(h + geo.PadH) * wp + geo.PadW, dst + (long)h * geo.InW, geo.InW * 4L, geo.InW * 4L);
                }
            }
        });
    }

    internal static void BackwardWeight(float* x, float* gy, float* gw, float* gb, in Conv2dGeometry g)
    {
        Conv2dGeometry geo = g;
        int mult = g.OutChannelsPerGroup, kk = g.KH * g.KW;
        int hp = g.InH + 2 * g.PadH, wp = g.InW + 2 * g.PadW, outPlane = g.OutH * g.OutW;
        nint px = (nint)x, pgy = (nint)gy, pgw = (nint)gw, pgb = (nint)gb;
        bool vec = Vector(g);
        bool vec3 = vec && g.KH == 3 && g.KW == 3;
        // Work split over output channels: each worker owns its weights, so no reduction across threads.
        ForPlanes(g.OutChannels, (long)g.Batch * g.InH * g.InW, (c0, c1) =>
        {
            float* pad = Scratch.Get(Scratch.ConvInput, (long)hp * wp + 64);
            for (int co = c0; co < c1; co++)
            {
                int ci = co / mult;
                float* wc = (float*)pgw + (long)co * kk;
                if (vec3)
                {
                    double sum = WeightGradient3x3(geo, (float*)px, (float*)pgy, co, pad, wc, pgb != 0);
                    if (pgb != 0) ((float*)pgb)[co] = (float)sum;
                    continue;
                }

                for (int t = 0; t < kk; t++) wc[t] = 0f;
                double biasSum = 0;
                for (int n = 0; n < geo.Batch; n++)
                {
                    ConvDirect.PadPlanes((float*)px + ((long)n * geo.InChannels + ci) * geo.InH * geo.InW, 1, geo.InH, geo.InW, geo.PadH, geo.PadW, pad);
                    float* src = (float*)pgy + ((long)n * geo.OutChannels + co) * outPlane;
                    if (pgb != 0)
                    {
                        biasSum += System.Numerics.Tensors.TensorPrimitives.Sum(new ReadOnlySpan<float>(src, outPlane));
                    }

                    for (int a = 0; a < geo.KH; a++)
                    {
                        for (int c = 0; c < geo.KW; c++)
                        {
                            float sum = 0f;
                            Vector512<float> acc = Vector512<float>.Zero;
                            for (int oh = 0; oh < geo.OutH; oh++)
                            {
                                float* r = pad + ((long)oh * geo.StrideH + (long)a * geo.DilationH) * wp + (long)c * geo.DilationW;
                                float* s = src + (long)oh * geo.OutW;
                                int ow = 0;
                                if (vec)
                                {
                                    for (; ow + V <= geo.OutW; ow += V)
                                    {
                                        acc = Vector512.FusedMultiplyAdd(Vector512.Load(s + ow), Vector512.Load(r + ow), acc);
                                    }
                                }

                                for (; ow < geo.OutW; ow++)
                                {
                                    sum += s[ow] * r[(long)ow * geo.StrideW];
                                }
                            }

                            wc[a * geo.KW + c] += sum + (vec ? Vector512.Sum(acc) : 0f);
                        }
                    }
                }

                if (pgb != 0)
                {
                    ((float*)pgb)[co] = (float)biasSum;
                }
            }
        });
    }

    /// <summary>
    /// Weight gradient of one 3 x 3 channel (stride 1 along rows): one pass over the batch's rows with the nine taps'
    /// sums in registers, 16 outputs per step and a masked step for the row tail, so planes narrower than a vector
    /// (EfficientNetV2's 4 x 11 and 2 x 6 stages) are vectorised too. Returns the output gradient's sum (the bias
    /// gradient) when asked.
    /// </summary>
    private static double WeightGradient3x3(in Conv2dGeometry g, float* x, float* gy, int co, float* pad, float* wc, bool biasSum)
    {
        int wp = g.InW + 2 * g.PadW, outPlane = g.OutH * g.OutW;
        int ci = co / g.OutChannelsPerGroup;
        long dy = (long)g.DilationH * wp, dx = g.DilationW;
        var t0 = Vector512<float>.Zero; var t1 = t0; var t2 = t0; var t3 = t0; var t4 = t0; var t5 = t0; var t6 = t0; var t7 = t0; var t8 = t0;
        double bias = 0;
        for (int n = 0; n < g.Batch; n++)
        {
            ConvDirect.PadPlanes(x + ((long)n * g.InChannels + ci) * g.InH * g.InW, 1, g.InH, g.InW, g.PadH, g.PadW, pad);
            float* src = gy + ((long)n * g.OutChannels + co) * outPlane;
            if (biasSum) bias += System.Numerics.Tensors.TensorPrimitives.Sum(new ReadOnlySpan<float>(src, outPlane));
            for (int oh = 0; oh < g.OutH; oh++)
            {
                float* r0 = pad + (long)oh * g.StrideH * wp, r1 = r0 + dy, r2 = r1 + dy;
                float* s = src + (long)oh * g.OutW;
                for (int ow = 0; ow < g.OutW; ow += V)
                {
                    // The tail step loads zeros past the row on both sides (a plain load could read the scratch
                    // slack, and 0 x NaN would not be 0).
                    var m = ow + V <= g.OutW ? Vector512<float>.AllBitsSet : TailMask.First(g.OutW - ow);
                    var z = Vector512<float>.Zero;
                    var gv = Avx512F.MaskLoad(s + ow, m, z);
                    t0 = Vector512.FusedMultiplyAdd(gv, Avx512F.MaskLoad(r0 + ow, m, z), t0);
                    t1 = Vector512.FusedMultiplyAdd(gv, Avx512F.MaskLoad(r0 + ow + dx, m, z), t1);
                    t2 = Vector512.FusedMultiplyAdd(gv, Avx512F.MaskLoad(r0 + ow + 2 * dx, m, z), t2);
                    t3 = Vector512.FusedMultiplyAdd(gv, Avx512F.MaskLoad(r1 + ow, m, z), t3);
                    t4 = Vector512.FusedMultiplyAdd(gv, Avx512F.MaskLoad(r1 + ow + dx, m, z), t4);
                    t5 = Vector512.FusedMultiplyAdd(gv, Avx512F.MaskLoad(r1 + ow + 2 * dx, m, z), t5);
                    t6 = Vector512.FusedMultiplyAdd(gv, Avx512F.MaskLoad(r2 + ow, m, z), t6);
                    t7 = Vector512.FusedMultiplyAdd(gv, Avx512F.MaskLoad(r2 + ow + dx, m, z), t7);
                    t8 = Vector512.FusedMultiplyAdd(gv, Avx512F.MaskLoad(r2 + ow + 2 * dx, m, z), t8);
                }
            }
        }

        wc[0] = Vector512.Sum(t0); wc[1] = Vector512.Sum(t1); wc[2] = Vector512.Sum(t2);
        wc[3] = Vector512.Sum(t3); wc[4] = Vector512.Sum(t4); wc[5] = Vector512.Sum(t5);
        wc[6] = Vector512.Sum(t6); wc[7] = Vector512.Sum(t7); wc[8] = Vector512.Sum(t8);
        return bias;
    }

    /// <summary>
    /// The forward geometry whose output is <paramref name="g"/>'s input gradient (output gradient as input, same
    /// channels, padding (k - 1) d - p), or null when that rewrite does not hold (stride above 1, a channel multiplier
    /// above 1, or padding wider than the dilated kernel's reach).
    /// </summary>
    private static Conv2dGeometry? AsFlippedForward(in Conv2dGeometry g)
    {
        int padH = (g.KH - 1) * g.DilationH - g.PadH, padW = (g.KW - 1) * g.DilationW - g.PadW;
        if (g.StrideH != 1 || g.StrideW != 1 || g.OutChannelsPerGroup != 1 || padH < 0 || padW < 0) return null;
        return new Conv2dGeometry(g.Batch, g.OutChannels, g.OutChannels, g.OutH, g.OutW, g.KH, g.KW,
            padH: padH, padW: padW, dilationH: g.DilationH, dilationW: g.DilationW, groups: g.OutChannels);
    }

    /// <summary>Splits [0, count) into one contiguous range per worker when there is enough work.</summary>
    private static void ForPlanes(int count, long elementsPerItem, Action<int, int> body)
    {
        int workers = Math.Min(PoolImpl.Workers(count, elementsPerItem), count);
        if (workers <= 1)
        {
            body(0, count);
            return;
        }

        int parts = Parallelism.Parts(workers, count);
        Parallelism.For(parts, workers, part =>
        {
            int s = (int)((long)count * part / parts), e = (int)((long)count * (part + 1) / parts);
            if (e > s) body(s, e);
        });
    }
}
