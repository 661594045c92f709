using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Affetto.Nn.Kernels;

/// <summary>
/// Packed, cache-blocked GEMM engine (Goto/BLIS loop order): C += alpha * op(A) * op(B). Callers have already
/// applied beta. A is packed into MR-row slivers (k-major), B into NR-column slivers, and a register-blocked
/// FMA micro-kernel computes each MR x NR tile. Blocking: KC x NC panel of B (~L2), MR x KC sliver of A (~L1).
/// </summary>
internal static unsafe class GemmPacked
{
    private const int KC = 256, MC = 144, NC = 960;

    private readonly struct Shape(int mr, int nr)
    {
        public readonly int MR = mr, NR = nr;
    }

    private static Shape ShapeFor(int width) => width switch
    {
        512 => new Shape(8, 48),
        256 => new Shape(6, 16),
        128 => new Shape(6, 8),
        _ => new Shape(4, 4),
    };

    internal static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, pc, ldc, Parallelism.EffectiveThreads);
        }
    }

    /// <summary>Pointer entry point used by other kernels; <paramref name="threads"/> caps the split.</summary>
    internal static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float* c, int ldc, int threads)
    {
        int width = SimdLevel.Current;
        Shape s = ShapeFor(width);
        long work = (long)m * n * k;
        int t = work < 1L << 20 ? 1 : Math.Min(threads, Parallelism.EffectiveThreads);
        if (t <= 1)
        {
            Serial(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc, width, s);
            return;
        }

        // Split the larger of N and M into t column/row stripes aligned to the register tile.
        bool splitN = n >= m || m < 2 * s.MR;
        int extent = splitN ? n : m, unit = splitN ? s.NR : s.MR;
        int units = (extent + unit - 1) / unit;
        t = Math.Min(t, units);
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        Parallelism.For(t, t, part =>
        {
            int u0 = (int)((long)units * part / t), u1 = (int)((long)units * (part + 1) / t);
            int lo = u0 * unit, hi = Math.Min(extent, u1 * unit);
            if (hi <= lo) return;
            float* aa = (float*)pa, bb = (float*)pb, cc = (float*)pc;
            if (splitN)
            {
                float* bOff = transB ? bb + (long)lo * ldb : bb + lo;
                Serial(transA, transB, m, hi - lo, k, alpha, aa, lda, bOff, ldb, cc + lo, ldc, width, s);
            }
            else
            {
                float* aOff = transA ? aa + lo : aa + (long)lo * lda;
                Serial(transA, transB, hi - lo, n, k, alpha, aOff, lda, bb, ldb, cc + (long)lo * ldc, ldc, width, s);
            }
        });
    }

    private static void Serial(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float* c, int ldc, int width, Shape s)
    {
        int mr = s.MR, nr = s.NR;
        int mcMax = Math.Min(MC, RoundUp(m, mr)), ncMax = Math.Min(NC, RoundUp(n, nr)), kcMax = Math.Min(KC, k);
        float* aPack = Scratch.Get(Scratch.GemmA, (long)mcMax * kcMax);
        float* bPack = Scratch.Get(Scratch.GemmB, (long)ncMax * kcMax);
        float* tile = stackalloc float[8 * 48 + 16];
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                PackB(transB, b, ldb, pc, jc, kc, nc, nr, bPack);
                for (int ic = 0; ic < m; ic += MC)
                {
                    int mc = Math.Min(MC, m - ic);
                    PackA(transA, a, lda, ic, pc, mc, kc, mr, aPack);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int nw = Math.Min(nr, nc - jr);
                        float* bs = bPack + (long)jr * kc;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int mw = Math.Min(mr, mc - ir);
                            float* aS = aPack + (long)ir * kc;
                            float* cTile = c + (long)(ic + ir) * ldc + jc + jr;
                            if (mw == mr && nw == nr)
                            {
                                Kernel(width, kc, aS, bs, cTile, ldc, alpha);
                            }
                            else
                            {
                                new Span<float>(tile, mr * nr).Clear();
                                Kernel(width, kc, aS, bs, tile, nr, alpha);
                                for (int i = 0; i < mw; i++)
                                {
                                    for (int j = 0; j < nw; j++)
                                    {
                                        cTile[(long)i * ldc + j] += tile[i * nr + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static int RoundUp(int x, int unit) => (x + unit - 1) / unit * unit;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel(int width, int kc, float* a, float* b, float* c, int ldc, float alpha)
    {
        switch (width)
        {
            case 512: Kernel512(kc, a, b, c, ldc, alpha); break;
            case 256: Kernel256(kc, a, b, c, ldc, alpha); break;
            case 128: Kernel128(kc, a, b, c, ldc, alpha); break;
            default: KernelScalar(kc, a, b, c, ldc, alpha); break;
        }
    }

    /// <summary>Packs op(A)[ic.., pc..] (mc x kc) into MR-row slivers: sliver s holds a[s*MR + r, p] at [p*MR + r].</summary>
    private static void PackA(bool transA, float* a, int lda, int ic, int pc, int mc, int kc, int mr, float* dst)
    {
        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int rows = Math.Min(mr, mc - i0);
            float* d = dst + (long)i0 * kc;
            if (!transA)
            {
                for (int r = 0; r < rows; r++)
                {
                    float* src = a + (long)(ic + i0 + r) * lda + pc;
                    for (int p = 0; p < kc; p++) d[p * mr + r] = src[p];
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + (long)(pc + p) * lda + ic + i0;
                    for (int r = 0; r < rows; r++) d[p * mr + r] = src[r];
                }
            }

            for (int r = rows; r < mr; r++)
            {
                for (int p = 0; p < kc; p++) d[p * mr + r] = 0f;
            }
        }
    }

    /// <summary>Packs op(B)[pc.., jc..] (kc x nc) into NR-column slivers: sliver s holds b[p, s*NR + j] at [p*NR + j].</summary>
    private static void PackB(bool transB, float* b, int ldb, int pc, int jc, int kc, int nc, int nr, float* dst)
    {
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int cols = Math.Min(nr, nc - j0);
            float* d = dst + (long)j0 * kc;
            if (!transB)
            {
                if (cols == nr)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        Buffer.MemoryCopy(b + (long)(pc + p) * ldb + jc + j0, d + p * nr, nr * 4L, nr * 4L);
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* src = b + (long)(pc + p) * ldb + jc + j0;
                        int j = 0;
                        for (; j < cols; j++) d[p * nr + j] = src[j];
                        for (; j < nr; j++) d[p * nr + j] = 0f;
                    }
                }
            }
            else
            {
                for (int j = 0; j < cols; j++)
                {
                    float* src = b + (long)(jc + j0 + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) d[p * nr + j] = src[p];
                }

                for (int j = cols; j < nr; j++)
                {
                    for (int p = 0; p < kc; p++) d[p * nr + j] = 0f;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(int kc, float* a, float* b, float* c, int ldc, float alpha)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c50 = default, c51 = default, c52 = default;
        Vector512<float> c60 = default, c61 = default, c62 = default, c70 = default, c71 = default, c72 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16), b2 = Vector512.Load(b + 32);
            Vector512<float> av = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(av, b0, c00); c01 = Vector512.FusedMultiplyAdd(av, b1, c01); c02 = Vector512.FusedMultiplyAdd(av, b2, c02);
            av = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(av, b0, c10); c11 = Vector512.FusedMultiplyAdd(av, b1, c11); c12 = Vector512.FusedMultiplyAdd(av, b2, c12);
            av = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(av, b0, c20); c21 = Vector512.FusedMultiplyAdd(av, b1, c21); c22 = Vector512.FusedMultiplyAdd(av, b2, c22);
            av = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(av, b0, c30); c31 = Vector512.FusedMultiplyAdd(av, b1, c31); c32 = Vector512.FusedMultiplyAdd(av, b2, c32);
            av = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(av, b0, c40); c41 = Vector512.FusedMultiplyAdd(av, b1, c41); c42 = Vector512.FusedMultiplyAdd(av, b2, c42);
            av = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(av, b0, c50); c51 = Vector512.FusedMultiplyAdd(av, b1, c51); c52 = Vector512.FusedMultiplyAdd(av, b2, c52);
            av = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(av, b0, c60); c61 = Vector512.FusedMultiplyAdd(av, b1, c61); c62 = Vector512.FusedMultiplyAdd(av, b2, c62);
            av = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(av, b0, c70); c71 = Vector512.FusedMultiplyAdd(av, b1, c71); c72 = Vector512.FusedMultiplyAdd(av, b2, c72);
            a += 8;
            b += 48;
        }

        Vector512<float> al = Vector512.Create(alpha);
        Store512(c, al, c00, c01, c02); c += ldc;
        Store512(c, al, c10, c11, c12); c += ldc;
        Store512(c, al, c20, c21, c22); c += ldc;
        Store512(c, al, c30, c31, c32); c += ldc;
        Store512(c, al, c40, c41, c42); c += ldc;
        Store512(c, al, c50, c51, c52); c += ldc;
        Store512(c, al, c60, c61, c62); c += ldc;
        Store512(c, al, c70, c71, c72);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* c, Vector512<float> alpha, Vector512<float> x0, Vector512<float> x1, Vector512<float> x2)
    {
        Vector512.FusedMultiplyAdd(alpha, x0, Vector512.Load(c)).Store(c);
        Vector512.FusedMultiplyAdd(alpha, x1, Vector512.Load(c + 16)).Store(c + 16);
        Vector512.FusedMultiplyAdd(alpha, x2, Vector512.Load(c + 32)).Store(c + 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(int kc, float* a, float* b, float* c, int ldc, float alpha)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            Vector256<float> av = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(av, b0, c00); c01 = Vector256.FusedMultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(av, b0, c10); c11 = Vector256.FusedMultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(av, b0, c20); c21 = Vector256.FusedMultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(av, b0, c30); c31 = Vector256.FusedMultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(av, b0, c40); c41 = Vector256.FusedMultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(av, b0, c50); c51 = Vector256.FusedMultiplyAdd(av, b1, c51);
            a += 6;
            b += 16;
        }

        Vector256<float> al = Vector256.Create(alpha);
        Store256(c, al, c00, c01); c += ldc;
        Store256(c, al, c10, c11); c += ldc;
        Store256(c, al, c20, c21); c += ldc;
        Store256(c, al, c30, c31); c += ldc;
        Store256(c, al, c40, c41); c += ldc;
        Store256(c, al, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* c, Vector256<float> alpha, Vector256<float> x0, Vector256<float> x1)
    {
        Vector256.FusedMultiplyAdd(alpha, x0, Vector256.Load(c)).Store(c);
        Vector256.FusedMultiplyAdd(alpha, x1, Vector256.Load(c + 8)).Store(c + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel128(int kc, float* a, float* b, float* c, int ldc, float alpha)
    {
        Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector128<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector128<float> b0 = Vector128.Load(b), b1 = Vector128.Load(b + 4);
            Vector128<float> av = Vector128.Create(a[0]);
            c00 = Vector128.FusedMultiplyAdd(av, b0, c00); c01 = Vector128.FusedMultiplyAdd(av, b1, c01);
            av = Vector128.Create(a[1]);
            c10 = Vector128.FusedMultiplyAdd(av, b0, c10); c11 = Vector128.FusedMultiplyAdd(av, b1, c11);
            av = Vector128.Create(a[2]);
            c20 = Vector128.FusedMultiplyAdd(av, b0, c20); c21 = Vector128.FusedMultiplyAdd(av, b1, c21);
            av = Vector128.Create(a[3]);
            c30 = Vector128.FusedMultiplyAdd(av, b0, c30); c31 = Vector128.FusedMultiplyAdd(av, b1, c31);
            av = Vector128.Create(a[4]);
            c40 = Vector128.FusedMultiplyAdd(av, b0, c40); c41 = Vector128.FusedMultiplyAdd(av, b1, c41);
            av = Vector128.Create(a[5]);
            c50 = Vector128.FusedMultiplyAdd(av, b0, c50); c51 = Vector128.FusedMultiplyAdd(av, b1, c51);
            a += 6;
            b += 8;
        }

        Vector128<float> al = Vector128.Create(alpha);
        Store128(c, al, c00, c01); c += ldc;
        Store128(c, al, c10, c11); c += ldc;
        Store128(c, al, c20, c21); c += ldc;
        Store128(c, al, c30, c31); c += ldc;
        Store128(c, al, c40, c41); c += ldc;
        Store128(c, al, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store128(float* c, Vector128<float> alpha, Vector128<float> x0, Vector128<float> x1)
    {
        Vector128.FusedMultiplyAdd(alpha, x0, Vector128.Load(c)).Store(c);
        Vector128.FusedMultiplyAdd(alpha, x1, Vector128.Load(c + 4)).Store(c + 4);
    }

    private static void KernelScalar(int kc, float* a, float* b, float* c, int ldc, float alpha)
    {
        float* acc = stackalloc float[16];
        for (int i = 0; i < 16; i++) acc[i] = 0f;
        for (int p = 0; p < kc; p++)
        {
            for (int i = 0; i < 4; i++)
            {
                float av = a[i];
                acc[i * 4 + 0] += av * b[0];
                acc[i * 4 + 1] += av * b[1];
                acc[i * 4 + 2] += av * b[2];
                acc[i * 4 + 3] += av * b[3];
            }

            a += 4;
            b += 4;
        }

        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                c[(long)i * ldc + j] += alpha * acc[i * 4 + j];
            }
        }
    }
}
