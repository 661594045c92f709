using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Affetto.Nn.Kernels;

/// <summary>AVX-512 max pooling for the common 2x2 / stride 2 / no padding window (16 outputs per step).</summary>
internal static unsafe class PoolFast
{
    internal static bool SupportsMax2x2(in Pool2dGeometry g) =>
        SimdLevel.Current == 512 && Avx512F.IsSupported && g.KH == 2 && g.KW == 2 && g.StrideH == 2 && g.StrideW == 2 &&
        g.PadH == 0 && g.PadW == 0 && g.DilationH == 1 && g.DilationW == 1 && g.OutH == g.InH / 2 && g.OutW == g.InW / 2;

    internal static void Max2x2(float* input, float* output, int* indices, in Pool2dGeometry g)
    {
        int planes = g.Batch * g.Channels;
        int inW = g.InW, inPlane = g.InH * g.InW, outH = g.OutH, outW = g.OutW, outPlane = outH * outW;
        nint pin = (nint)input, pout = (nint)output, pidx = (nint)indices;
        int workers = PoolImpl.Workers(planes, inPlane);
        workers = Math.Min(workers, planes);
        int parts = Parallelism.Parts(workers, planes);
        Parallelism.For(parts, workers, part =>
        {
            int p0 = (int)((long)planes * part / parts), p1 = (int)((long)planes * (part + 1) / parts);
            Vector512<int> evenIdx = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            Vector512<int> oddIdx = evenIdx + Vector512<int>.One;
            Vector512<int> lane2 = evenIdx;
            for (int p = p0; p < p1; p++)
            {
                float* src = (float*)pin + (long)p * inPlane;
                float* dst = (float*)pout + (long)p * outPlane;
                int* idx = pidx == 0 ? null : (int*)pidx + (long)p * outPlane;
                for (int oh = 0; oh < outH; oh++)
                {
                    float* r0 = src + (long)(2 * oh) * inW, r1 = r0 + inW;
                    int rowBase = 2 * oh * inW;
                    int ow = 0;
                    for (; ow + 16 <= outW; ow += 16)
                    {
                        Vector512<float> a0 = Vector512.Load(r0 + 2 * ow), a1 = Vector512.Load(r0 + 2 * ow + 16);
                        Vector512<float> b0 = Vector512.Load(r1 + 2 * ow), b1 = Vector512.Load(r1 + 2 * ow + 16);
                        Vector512<float> e0 = Avx512F.PermuteVar16x32x2(a0, evenIdx, a1), o0 = Avx512F.PermuteVar16x32x2(a0, oddIdx, a1);
                        Vector512<float> e1 = Avx512F.PermuteVar16x32x2(b0, evenIdx, b1), o1 = Avx512F.PermuteVar16x32x2(b0, oddIdx, b1);
                        // PyTorch's scan order (top-left, top-right, bottom-left, bottom-right): strictly greater or NaN wins.
                        Vector512<float> m = e0;
                        Vector512<int> k = Vector512<int>.Zero;
                        Vector512<float> take = Vector512.GreaterThan(o0, m) | ~Vector512.Equals(o0, o0);
                        m = Vector512.ConditionalSelect(take, o0, m);
                        k = Vector512.ConditionalSelect(take.AsInt32(), Vector512<int>.One, k);
                        take = Vector512.GreaterThan(e1, m) | ~Vector512.Equals(e1, e1);
                        m = Vector512.ConditionalSelect(take, e1, m);
                        k = Vector512.ConditionalSelect(take.AsInt32(), Vector512.Create(inW), k);
                        take = Vector512.GreaterThan(o1, m) | ~Vector512.Equals(o1, o1);
                        m = Vector512.ConditionalSelect(take, o1, m);
                        k = Vector512.ConditionalSelect(take.AsInt32(), Vector512.Create(inW + 1), k);
                        m.Store(dst + oh * outW + ow);
                        if (idx != null)
                        {
                            (k + lane2 + Vector512.Create(rowBase + 2 * ow)).Store(idx + oh * outW + ow);
                        }
                    }

                    for (; ow < outW; ow++)
                    {
                        int w = 2 * ow;
                        float best = r0[w];
                        int bi = rowBase + w;
                        float v = r0[w + 1];
                        if (v > best || float.IsNaN(v)) { best = v; bi = rowBase + w + 1; }
                        v = r1[w];
                        if (v > best || float.IsNaN(v)) { best = v; bi = rowBase + inW + w; }
                        v = r1[w + 1];
                        if (v > best || float.IsNaN(v)) { best = v; bi = rowBase + inW + w + 1; }
                        dst[oh * outW + ow] = best;
                        if (idx != null) idx[oh * outW + ow] = bi;
                    }
                }
            }
        });
    }

    /// <summary>
    /// Backward of the non-overlapping 2x2 / stride 2 max pool: every input element belongs to exactly one window
    /// (or to none: the dropped last row/column of odd sizes), so gradInput is written once, without a clearing pass
    /// or scatter. Returns the first flat position whose index is not inside its window, or -1.
    /// </summary>
    internal static long Max2x2Backward(float* gradOutput, int* indices, float* gradInput, in Pool2dGeometry g)
    {
        int planes = g.Batch * g.Channels;
        int inW = g.InW, inH = g.InH, inPlane = inH * inW, outH = g.OutH, outW = g.OutW, outPlane = outH * outW;
        nint pgo = (nint)gradOutput, pidx = (nint)indices, pgi = (nint)gradInput;
        int workers = Math.Min(PoolImpl.Workers(planes, inPlane), planes);
        int parts = Parallelism.Parts(workers, planes);
        long[] bad = new long[parts];
        Parallelism.For(parts, workers, part =>
        {
            bad[part] = -1;
            int p0 = (int)((long)planes * part / parts), p1 = (int)((long)planes * (part + 1) / parts);
            Vector512<int> lo = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
            Vector512<int> hi = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
            Vector512<int> lane2 = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            for (int p = p0; p < p1; p++)
            {
                float* go = (float*)pgo + (long)p * outPlane;
                int* idx = (int*)pidx + (long)p * outPlane;
                float* gi = (float*)pgi + (long)p * inPlane;
                for (int oh = 0; oh < outH; oh++)
                {
                    float* r0 = gi + (long)(2 * oh) * inW, r1 = r0 + inW;
                    int rowBase = 2 * oh * inW;
                    int ow = 0;
                    for (; ow + 16 <= outW; ow += 16)
                    {
                        Vector512<float> d = Vector512.Load(go + oh * outW + ow);
                        Vector512<int> local = Vector512.Load(idx + oh * outW + ow) - lane2 - Vector512.Create(rowBase + 2 * ow);
                        Vector512<int> tl = Vector512.Equals(local, Vector512<int>.Zero), tr = Vector512.Equals(local, Vector512<int>.One);
                        Vector512<int> bl = Vector512.Equals(local, Vector512.Create(inW)), br = Vector512.Equals(local, Vector512.Create(inW + 1));
                        if ((~(tl | tr | bl | br)) != Vector512<int>.Zero)
                        {
                            for (int j = 0; j < 16; j++)
                            {
                                int l = idx[oh * outW + ow + j] - rowBase - 2 * (ow + j);
                                if (l != 0 && l != 1 && l != inW && l != inW + 1)
                                {
                                    bad[part] = (long)p * outPlane + oh * outW + ow + j;
                                    return;
                                }
                            }
                        }

                        Vector512<float> a = d & tl.AsSingle(), b = d & tr.AsSingle();
                        Vector512<float> c = d & bl.AsSingle(), e = d & br.AsSingle();
                        Avx512F.PermuteVar16x32x2(a, lo, b).Store(r0 + 2 * ow);
                        Avx512F.PermuteVar16x32x2(a, hi, b).Store(r0 + 2 * ow + 16);
                        Avx512F.PermuteVar16x32x2(c, lo, e).Store(r1 + 2 * ow);
                        Avx512F.PermuteVar16x32x2(c, hi, e).Store(r1 + 2 * ow + 16);
                    }

                    for (; ow < outW; ow++)
                    {
                        int w = 2 * ow;
                        int l = idx[oh * outW + ow] - rowBase - w;
                        if (l != 0 && l != 1 && l != inW && l != inW + 1)
                        {
                            bad[part] = (long)p * outPlane + oh * outW + ow;
                            return;
                        }

                        float d = go[oh * outW + ow];
                        r0[w] = l == 0 ? d : 0f;
                        r0[w + 1] = l == 1 ? d : 0f;
                        r1[w] = l == inW ? d : 0f;
                        r1[w + 1] = l == inW + 1 ? d : 0f;
                    }

                    // Odd width: the last input column belongs to no window.
                    if (inW > 2 * outW)
                    {
                        r0[inW - 1] = 0f;
                        r1[inW - 1] = 0f;
                    }
                }

                // Odd height: the last input row belongs to no window.
                if (inH > 2 * outH)
                {
                    new Span<float>(gi + (long)(inH - 1) * inW, inW).Clear();
                }
            }
        });

        foreach (long b in bad)
        {
            if (b >= 0) return b;
        }

        return -1;
    }
}
