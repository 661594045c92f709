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
        Parallelism.For(workers, workers, part =>
        {
            int p0 = (int)((long)planes * part / workers), p1 = (int)((long)planes * (part + 1) / workers);
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
}
