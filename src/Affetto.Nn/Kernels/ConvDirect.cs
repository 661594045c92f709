using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Affetto.Nn.Kernels;

/// <summary>
/// Direct AVX-512 convolution for stride 1 (any kernel size, padding, dilation, groups). The input image is
/// copied once into a zero-padded scratch so every tap of a 16-pixel output run is one unaligned vector load at
/// a fixed offset: the "B panel" of an implicit GEMM that never materialises im2col. Output channels are
/// register-blocked 8 at a time against 3 pixel vectors (24 zmm accumulators). Backward-input is the same
/// kernel on the padded output gradient with transposed, flipped weights; backward-weight vectorises the
/// reduction over pixels with a 4 x 6 (channels x taps) accumulator tile.
/// </summary>
internal static unsafe class ConvDirect
{
    private const int V = 16, CoBlock = 8;

    internal static bool Supports(in Conv2dGeometry g) =>
        SimdLevel.Current == 512 && g.StrideH == 1 && g.StrideW == 1 && g.OutW >= 8;

    internal static bool SupportsBackwardInput(in Conv2dGeometry g) =>
        Supports(g) && g.PadH <= g.DilationH * (g.KH - 1) && g.PadW <= g.DilationW * (g.KW - 1) && g.InW >= 8;

    // ---------------------------------------------------------------- forward

    internal static void Forward(float* x, float* w, float* bias, float* y, in Conv2dGeometry g)
    {
        int cpg = g.InChannelsPerGroup, mpg = g.OutChannelsPerGroup, taps = cpg * g.KH * g.KW;
        int blocks = (mpg + CoBlock - 1) / CoBlock;
        long packPerGroup = (long)blocks * taps * CoBlock;
        float* wPack = Scratch.Get(Scratch.ConvWeight, packPerGroup * g.Groups);
        for (int gr = 0; gr < g.Groups; gr++)
        {
            PackWeights(w + (long)gr * mpg * taps, mpg, taps, wPack + gr * packPerGroup, null, 0, 0);
        }

        Run(x, g.InChannels, g.InH, g.InW, g.PadH, g.PadW, wPack, packPerGroup, bias, y, g.OutChannels, g.OutH, g.OutW,
            g.KH, g.KW, g.DilationH, g.DilationW, g.Groups, g.Batch);
    }

    /// <summary>gradInput = correlation of the (k-1)d - p padded gradOutput with transposed, flipped weights.</summary>
    internal static void BackwardInput(float* gy, float* w, float* gx, in Conv2dGeometry g)
    {
        int cpg = g.InChannelsPerGroup, mpg = g.OutChannelsPerGroup;
        int kk = g.KH * g.KW, tapsT = mpg * kk; // the transposed conv has mpg inputs and cpg outputs per group
        int blocks = (cpg + CoBlock - 1) / CoBlock;
        long packPerGroup = (long)blocks * tapsT * CoBlock;
        float* wPack = Scratch.Get(Scratch.ConvWeight, packPerGroup * g.Groups);
        for (int gr = 0; gr < g.Groups; gr++)
        {
            PackWeights(w + (long)gr * mpg * cpg * kk, cpg, tapsT, wPack + gr * packPerGroup, null, mpg, kk, transposeFlip: true, cpg);
        }

        Run(gy, g.OutChannels, g.OutH, g.OutW, g.DilationH * (g.KH - 1) - g.PadH, g.DilationW * (g.KW - 1) - g.PadW,
            wPack, packPerGroup, null, gx, g.InChannels, g.InH, g.InW, g.KH, g.KW, g.DilationH, g.DilationW, g.Groups, g.Batch);
    }

    /// <summary>
    /// Packs one group's weights into CoBlock-row slivers [block][tap][r]. With transposeFlip the source is the
    /// forward weight [mpg][cpg][kh][kw] and the packed matrix is W'[ci][(co, kh', kw')] = W[co][ci][KH-1-kh'][KW-1-kw'].
    /// </summary>
    private static void PackWeights(float* w, int rows, int taps, float* dst, float* unused, int mpg, int kk,
        bool transposeFlip = false, int cpg = 0)
    {
        int blocks = (rows + CoBlock - 1) / CoBlock;
        for (int bl = 0; bl < blocks; bl++)
        {
            float* d = dst + (long)bl * taps * CoBlock;
            for (int t = 0; t < taps; t++)
            {
                for (int r = 0; r < CoBlock; r++)
                {
                    int row = bl * CoBlock + r;
                    float v = 0f;
                    if (row < rows)
                    {
                        if (!transposeFlip)
                        {
                            v = w[(long)row * taps + t];
                        }
                        else
                        {
                            int co = t / kk, k = t % kk;
                            v = w[((long)co * cpg + row) * kk + (kk - 1 - k)];
                        }
                    }

                    d[t * CoBlock + r] = v;
                }
            }
        }
    }

    private static void Run(float* x, int inC, int inH, int inW, int padH, int padW, float* wPack, long packPerGroup,
        float* bias, float* y, int outC, int outH, int outW, int kh, int kw, int dh, int dw, int groups, int batch)
    {
        nint px = (nint)x, pw = (nint)wPack, pb = (nint)bias, py = (nint)y;
        int cpg = inC / groups, mpg = outC / groups;
        int hp = inH + 2 * padH, wp = inW + 2 * padW;
        long plane = (long)hp * wp;
        int taps = cpg * kh * kw;
        int vpr = (outW + V - 1) / V, nVec = outH * vpr;
        int blocks = (mpg + CoBlock - 1) / CoBlock;
        // Work items: (image, group, run of pixel-vector triples). Several runs per image only when the batch is
        // too small to feed every worker. Within an item the pixel triple is the outer loop so its input rows
        // stay in L1 while every block of output channels streams its packed weights past them.
        int triples = (nVec + 2) / 3;
        int workersWanted = Parallelism.EffectiveThreads;
        int chunks = batch * groups >= 2 * workersWanted ? 1 : Math.Min(triples, (2 * workersWanted + batch * groups - 1) / (batch * groups));
        int items = batch * groups * chunks;
        int workers = Math.Min(workersWanted, items);
        int parts = Parallelism.Parts(workers, items);
        Parallelism.For(parts, workers, part =>
        {
            int i0 = (int)((long)items * part / parts), i1 = (int)((long)items * (part + 1) / parts);
            float* xPad = Scratch.Get(Scratch.ConvInput, cpg * plane + 64);
            int* off = (int*)Scratch.Get(Scratch.ConvOffsets, taps + 16);
            for (int t = 0, ci = 0; ci < cpg; ci++)
                for (int a = 0; a < kh; a++)
                    for (int b = 0; b < kw; b++, t++)
                        off[t] = (int)(ci * plane + (long)a * dh * wp + (long)b * dw);

            int paddedImage = -1, paddedGroup = -1;
            for (int item = i0; item < i1; item++)
            {
                int n = item / (groups * chunks), gr = item / chunks % groups, ch = item % chunks;
                if (n != paddedImage || gr != paddedGroup)
                {
                    PadPlanes((float*)px + ((long)n * inC + (long)gr * cpg) * inH * inW, cpg, inH, inW, padH, padW, xPad);
                    paddedImage = n;
                    paddedGroup = gr;
                }

                int t0 = (int)((long)triples * ch / chunks), t1 = (int)((long)triples * (ch + 1) / chunks);
                float* yg = (float*)py + ((long)n * outC + (long)gr * mpg) * outH * outW;
                for (int tr = t0; tr < t1; tr++)
                {
                    int v = tr * 3, count = Math.Min(3, nVec - v);
                    for (int bl = 0; bl < blocks; bl++)
                    {
                        int co0 = bl * CoBlock, rows = Math.Min(CoBlock, mpg - co0);
                        float* wb = (float*)pw + gr * packPerGroup + (long)bl * taps * CoBlock;
                        float* bb = pb == 0 ? null : (float*)pb + gr * mpg + co0;
                        Tile(taps, off, wb, bb, rows, xPad, wp, yg + (long)co0 * outH * outW, outH * outW, outW, vpr, v, count);
                    }
                }
            }
        });
    }

    /// <summary>Copies planes into a zero-bordered [planes][H + 2padH][W + 2padW] scratch plus slack.</summary>
    internal static void PadPlanes(float* src, int planes, int h, int w, int padH, int padW, float* dst)
    {
        int hp = h + 2 * padH, wp = w + 2 * padW;
        if (SimdLevel.Current == 512 && System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            PadPlanes512(src, planes, h, w, padH, padW, dst);
            return;
        }

        for (int c = 0; c < planes; c++)
        {
            float* d = dst + (long)c * hp * wp;
            float* s = src + (long)c * h * w;
            new Span<float>(d, padH * wp + padW).Clear();
            for (int r = 0; r < h; r++)
            {
                float* row = d + (long)(r + padH) * wp + padW;
                Buffer.MemoryCopy(s + (long)r * w, row, w * 4L, w * 4L);
                if (r + 1 < h)
                {
                    new Span<float>(row + w, 2 * padW).Clear();
                }
            }

            new Span<float>(d + (long)(h + padH) * wp - padW, padH * wp + padW).Clear();
        }

        new Span<float>(dst + (long)planes * hp * wp, 64).Clear();
    }

    /// <summary>
    /// <see cref="PadPlanes"/> in whole 16-float stores: each padded row is built from masked loads whose lanes outside
    /// the source row read as zero (masked-off lanes never touch memory), so a row of 11 with its border is one load
    /// and one store instead of a copy call and two clears. Rows are written in order; a store running past its row
    /// is overwritten by the next one, and the last one's lands in the slack.
    /// </summary>
    private static void PadPlanes512(float* src, int planes, int h, int w, int padH, int padW, float* dst)
    {
        int hp = h + 2 * padH, wp = w + 2 * padW;
        var iota = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        for (int c = 0; c < planes; c++)
        {
            float* d = dst + (long)c * hp * wp;
            float* s = src + (long)c * h * w;
            for (int r = 0; r < hp; r++)
            {
                float* row = d + (long)r * wp;
                int sr = r - padH;
                if ((uint)sr >= (uint)h)
                {
                    for (int j = 0; j < wp; j += V) Vector512<float>.Zero.Store(row + j);
                    continue;
                }

                float* from = s + (long)sr * w - padW;
                for (int j = 0; j < wp; j += V)
                {
                    // Lane l holds padded column j + l: source column j + l - padW when that lies in [0, w).
                    var col = iota + Vector512.Create(j - padW);
                    var inside = Vector512.GreaterThanOrEqual(col, Vector512<int>.Zero) & Vector512.LessThan(col, Vector512.Create(w));
                    System.Runtime.Intrinsics.X86.Avx512F.MaskLoad(from + j, inside.AsSingle(), Vector512<float>.Zero).Store(row + j);
                }
            }
        }

        for (int j = 0; j < 64; j += V) Vector512<float>.Zero.Store(dst + (long)planes * hp * wp + j);
    }

    private static void Tile(int taps, int* off, float* w, float* bias, int rows, float* xPad, int wp, float* y,
        int outPlane, int outW, int vpr, int v0, int count)
    {
        // Three pixel vectors: vector v covers output row v / vpr, columns (v % vpr) * 16 ...
        int oh0 = v0 / vpr, ow0 = v0 % vpr * V;
        int oh1 = (v0 + 1) / vpr, ow1 = (v0 + 1) % vpr * V;
        int oh2 = (v0 + 2) / vpr, ow2 = (v0 + 2) % vpr * V;
        if (count < 2) { oh1 = oh0; ow1 = ow0; }
        if (count < 3) { oh2 = oh1; ow2 = ow1; }
        float* x0 = xPad + (long)oh0 * wp + ow0, x1 = xPad + (long)oh1 * wp + ow1, x2 = xPad + (long)oh2 * wp + ow2;
        int n0 = Math.Min(V, outW - ow0), n1 = count > 1 ? Math.Min(V, outW - ow1) : 0, n2 = count > 2 ? Math.Min(V, outW - ow2) : 0;
        float* y0 = y + (long)oh0 * outW + ow0, y1 = y + (long)oh1 * outW + ow1, y2 = y + (long)oh2 * outW + ow2;
        float* b8 = stackalloc float[CoBlock];
        for (int r = 0; r < CoBlock; r++) b8[r] = bias != null && r < rows ? bias[r] : 0f;
        if (rows == CoBlock && n0 == V && n1 == V && n2 == V)
        {
            Core(taps, off, w, b8, x0, x1, x2, y0, y1, y2, outPlane);
            return;
        }

        // Edge tile: compute into a scratch tile and copy out the valid rows and lanes.
        float* tmp = stackalloc float[CoBlock * 3 * V];
        Core(taps, off, w, b8, x0, x1, x2, tmp, tmp + V, tmp + 2 * V, 3 * V);
        for (int r = 0; r < rows; r++)
        {
            float* t = tmp + r * 3 * V;
            long o = (long)r * outPlane;
            for (int i = 0; i < n0; i++) y0[o + i] = t[i];
            for (int i = 0; i < n1; i++) y1[o + i] = t[V + i];
            for (int i = 0; i < n2; i++) y2[o + i] = t[2 * V + i];
        }
    }

    /// <summary>8 output channels x 3 pixel vectors over all taps; straight-line so all 24 accumulators stay in zmm registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Core(int taps, int* off, float* w, float* bias, float* x0, float* x1, float* x2,
        float* y0, float* y1, float* y2, long outPlane)
    {
        Vector512<float> c00 = Vector512.Create(bias[0]), c10 = Vector512.Create(bias[1]), c20 = Vector512.Create(bias[2]);
        Vector512<float> c30 = Vector512.Create(bias[3]), c40 = Vector512.Create(bias[4]), c50 = Vector512.Create(bias[5]);
        Vector512<float> c60 = Vector512.Create(bias[6]), c70 = Vector512.Create(bias[7]);
        Vector512<float> c01 = c00, c02 = c00, c11 = c10, c12 = c10, c21 = c20, c22 = c20, c31 = c30, c32 = c30;
        Vector512<float> c41 = c40, c42 = c40, c51 = c50, c52 = c50, c61 = c60, c62 = c60, c71 = c70, c72 = c70;
        for (int t = 0; t < taps; t++)
        {
            long o = off[t];
            Vector512<float> b0 = Vector512.Load(x0 + o), b1 = Vector512.Load(x1 + o), b2 = Vector512.Load(x2 + o);
            Vector512<float> a = Vector512.Create(w[0]);
            c00 = Vector512.FusedMultiplyAdd(a, b0, c00); c01 = Vector512.FusedMultiplyAdd(a, b1, c01); c02 = Vector512.FusedMultiplyAdd(a, b2, c02);
            a = Vector512.Create(w[1]);
            c10 = Vector512.FusedMultiplyAdd(a, b0, c10); c11 = Vector512.FusedMultiplyAdd(a, b1, c11); c12 = Vector512.FusedMultiplyAdd(a, b2, c12);
            a = Vector512.Create(w[2]);
            c20 = Vector512.FusedMultiplyAdd(a, b0, c20); c21 = Vector512.FusedMultiplyAdd(a, b1, c21); c22 = Vector512.FusedMultiplyAdd(a, b2, c22);
            a = Vector512.Create(w[3]);
            c30 = Vector512.FusedMultiplyAdd(a, b0, c30); c31 = Vector512.FusedMultiplyAdd(a, b1, c31); c32 = Vector512.FusedMultiplyAdd(a, b2, c32);
            a = Vector512.Create(w[4]);
            c40 = Vector512.FusedMultiplyAdd(a, b0, c40); c41 = Vector512.FusedMultiplyAdd(a, b1, c41); c42 = Vector512.FusedMultiplyAdd(a, b2, c42);
            a = Vector512.Create(w[5]);
            c50 = Vector512.FusedMultiplyAdd(a, b0, c50); c51 = Vector512.FusedMultiplyAdd(a, b1, c51); c52 = Vector512.FusedMultiplyAdd(a, b2, c52);
            a = Vector512.Create(w[6]);
            c60 = Vector512.FusedMultiplyAdd(a, b0, c60); c61 = Vector512.FusedMultiplyAdd(a, b1, c61); c62 = Vector512.FusedMultiplyAdd(a, b2, c62);
            a = Vector512.Create(w[7]);
            c70 = Vector512.FusedMultiplyAdd(a, b0, c70); c71 = Vector512.FusedMultiplyAdd(a, b1, c71); c72 = Vector512.FusedMultiplyAdd(a, b2, c72);
            w += CoBlock;
        }

        c00.Store(y0); c01.Store(y1); c02.Store(y2); y0 += outPlane; y1 += outPlane; y2 += outPlane;
        c10.Store(y0); c11.Store(y1); c12.Store(y2); y0 += outPlane; y1 += outPlane; y2 += outPlane;
        c20.Store(y0); c21.Store(y1); c22.Store(y2); y0 += outPlane; y1 += outPlane; y2 += outPlane;
        c30.Store(y0); c31.Store(y1); c32.Store(y2); y0 += outPlane; y1 += outPlane; y2 += outPlane;
        c40.Store(y0); c41.Store(y1); c42.Store(y2); y0 += outPlane; y1 += outPlane; y2 += outPlane;
        c50.Store(y0); c51.Store(y1); c52.Store(y2); y0 += outPlane; y1 += outPlane; y2 += outPlane;
        c60.Store(y0); c61.Store(y1); c62.Store(y2); y0 += outPlane; y1 += outPlane; y2 += outPlane;
        c70.Store(y0); c71.Store(y1); c72.Store(y2);
    }

    // ---------------------------------------------------------------- backward weight

    internal static void BackwardWeight(float* x, float* gy, float* gw, float* gb, in Conv2dGeometry g)
    {
        int cpg = g.InChannelsPerGroup, mpg = g.OutChannelsPerGroup, taps = cpg * g.KH * g.KW;
        int workers = Math.Min(Parallelism.EffectiveThreads, g.Batch);
        int wLen = g.WeightLength, bLen = g.OutChannels;
        float* partial = Scratch.Get(Scratch.ConvCol, (long)workers * (wLen + bLen));
        new Span<float>(partial, workers * (wLen + bLen)).Clear();
        nint px = (nint)x, pgy = (nint)gy, pp = (nint)partial;
        Conv2dGeometry geo = g;
        Parallelism.For(workers, workers, part =>
        {
            int n0 = (int)((long)geo.Batch * part / workers), n1 = (int)((long)geo.Batch * (part + 1) / workers);
            float* acc = (float*)pp + (long)part * (wLen + bLen);
            WeightImages((float*)px, (float*)pgy, n0, n1, acc, acc + wLen, geo);
        });

        for (int i = 0; i < wLen; i++)
        {
            float s = 0f;
            for (int p = 0; p < workers; p++) s += partial[(long)p * (wLen + bLen) + i];
            gw[i] = s;
        }

        if (gb != null)
        {
            for (int i = 0; i < bLen; i++)
            {
                float s = 0f;
                for (int p = 0; p < workers; p++) s += partial[(long)p * (wLen + bLen) + wLen + i];
                gb[i] = s;
            }
        }
    }

    private const int WeightImageChunk = 4;

    private static void WeightImages(float* x, float* gy, int n0, int n1, float* gw, float* gb, in Conv2dGeometry g)
    {
        int cpg = g.InChannelsPerGroup, mpg = g.OutChannelsPerGroup, taps = cpg * g.KH * g.KW;
        int hp = g.InH + 2 * g.PadH, wp = g.InW + 2 * g.PadW;
        long plane = (long)hp * wp;
        int owp = (g.OutW + V - 1) / V * V, outPlane = g.OutH * g.OutW, outPlanePadded = g.OutH * owp;
        // Several images are padded side by side so each accumulator tile sums over all of them before the
        // (comparatively costly) horizontal reductions.
        long xStride = (cpg * plane + 64 + 15) / 16 * 16;
        long gyPadStride = (long)mpg * outPlanePadded;
        // ... but only as many as keep the chunk's gradients and padded inputs within about half of L2, since every
        // tile sweeps them again.
        long bytesPerImage = 4 * (xStride + (long)mpg * outPlanePadded);
        int chunk = (int)Math.Clamp((1L << 20) / bytesPerImage, 1, WeightImageChunk);
        float* xPad = Scratch.Get(Scratch.ConvInput, xStride * chunk);
        float* gyPad = owp == g.OutW ? null : Scratch.Get(Scratch.ConvAux, gyPadStride * chunk + 64);
        int* offs = (int*)Scratch.Get(Scratch.ConvOffsets, taps + 16);
        for (int t = 0, ci = 0; ci < cpg; ci++)
            for (int a = 0; a < g.KH; a++)
                for (int b = 0; b < g.KW; b++, t++)
                    offs[t] = (int)(ci * plane + (long)a * g.DilationH * wp + (long)b * g.DilationW);

        for (int nc = n0; nc < n1; nc += chunk)
        {
            int images = Math.Min(chunk, n1 - nc);
            for (int gr = 0; gr < g.Groups; gr++)
            {
                for (int i = 0; i < images; i++)
                {
                    PadPlanes(x + ((long)(nc + i) * g.InChannels + (long)gr * cpg) * g.InH * g.InW, cpg, g.InH, g.InW,
                        g.PadH, g.PadW, xPad + i * xStride);
                }

                float* gyg = gy + ((long)nc * g.OutChannels + (long)gr * mpg) * outPlane;
                float* src = gyg;
                long srcStride = (long)g.OutChannels * outPlane;
                if (gyPad != null)
                {
                    // Zero the lanes past the row end so they contribute nothing.
                    for (int i = 0; i < images; i++)
                        for (int c = 0; c < mpg; c++)
                            for (int r = 0; r < g.OutH; r++)
                            {
                                float* d = gyPad + i * gyPadStride + (long)c * outPlanePadded + (long)r * owp;
                                Buffer.MemoryCopy(gyg + i * srcStride + (long)c * outPlane + (long)r * g.OutW, d, g.OutW * 4L, g.OutW * 4L);
                                new Span<float>(d + g.OutW, owp - g.OutW).Clear();
                            }

                    src = gyPad;
                    srcStride = gyPadStride;
                }

                float* gwg = gw + (long)gr * mpg * taps;
                for (int co = 0; co < mpg; co += 4)
                {
                    int rows = Math.Min(4, mpg - co);
                    for (int t = 0; t < taps; t += 6)
                    {
                        int cols = Math.Min(6, taps - t);
                        WeightTile(src + (long)co * outPlanePadded, outPlanePadded, srcStride, rows, xPad, wp, xStride,
                            offs + t, cols, g.OutH, owp, images, gwg + (long)co * taps + t, taps);
                    }
                }

                if (gb != null)
                {
                    for (int i = 0; i < images; i++)
                        for (int c = 0; c < mpg; c++)
                        {
                            gb[gr * mpg + c] += System.Numerics.Tensors.TensorPrimitives.Sum(
                                new ReadOnlySpan<float>(gyg + i * (long)g.OutChannels * outPlane + (long)c * outPlane, outPlane));
                        }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightTile(float* gy, int gyPlane, long gyImage, int rows, float* xPad, int wp, long xImage,
        int* off, int cols, int outH, int owp, int images, float* gw, int taps)
    {
        // Rows beyond `rows` / columns beyond `cols` repeat the last valid one and are discarded at the end.
        float* g0 = gy, g1 = gy + (rows > 1 ? gyPlane : 0), g2 = gy + (rows > 2 ? 2L * gyPlane : 0), g3 = gy + (rows > 3 ? 3L * gyPlane : 0);
        int o0 = off[0], o1 = off[Math.Min(1, cols - 1)], o2 = off[Math.Min(2, cols - 1)];
        int o3 = off[Math.Min(3, cols - 1)], o4 = off[Math.Min(4, cols - 1)], o5 = off[Math.Min(5, cols - 1)];
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default, a04 = default, a05 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default, a14 = default, a15 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default, a24 = default, a25 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default, a34 = default, a35 = default;
        for (int img = 0; img < images; img++)
        for (int r = 0; r < outH; r++)
        {
            float* xr = xPad + img * xImage + (long)r * wp;
            long gr = img * gyImage + (long)r * owp;
            for (int c = 0; c < owp; c += V)
            {
                float* xp = xr + c;
                Vector512<float> x0 = Vector512.Load(xp + o0), x1 = Vector512.Load(xp + o1), x2 = Vector512.Load(xp + o2);
                Vector512<float> x3 = Vector512.Load(xp + o3), x4 = Vector512.Load(xp + o4), x5 = Vector512.Load(xp + o5);
                Vector512<float> d = Vector512.Load(g0 + gr + c);
                a00 = Vector512.FusedMultiplyAdd(d, x0, a00); a01 = Vector512.FusedMultiplyAdd(d, x1, a01); a02 = Vector512.FusedMultiplyAdd(d, x2, a02);
                a03 = Vector512.FusedMultiplyAdd(d, x3, a03); a04 = Vector512.FusedMultiplyAdd(d, x4, a04); a05 = Vector512.FusedMultiplyAdd(d, x5, a05);
                d = Vector512.Load(g1 + gr + c);
                a10 = Vector512.FusedMultiplyAdd(d, x0, a10); a11 = Vector512.FusedMultiplyAdd(d, x1, a11); a12 = Vector512.FusedMultiplyAdd(d, x2, a12);
                a13 = Vector512.FusedMultiplyAdd(d, x3, a13); a14 = Vector512.FusedMultiplyAdd(d, x4, a14); a15 = Vector512.FusedMultiplyAdd(d, x5, a15);
                d = Vector512.Load(g2 + gr + c);
                a20 = Vector512.FusedMultiplyAdd(d, x0, a20); a21 = Vector512.FusedMultiplyAdd(d, x1, a21); a22 = Vector512.FusedMultiplyAdd(d, x2, a22);
                a23 = Vector512.FusedMultiplyAdd(d, x3, a23); a24 = Vector512.FusedMultiplyAdd(d, x4, a24); a25 = Vector512.FusedMultiplyAdd(d, x5, a25);
                d = Vector512.Load(g3 + gr + c);
                a30 = Vector512.FusedMultiplyAdd(d, x0, a30); a31 = Vector512.FusedMultiplyAdd(d, x1, a31); a32 = Vector512.FusedMultiplyAdd(d, x2, a32);
                a33 = Vector512.FusedMultiplyAdd(d, x3, a33); a34 = Vector512.FusedMultiplyAdd(d, x4, a34); a35 = Vector512.FusedMultiplyAdd(d, x5, a35);
            }
        }

        float* s = stackalloc float[24];
        s[0] = Vector512.Sum(a00); s[1] = Vector512.Sum(a01); s[2] = Vector512.Sum(a02); s[3] = Vector512.Sum(a03); s[4] = Vector512.Sum(a04); s[5] = Vector512.Sum(a05);
        s[6] = Vector512.Sum(a10); s[7] = Vector512.Sum(a11); s[8] = Vector512.Sum(a12); s[9] = Vector512.Sum(a13); s[10] = Vector512.Sum(a14); s[11] = Vector512.Sum(a15);
        s[12] = Vector512.Sum(a20); s[13] = Vector512.Sum(a21); s[14] = Vector512.Sum(a22); s[15] = Vector512.Sum(a23); s[16] = Vector512.Sum(a24); s[17] = Vector512.Sum(a25);
        s[18] = Vector512.Sum(a30); s[19] = Vector512.Sum(a31); s[20] = Vector512.Sum(a32); s[21] = Vector512.Sum(a33); s[22] = Vector512.Sum(a34); s[23] = Vector512.Sum(a35);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                gw[(long)i * taps + j] += s[i * 6 + j];
            }
        }
    }
}
