using System.Collections.Concurrent;
using System.Runtime.Intrinsics;

namespace Affetto.Audio.Transforms;

/// <summary>
/// Precomputed plan for the FFT of real input of any size n, returning the n/2 + 1 non-negative frequency bins
/// (numpy <c>rfft</c> convention). Even n runs as a complex FFT of n/2 points plus a split step; odd n runs a
/// complex FFT of n points. Immutable and cached per size; callers pass scratch of <see cref="ScratchLength"/>.
/// </summary>
public sealed class RealFftPlan
{
    private static readonly ConcurrentDictionary<int, RealFftPlan> s_cache = new();
    private readonly FftPlan _complex;
    private readonly float[] _wRe = [], _wIm = [];   // e^{-2πik/n}, k < n/2 (even n)

    internal FftPlan Complex => _complex;
    internal ReadOnlySpan<float> SplitTwiddleRe => _wRe;
    internal ReadOnlySpan<float> SplitTwiddleIm => _wIm;

    /// <summary>Number of real input samples.</summary>
    public int Size { get; }

    /// <summary>Number of output bins, n/2 + 1.</summary>
    public int Bins => Size / 2 + 1;

    /// <summary>Floats of scratch needed by the forward and inverse transforms.</summary>
    public int ScratchLength { get; }

    /// <summary>Returns the cached plan for <paramref name="n"/> real samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is less than 1.</exception>
    public static RealFftPlan Get(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "FFT size must be at least 1.");
        return s_cache.GetOrAdd(n, static k => new RealFftPlan(k));
    }

    private RealFftPlan(int n)
    {
        Size = n;
        if (n % 2 == 0 && n >= 2)
        {
            int h = n / 2;
            _complex = FftPlan.Get(h);
            _wRe = new float[h]; _wIm = new float[h];
            for (int k = 0; k < h; k++)
            {
                double a = -2.0 * Math.PI * k / n;
                _wRe[k] = (float)Math.Cos(a); _wIm[k] = (float)Math.Sin(a);
            }
            ScratchLength = 2 * h + _complex.ScratchLength;
        }
        else
        {
            _complex = FftPlan.Get(n);
            ScratchLength = 2 * n + _complex.ScratchLength;
        }
    }

    /// <summary>Forward transform of <see cref="Size"/> real samples into <see cref="Bins"/> complex bins.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> outRe, Span<float> outIm, Span<float> scratch)
        => Forward(input, outRe, outIm, scratch, SimdWidth.Default);

    internal void Forward(ReadOnlySpan<float> input, Span<float> outRe, Span<float> outIm, Span<float> scratch, int simdBits)
    {
        int n = Size, bins = Bins;
        if (input.Length < n) throw new ArgumentException($"Real FFT of size {n} needs {n} input samples, got {input.Length}.", nameof(input));
        if (outRe.Length < bins || outIm.Length < bins) throw new ArgumentException($"Real FFT of size {n} writes {bins} bins.");
        if (scratch.Length < ScratchLength) throw new ArgumentException($"Real FFT of size {n} needs {ScratchLength} floats of scratch, got {scratch.Length}.", nameof(scratch));
        if (n == 1) { outRe[0] = input[0]; outIm[0] = 0; return; }
        if (n % 2 == 1)
        {
            Span<float> zr = scratch[..n], zi = scratch.Slice(n, n);
            input[..n].CopyTo(zr); zi.Clear();
            _complex.Run(zr, zi, zr, zi, scratch[(2 * n)..], inverse: false, simdBits);
            zr[..bins].CopyTo(outRe); zi[..bins].CopyTo(outIm);
            return;
        }
        int h = n / 2;
        Span<float> re = scratch[..h], im = scratch.Slice(h, h);
        Deinterleave(input[..n], re, im, simdBits);
        _complex.Run(re, im, re, im, scratch[(2 * h)..], inverse: false, simdBits);
        // Split: X[k] = E[k] + W^k O[k], E = (Z[k] + conj Z[h-k]) / 2, O = (Z[k] - conj Z[h-k]) / 2i.
        outRe[0] = re[0] + im[0]; outIm[0] = 0;
        outRe[h] = re[0] - im[0]; outIm[h] = 0;
        for (int k = 1; k < h; k++)
        {
            float zr = re[k], zi = im[k], cr = re[h - k], ci = -im[h - k];
            float er = 0.5f * (zr + cr), ei = 0.5f * (zi + ci);
            // (Z - conj Z')/(2i) = (di - i dr)/2 with d = Z - conj Z'
            float or = 0.5f * (zi - ci), oi = -0.5f * (zr - cr);
            float wr = _wRe[k], wi = _wIm[k];
            outRe[k] = er + or * wr - oi * wi;
            outIm[k] = ei + or * wi + oi * wr;
        }
    }

    /// <summary>
    /// Inverse transform (numpy <c>irfft</c> with n = <see cref="Size"/>): <see cref="Bins"/> bins to Size real
    /// samples, scaled by 1/n. The imaginary parts of the DC bin (and of the Nyquist bin for even n) are ignored.
    /// </summary>
    public void Inverse(ReadOnlySpan<float> inRe, ReadOnlySpan<float> inIm, Span<float> output, Span<float> scratch)
    {
        int n = Size, bins = Bins;
        if (inRe.Length < bins || inIm.Length < bins) throw new ArgumentException($"Inverse real FFT of size {n} needs {bins} bins.");
        if (output.Length < n) throw new ArgumentException($"Inverse real FFT of size {n} writes {n} samples.", nameof(output));
        if (scratch.Length < ScratchLength) throw new ArgumentException($"Inverse real FFT of size {n} needs {ScratchLength} floats of scratch, got {scratch.Length}.", nameof(scratch));
        if (n == 1) { output[0] = inRe[0]; return; }
        if (n % 2 == 1)
        {
            Span<float> zr = scratch[..n], zi = scratch.Slice(n, n);
            zr[0] = inRe[0]; zi[0] = 0;
            for (int k = 1; k < bins; k++)
            {
                zr[k] = inRe[k]; zi[k] = inIm[k];
                zr[n - k] = inRe[k]; zi[n - k] = -inIm[k];
            }
            _complex.Run(zr, zi, zr, zi, scratch[(2 * n)..], inverse: true, SimdWidth.Default);
            zr.CopyTo(output);
            return;
        }
        int h = n / 2;
        Span<float> re = scratch[..h], im = scratch.Slice(h, h);
        // Z[k] = E[k] + i O[k], E = (X[k] + conj X[h-k]) / 2, O = (X[k] - conj X[h-k]) W^{-k} / 2.
        for (int k = 0; k < h; k++)
        {
            // k = 0 pairs DC with Nyquist, whose imaginary parts are ignored (irfft semantics).
            float xr = inRe[k], xi = k == 0 ? 0 : inIm[k];
            float cr = inRe[h - k], ci = k == 0 ? 0 : -inIm[h - k];
            float er = 0.5f * (xr + cr), ei = 0.5f * (xi + ci);
            float dr = 0.5f * (xr - cr), di = 0.5f * (xi - ci);
            float wr = _wRe[k], wi = -_wIm[k];
            float or = dr * wr - di * wi, oi = dr * wi + di * wr;
            re[k] = er - oi; im[k] = ei + or;
        }
        _complex.Run(re, im, re, im, scratch[(2 * h)..], inverse: true, SimdWidth.Default);
        for (int k = 0; k < h; k++) { output[2 * k] = re[k]; output[2 * k + 1] = im[k]; }
    }

    private static void Deinterleave(ReadOnlySpan<float> x, Span<float> even, Span<float> odd, int simdBits)
    {
        int h = even.Length, k = 0;
        if (simdBits >= 512 && Vector512.IsHardwareAccelerated)
        {
            var idxE = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            var idxO = idxE + Vector512<int>.One;
            for (; k <= h - 16; k += 16)
            {
                var a = Vector512.Create(x.Slice(2 * k, 16));
                var b = Vector512.Create(x.Slice(2 * k + 16, 16));
                Avx512Permute(a, b, idxE).CopyTo(even.Slice(k));
                Avx512Permute(a, b, idxO).CopyTo(odd.Slice(k));
            }
        }
        for (; k < h; k++) { even[k] = x[2 * k]; odd[k] = x[2 * k + 1]; }
    }

    private static Vector512<float> Avx512Permute(Vector512<float> a, Vector512<float> b, Vector512<int> idx)
        => System.Runtime.Intrinsics.X86.Avx512F.IsSupported
            ? System.Runtime.Intrinsics.X86.Avx512F.PermuteVar16x32x2(a, idx, b)
            : Gather(a, b, idx);

    private static Vector512<float> Gather(Vector512<float> a, Vector512<float> b, Vector512<int> idx)
    {
        Span<float> t = stackalloc float[32];
        a.CopyTo(t); b.CopyTo(t[16..]);
        Span<float> r = stackalloc float[16];
        for (int i = 0; i < 16; i++) r[i] = t[idx[i]];
        return Vector512.Create((ReadOnlySpan<float>)r);
    }
}
