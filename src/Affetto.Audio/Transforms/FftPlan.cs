using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Affetto.Audio.Transforms;

/// <summary>
/// Precomputed plan for a complex discrete Fourier transform of one size, in split format (separate real and
/// imaginary spans). Sign convention as numpy/scipy: forward X[k] = Σ x[n]·e^{-2πikn/N}; inverse includes 1/N.
/// </summary>
/// <remarks>
/// Sizes whose prime factors are all ≤ 13 use a mixed-radix Stockham autosort algorithm (radix 4 and 2
/// vectorised with Vector512/256/128, radix 3, 5 and a generic small-prime butterfly); other sizes (large primes,
/// e.g. 167 in 501 = 3·167) use Bluestein's chirp-z algorithm on a power-of-two plan. Plans are immutable and
/// cached per size, so one plan may be used from many threads; each caller passes its own scratch.
/// </remarks>
public sealed class FftPlan
{
    private static readonly ConcurrentDictionary<int, FftPlan> s_cache = new();
    private const int MaxSmallRadix = 13;

    private readonly Stage[] _stages;
    private readonly Bluestein? _bluestein;

    /// <summary>Transform size (number of complex points).</summary>
    public int Size { get; }

    /// <summary>Number of floats the <c>scratch</c> span must hold for the forward and inverse transforms.</summary>
    public int ScratchLength { get; }

    /// <summary>Returns the cached plan for <paramref name="n"/> points (created on first use).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is less than 1.</exception>
    public static FftPlan Get(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "FFT size must be at least 1.");
        return s_cache.GetOrAdd(n, static k => new FftPlan(k));
    }

    private FftPlan(int n)
    {
        Size = n;
        var factors = Factor(n);
        if (factors.Count > 0 && factors.Max() > MaxSmallRadix)
        {
            _stages = [];
            _bluestein = new Bluestein(n);
            ScratchLength = _bluestein.ScratchLength;
        }
        else
        {
            _stages = BuildStages(n, factors);
            ScratchLength = 2 * n;
        }
    }

    /// <summary>Forward transform. Inputs and outputs hold <see cref="Size"/> values each; input may alias output.</summary>
    public void Forward(ReadOnlySpan<float> inRe, ReadOnlySpan<float> inIm, Span<float> outRe, Span<float> outIm, Span<float> scratch)
        => Run(inRe, inIm, outRe, outIm, scratch, inverse: false, SimdWidth.Default);

    /// <summary>Inverse transform scaled by 1/N (numpy <c>ifft</c>). Input may alias output.</summary>
    public void Inverse(ReadOnlySpan<float> inRe, ReadOnlySpan<float> inIm, Span<float> outRe, Span<float> outIm, Span<float> scratch)
        => Run(inRe, inIm, outRe, outIm, scratch, inverse: true, SimdWidth.Default);

    /// <summary>Stage layout for batched kernels: (radix, length, stride, twiddles re/im at [p·(r-1) + j-1]); empty for Bluestein.</summary>
    internal IEnumerable<(int Radix, int Len, int Stride, float[] TwRe, float[] TwIm)> StageInfo
        => _stages.Select(st => (st.Radix, st.Len, st.Stride, st.TwRe, st.TwIm));

    internal bool IsRadix2Or4 => _bluestein == null && _stages.All(st => st.Radix is 2 or 4);

    internal void Run(ReadOnlySpan<float> inRe, ReadOnlySpan<float> inIm, Span<float> outRe, Span<float> outIm,
        Span<float> scratch, bool inverse, int simdBits)
    {
        int n = Size;
        if (inRe.Length < n || inIm.Length < n || outRe.Length < n || outIm.Length < n)
            throw new ArgumentException($"FFT of size {n} needs spans of at least {n} values.");
        if (scratch.Length < ScratchLength)
            throw new ArgumentException($"FFT of size {n} needs {ScratchLength} floats of scratch, got {scratch.Length}.", nameof(scratch));
        inRe[..n].CopyTo(outRe);
        // Inverse via conjugation: ifft(x) = conj(fft(conj(x))) / n.
        if (inverse) Negate(inIm[..n], outIm[..n]); else inIm[..n].CopyTo(outIm);
        if (_bluestein != null) _bluestein.Transform(outRe[..n], outIm[..n], scratch, simdBits);
        else StockhamInPlace(outRe[..n], outIm[..n], scratch, simdBits);
        if (inverse)
        {
            float s = 1f / n;
            System.Numerics.Tensors.TensorPrimitives.Multiply(outRe[..n], s, outRe[..n]);
            System.Numerics.Tensors.TensorPrimitives.Multiply(outIm[..n], -s, outIm[..n]);
        }
    }

    private static void Negate(ReadOnlySpan<float> x, Span<float> y) => System.Numerics.Tensors.TensorPrimitives.Negate(x, y);

    // ---- Stockham autosort, decimation in frequency ------------------------------------------------------
    // Stage with radix r, sub-length len, stride s: m = len/r; for p < m, q < s:
    //   a_k = x[q + s(p + k m)],  y[q + s(r p + j)] = (Σ_k a_k W_r^{jk}) · W_len^{p j}

    private sealed class Stage
    {
        public required int Radix, Len, Stride;
        public required float[] TwRe, TwIm;     // [p*(r-1) + (j-1)] = W_len^{p j}
        public float[]? RootRe, RootIm;         // generic radix: W_r^{t}, t < r
    }

    private static List<int> Factor(int n)
    {
        var f = new List<int>();
        while (n % 4 == 0) { f.Add(4); n /= 4; }
        while (n % 2 == 0) { f.Add(2); n /= 2; }
        for (int p = 3; (long)p * p <= n; p += 2)
            while (n % p == 0) { f.Add(p); n /= p; }
        if (n > 1) f.Add(n);
        return f;
    }

    private static Stage[] BuildStages(int n, List<int> factors)
    {
        var stages = new Stage[factors.Count];
        int len = n, stride = 1;
        for (int i = 0; i < factors.Count; i++)
        {
            int r = factors[i], m = len / r;
            var twr = new float[m * (r - 1)];
            var twi = new float[m * (r - 1)];
            for (int p = 0; p < m; p++)
                for (int j = 1; j < r; j++)
                {
                    double a = -2.0 * Math.PI * ((long)p * j % len) / len;
                    twr[p * (r - 1) + j - 1] = (float)Math.Cos(a);
                    twi[p * (r - 1) + j - 1] = (float)Math.Sin(a);
                }
            var st = new Stage { Radix = r, Len = len, Stride = stride, TwRe = twr, TwIm = twi };
            if (r != 2 && r != 4)
            {
                st.RootRe = new float[r]; st.RootIm = new float[r];
                for (int t = 0; t < r; t++)
                {
                    double a = -2.0 * Math.PI * t / r;
                    st.RootRe[t] = (float)Math.Cos(a); st.RootIm[t] = (float)Math.Sin(a);
                }
            }
            stages[i] = st;
            len = m; stride *= r;
        }
        return stages;
    }

    private void StockhamInPlace(Span<float> re, Span<float> im, Span<float> scratch, int simdBits)
    {
        int n = Size;
        if (n == 1) return;
        Span<float> bRe = scratch[..n], bIm = scratch.Slice(n, n);
        bool inA = true;
        foreach (var st in _stages)
        {
            if (inA) RunStage(st, re, im, bRe, bIm, simdBits);
            else RunStage(st, bRe, bIm, re, im, simdBits);
            inA = !inA;
        }
        if (!inA) { bRe.CopyTo(re); bIm.CopyTo(im); }
    }

    private static void RunStage(Stage st, ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi, int simdBits)
    {
        switch (st.Radix)
        {
            case 4: Radix4(st, xr, xi, yr, yi, simdBits); break;
            case 2: Radix2(st, xr, xi, yr, yi, simdBits); break;
            case 3: Radix3(st, xr, xi, yr, yi); break;
            default: RadixGeneric(st, xr, xi, yr, yi); break;
        }
    }

    private static void Radix2(Stage st, ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi, int simdBits)
    {
        int s = st.Stride, m = st.Len / 2;
        for (int p = 0; p < m; p++)
        {
            float wr = st.TwRe[p], wi = st.TwIm[p];
            int i0 = s * p, i1 = s * (p + m), o0 = s * 2 * p, o1 = o0 + s;
            int q = 0;
            if (simdBits >= 512 && Vector512.IsHardwareAccelerated && s >= 16)
            {
                var vwr = Vector512.Create(wr); var vwi = Vector512.Create(wi);
                for (; q <= s - 16; q += 16)
                {
                    var ar = Vector512.Create(xr.Slice(i0 + q, 16)); var ai = Vector512.Create(xi.Slice(i0 + q, 16));
                    var br = Vector512.Create(xr.Slice(i1 + q, 16)); var bi = Vector512.Create(xi.Slice(i1 + q, 16));
                    (ar + br).CopyTo(yr.Slice(o0 + q)); (ai + bi).CopyTo(yi.Slice(o0 + q));
                    var dr = ar - br; var di = ai - bi;
                    (dr * vwr - di * vwi).CopyTo(yr.Slice(o1 + q)); (dr * vwi + di * vwr).CopyTo(yi.Slice(o1 + q));
                }
            }
            if (simdBits >= 256 && Vector256.IsHardwareAccelerated && s >= 8)
            {
                var vwr = Vector256.Create(wr); var vwi = Vector256.Create(wi);
                for (; q <= s - 8; q += 8)
                {
                    var ar = Vector256.Create(xr.Slice(i0 + q, 8)); var ai = Vector256.Create(xi.Slice(i0 + q, 8));
                    var br = Vector256.Create(xr.Slice(i1 + q, 8)); var bi = Vector256.Create(xi.Slice(i1 + q, 8));
                    (ar + br).CopyTo(yr.Slice(o0 + q)); (ai + bi).CopyTo(yi.Slice(o0 + q));
                    var dr = ar - br; var di = ai - bi;
                    (dr * vwr - di * vwi).CopyTo(yr.Slice(o1 + q)); (dr * vwi + di * vwr).CopyTo(yi.Slice(o1 + q));
                }
            }
            if (simdBits >= 128 && Vector128.IsHardwareAccelerated && s >= 4)
            {
                var vwr = Vector128.Create(wr); var vwi = Vector128.Create(wi);
                for (; q <= s - 4; q += 4)
                {
                    var ar = Vector128.Create(xr.Slice(i0 + q, 4)); var ai = Vector128.Create(xi.Slice(i0 + q, 4));
                    var br = Vector128.Create(xr.Slice(i1 + q, 4)); var bi = Vector128.Create(xi.Slice(i1 + q, 4));
                    (ar + br).CopyTo(yr.Slice(o0 + q)); (ai + bi).CopyTo(yi.Slice(o0 + q));
                    var dr = ar - br; var di = ai - bi;
                    (dr * vwr - di * vwi).CopyTo(yr.Slice(o1 + q)); (dr * vwi + di * vwr).CopyTo(yi.Slice(o1 + q));
                }
            }
            for (; q < s; q++)
            {
                float ar = xr[i0 + q], ai = xi[i0 + q], br = xr[i1 + q], bi = xi[i1 + q];
                yr[o0 + q] = ar + br; yi[o0 + q] = ai + bi;
                float dr = ar - br, di = ai - bi;
                yr[o1 + q] = dr * wr - di * wi; yi[o1 + q] = dr * wi + di * wr;
            }
        }
    }

    private static void Radix4(Stage st, ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi, int simdBits)
    {
        int s = st.Stride, m = st.Len / 4;
        for (int p = 0; p < m; p++)
        {
            int t = p * 3;
            float w1r = st.TwRe[t], w1i = st.TwIm[t], w2r = st.TwRe[t + 1], w2i = st.TwIm[t + 1], w3r = st.TwRe[t + 2], w3i = st.TwIm[t + 2];
            int i0 = s * p, i1 = s * (p + m), i2 = s * (p + 2 * m), i3 = s * (p + 3 * m);
            int o0 = s * 4 * p, o1 = o0 + s, o2 = o1 + s, o3 = o2 + s;
            int q = 0;
            if (simdBits >= 512 && Vector512.IsHardwareAccelerated && s >= 16)
                for (; q <= s - 16; q += 16)
                    Radix4Vec512(xr, xi, yr, yi, i0 + q, i1 + q, i2 + q, i3 + q, o0 + q, o1 + q, o2 + q, o3 + q, w1r, w1i, w2r, w2i, w3r, w3i);
            if (simdBits >= 256 && Vector256.IsHardwareAccelerated && s >= 8)
                for (; q <= s - 8; q += 8)
                    Radix4Vec256(xr, xi, yr, yi, i0 + q, i1 + q, i2 + q, i3 + q, o0 + q, o1 + q, o2 + q, o3 + q, w1r, w1i, w2r, w2i, w3r, w3i);
            if (simdBits >= 128 && Vector128.IsHardwareAccelerated && s >= 4)
                for (; q <= s - 4; q += 4)
                    Radix4Vec128(xr, xi, yr, yi, i0 + q, i1 + q, i2 + q, i3 + q, o0 + q, o1 + q, o2 + q, o3 + q, w1r, w1i, w2r, w2i, w3r, w3i);
            for (; q < s; q++)
            {
                float ar = xr[i0 + q], ai = xi[i0 + q], br = xr[i1 + q], bi = xi[i1 + q];
                float cr = xr[i2 + q], ci = xi[i2 + q], dr = xr[i3 + q], di = xi[i3 + q];
                float t0r = ar + cr, t0i = ai + ci, t1r = ar - cr, t1i = ai - ci;
                float t2r = br + dr, t2i = bi + di, t3r = br - dr, t3i = bi - di;
                // forward: y1 = t1 - i t3, y3 = t1 + i t3
                float y0r = t0r + t2r, y0i = t0i + t2i, y2r = t0r - t2r, y2i = t0i - t2i;
                float y1r = t1r + t3i, y1i = t1i - t3r, y3r = t1r - t3i, y3i = t1i + t3r;
                yr[o0 + q] = y0r; yi[o0 + q] = y0i;
                yr[o1 + q] = y1r * w1r - y1i * w1i; yi[o1 + q] = y1r * w1i + y1i * w1r;
                yr[o2 + q] = y2r * w2r - y2i * w2i; yi[o2 + q] = y2r * w2i + y2i * w2r;
                yr[o3 + q] = y3r * w3r - y3i * w3i; yi[o3 + q] = y3r * w3i + y3i * w3r;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Radix4Vec512(ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi,
        int i0, int i1, int i2, int i3, int o0, int o1, int o2, int o3, float w1r, float w1i, float w2r, float w2i, float w3r, float w3i)
    {
        var ar = Vector512.Create(xr.Slice(i0, 16)); var ai = Vector512.Create(xi.Slice(i0, 16));
        var br = Vector512.Create(xr.Slice(i1, 16)); var bi = Vector512.Create(xi.Slice(i1, 16));
        var cr = Vector512.Create(xr.Slice(i2, 16)); var ci = Vector512.Create(xi.Slice(i2, 16));
        var dr = Vector512.Create(xr.Slice(i3, 16)); var di = Vector512.Create(xi.Slice(i3, 16));
        var t0r = ar + cr; var t0i = ai + ci; var t1r = ar - cr; var t1i = ai - ci;
        var t2r = br + dr; var t2i = bi + di; var t3r = br - dr; var t3i = bi - di;
        (t0r + t2r).CopyTo(yr.Slice(o0)); (t0i + t2i).CopyTo(yi.Slice(o0));
        var y1r = t1r + t3i; var y1i = t1i - t3r; var y2r = t0r - t2r; var y2i = t0i - t2i; var y3r = t1r - t3i; var y3i = t1i + t3r;
        var a = Vector512.Create(w1r); var b = Vector512.Create(w1i);
        (y1r * a - y1i * b).CopyTo(yr.Slice(o1)); (y1r * b + y1i * a).CopyTo(yi.Slice(o1));
        a = Vector512.Create(w2r); b = Vector512.Create(w2i);
        (y2r * a - y2i * b).CopyTo(yr.Slice(o2)); (y2r * b + y2i * a).CopyTo(yi.Slice(o2));
        a = Vector512.Create(w3r); b = Vector512.Create(w3i);
        (y3r * a - y3i * b).CopyTo(yr.Slice(o3)); (y3r * b + y3i * a).CopyTo(yi.Slice(o3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Radix4Vec256(ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi,
        int i0, int i1, int i2, int i3, int o0, int o1, int o2, int o3, float w1r, float w1i, float w2r, float w2i, float w3r, float w3i)
    {
        var ar = Vector256.Create(xr.Slice(i0, 8)); var ai = Vector256.Create(xi.Slice(i0, 8));
        var br = Vector256.Create(xr.Slice(i1, 8)); var bi = Vector256.Create(xi.Slice(i1, 8));
        var cr = Vector256.Create(xr.Slice(i2, 8)); var ci = Vector256.Create(xi.Slice(i2, 8));
        var dr = Vector256.Create(xr.Slice(i3, 8)); var di = Vector256.Create(xi.Slice(i3, 8));
        var t0r = ar + cr; var t0i = ai + ci; var t1r = ar - cr; var t1i = ai - ci;
        var t2r = br + dr; var t2i = bi + di; var t3r = br - dr; var t3i = bi - di;
        (t0r + t2r).CopyTo(yr.Slice(o0)); (t0i + t2i).CopyTo(yi.Slice(o0));
        var y1r = t1r + t3i; var y1i = t1i - t3r; var y2r = t0r - t2r; var y2i = t0i - t2i; var y3r = t1r - t3i; var y3i = t1i + t3r;
        var a = Vector256.Create(w1r); var b = Vector256.Create(w1i);
        (y1r * a - y1i * b).CopyTo(yr.Slice(o1)); (y1r * b + y1i * a).CopyTo(yi.Slice(o1));
        a = Vector256.Create(w2r); b = Vector256.Create(w2i);
        (y2r * a - y2i * b).CopyTo(yr.Slice(o2)); (y2r * b + y2i * a).CopyTo(yi.Slice(o2));
        a = Vector256.Create(w3r); b = Vector256.Create(w3i);
        (y3r * a - y3i * b).CopyTo(yr.Slice(o3)); (y3r * b + y3i * a).CopyTo(yi.Slice(o3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Radix4Vec128(ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi,
        int i0, int i1, int i2, int i3, int o0, int o1, int o2, int o3, float w1r, float w1i, float w2r, float w2i, float w3r, float w3i)
    {
        var ar = Vector128.Create(xr.Slice(i0, 4)); var ai = Vector128.Create(xi.Slice(i0, 4));
        var br = Vector128.Create(xr.Slice(i1, 4)); var bi = Vector128.Create(xi.Slice(i1, 4));
        var cr = Vector128.Create(xr.Slice(i2, 4)); var ci = Vector128.Create(xi.Slice(i2, 4));
        var dr = Vector128.Create(xr.Slice(i3, 4)); var di = Vector128.Create(xi.Slice(i3, 4));
        var t0r = ar + cr; var t0i = ai + ci; var t1r = ar - cr; var t1i = ai - ci;
        var t2r = br + dr; var t2i = bi + di; var t3r = br - dr; var t3i = bi - di;
        (t0r + t2r).CopyTo(yr.Slice(o0)); (t0i + t2i).CopyTo(yi.Slice(o0));
        var y1r = t1r + t3i; var y1i = t1i - t3r; var y2r = t0r - t2r; var y2i = t0i - t2i; var y3r = t1r - t3i; var y3i = t1i + t3r;
        var a = Vector128.Create(w1r); var b = Vector128.Create(w1i);
        (y1r * a - y1i * b).CopyTo(yr.Slice(o1)); (y1r * b + y1i * a).CopyTo(yi.Slice(o1));
        a = Vector128.Create(w2r); b = Vector128.Create(w2i);
        (y2r * a - y2i * b).CopyTo(yr.Slice(o2)); (y2r * b + y2i * a).CopyTo(yi.Slice(o2));
        a = Vector128.Create(w3r); b = Vector128.Create(w3i);
        (y3r * a - y3i * b).CopyTo(yr.Slice(o3)); (y3r * b + y3i * a).CopyTo(yi.Slice(o3));
    }

    private static void Radix3(Stage st, ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi)
    {
        int s = st.Stride, m = st.Len / 3;
        const float c = -0.5f, d = -0.8660254037844386f; // W_3 = c + i d
        for (int p = 0; p < m; p++)
        {
            float w1r = st.TwRe[2 * p], w1i = st.TwIm[2 * p], w2r = st.TwRe[2 * p + 1], w2i = st.TwIm[2 * p + 1];
            int i0 = s * p, i1 = s * (p + m), i2 = s * (p + 2 * m), o0 = s * 3 * p, o1 = o0 + s, o2 = o1 + s;
            for (int q = 0; q < s; q++)
            {
                float ar = xr[i0 + q], ai = xi[i0 + q], br = xr[i1 + q], bi = xi[i1 + q], cr = xr[i2 + q], ci = xi[i2 + q];
                float sr = br + cr, si = bi + ci, dr = br - cr, di = bi - ci;
                float mr = ar + c * sr, mi = ai + c * si;
                // y1 = a + W b + W² c = m + i d (b - c);  y2 = m - i d (b - c)
                float y1r = mr - d * di, y1i = mi + d * dr, y2r = mr + d * di, y2i = mi - d * dr;
                yr[o0 + q] = ar + sr; yi[o0 + q] = ai + si;
                yr[o1 + q] = y1r * w1r - y1i * w1i; yi[o1 + q] = y1r * w1i + y1i * w1r;
                yr[o2 + q] = y2r * w2r - y2i * w2i; yi[o2 + q] = y2r * w2i + y2i * w2r;
            }
        }
    }

    private static void RadixGeneric(Stage st, ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi)
    {
        int r = st.Radix, s = st.Stride, m = st.Len / r;
        var rootRe = st.RootRe!; var rootIm = st.RootIm!;
        Span<float> ar = stackalloc float[r];
        Span<float> ai = stackalloc float[r];
        for (int p = 0; p < m; p++)
        {
            for (int q = 0; q < s; q++)
            {
                for (int k = 0; k < r; k++) { ar[k] = xr[q + s * (p + k * m)]; ai[k] = xi[q + s * (p + k * m)]; }
                for (int j = 0; j < r; j++)
                {
                    float sr = 0, si = 0;
                    int idx = 0;
                    for (int k = 0; k < r; k++)
                    {
                        float wr = rootRe[idx], wi = rootIm[idx];
                        sr += ar[k] * wr - ai[k] * wi; si += ar[k] * wi + ai[k] * wr;
                        idx += j; if (idx >= r) idx -= r;
                    }
                    int o = q + s * (r * p + j);
                    if (j == 0) { yr[o] = sr; yi[o] = si; }
                    else
                    {
                        float wr = st.TwRe[p * (r - 1) + j - 1], wi = st.TwIm[p * (r - 1) + j - 1];
                        yr[o] = sr * wr - si * wi; yi[o] = sr * wi + si * wr;
                    }
                }
            }
        }
    }

    // ---- Bluestein chirp-z for sizes with a large prime factor ---------------------------------------------

    private sealed class Bluestein
    {
        private readonly int _n, _m;
        private readonly FftPlan _inner;
        private readonly float[] _chirpRe, _chirpIm;   // w[k] = e^{-iπ k²/n}
        private readonly float[] _kernRe, _kernIm;     // FFT of conj(w) arranged circularly, pre-scaled by 1/m

        public int ScratchLength => 4 * _m + _inner.ScratchLength;

        public Bluestein(int n)
        {
            _n = n;
            _m = 1;
            while (_m < 2 * n - 1) _m <<= 1;
            _inner = Get(_m);
            _chirpRe = new float[n]; _chirpIm = new float[n];
            var br = new float[_m]; var bi = new float[_m];
            for (int k = 0; k < n; k++)
            {
                long k2 = (long)k * k % (2L * n); // exact angle reduction
                double a = -Math.PI * k2 / n;
                _chirpRe[k] = (float)Math.Cos(a); _chirpIm[k] = (float)Math.Sin(a);
                br[k] = _chirpRe[k]; bi[k] = -_chirpIm[k];
                if (k > 0) { br[_m - k] = br[k]; bi[_m - k] = bi[k]; }
            }
            _kernRe = new float[_m]; _kernIm = new float[_m];
            var scratch = new float[_inner.ScratchLength];
            _inner.Forward(br, bi, _kernRe, _kernIm, scratch);
            float s = 1f / _m;
            for (int i = 0; i < _m; i++) { _kernRe[i] *= s; _kernIm[i] *= s; }
        }

        public void Transform(Span<float> re, Span<float> im, Span<float> scratch, int simdBits)
        {
            int n = _n, m = _m;
            Span<float> ar = scratch[..m], ai = scratch.Slice(m, m), fr = scratch.Slice(2 * m, m), fi = scratch.Slice(3 * m, m);
            Span<float> inner = scratch[(4 * m)..];
            for (int k = 0; k < n; k++)
            {
                float xr = re[k], xi = im[k], wr = _chirpRe[k], wi = _chirpIm[k];
                ar[k] = xr * wr - xi * wi; ai[k] = xr * wi + xi * wr;
            }
            ar[n..].Clear(); ai[n..].Clear();
            _inner.Run(ar, ai, fr, fi, inner, inverse: false, simdBits);
            // Multiply by the kernel spectrum, then inverse via conjugation (the 1/m is folded into the kernel).
            for (int k = 0; k < m; k++)
            {
                float xr = fr[k], xi = fi[k], kr = _kernRe[k], ki = _kernIm[k];
                fr[k] = xr * kr - xi * ki; fi[k] = -(xr * ki + xi * kr);
            }
            _inner.Run(fr, fi, ar, ai, inner, inverse: false, simdBits);
            for (int k = 0; k < n; k++)
            {
                float xr = ar[k], xi = -ai[k], wr = _chirpRe[k], wi = _chirpIm[k];
                re[k] = xr * wr - xi * wi; im[k] = xr * wi + xi * wr;
            }
        }
    }
}
