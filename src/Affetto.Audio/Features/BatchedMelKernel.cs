using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Affetto.Audio.Filters;
using Affetto.Audio.Transforms;

namespace Affetto.Audio.Features;

/// <summary>
/// Mel spectrogram of 16 frames at a time with the frames in the SIMD lanes (lane-major layout): the windowed
/// frames are transposed into Vector512 elements, the half-size complex FFT (radix 4/2 Stockham), the real-FFT
/// split, |X|^power and the sparse mel band product then run as plain Vector512 arithmetic with broadcast
/// twiddles and weights, and each mel band's 16 results are stored contiguously in the [nMels, frames] output.
/// Frames are loaded with AVX2 gathers when available (strided by hop), else by a scalar transpose.
/// Same arithmetic as the per-frame path up to float rounding. Used when nFft is even, nFft/2 is a power of two
/// and power is 1 or 2; the instance owns its scratch, so use one instance per thread.
/// </summary>
internal sealed class BatchedMelKernel
{
    internal const int Lanes = 16;
    private readonly int _nFft, _half, _bins, _nMels;
    private readonly float[] _window;
    private readonly (int Radix, int Len, int Stride, float[] TwRe, float[] TwIm)[] _stages;
    private readonly float[] _splitRe, _splitIm;
    private readonly ShortTimeFourierTransform _stft;
    private readonly MelFilterBank _bank;
    private readonly int[] _bandStart, _bandLength;
    private readonly float[] _aRe, _aIm, _bRe, _bIm, _power, _tail;

    internal static bool Supports(ShortTimeFourierTransform stft, float power)
    {
        int n = stft.NFft;
        return (power == 1f || power == 2f) && n % 2 == 0 && n >= 8 && RealFftPlan.Get(n).Complex.IsRadix2Or4;
    }

    internal BatchedMelKernel(ShortTimeFourierTransform stft, MelFilterBank bank)
    {
        _nFft = stft.NFft; _half = _nFft / 2; _bins = stft.Bins; _nMels = bank.NMels;
        _window = stft.PaddedWindow.ToArray();
        var rp = RealFftPlan.Get(_nFft);
        _stages = rp.Complex.StageInfo.ToArray();
        _splitRe = rp.SplitTwiddleRe.ToArray(); _splitIm = rp.SplitTwiddleIm.ToArray();
        _stft = stft;
        _bank = bank;
        _bandStart = new int[_nMels]; _bandLength = new int[_nMels];
        for (int m = 0; m < _nMels; m++)
        {
            var row = bank.Weights.Row(m);
            int a = 0; while (a < row.Length && row[a] == 0) a++;
            int b = row.Length; while (b > a && row[b - 1] == 0) b--;
            _bandStart[m] = a; _bandLength[m] = b - a;
        }
        _aRe = new float[_half * Lanes]; _aIm = new float[_half * Lanes];
        _bRe = new float[_half * Lanes]; _bIm = new float[_half * Lanes];
        _power = new float[_bins * Lanes];
        _tail = new float[Lanes];
    }

    // A thread's recently used kernels: the scratch is a third of a megabyte for n_fft 2048, too much to allocate per
    // call when a front end computes a spectrogram for every 2 s segment. A few entries cover models with several views.
    [ThreadStatic] private static BatchedMelKernel?[]? t_recent;

    /// <summary>This thread's kernel for <paramref name="stft"/> and <paramref name="bank"/> (created on first use).</summary>
    internal static BatchedMelKernel ForThisThread(ShortTimeFourierTransform stft, MelFilterBank bank)
    {
        var recent = t_recent ??= new BatchedMelKernel?[4];
        for (int i = 0; i < recent.Length; i++)
        {
            if (recent[i] is { } k && ReferenceEquals(k._stft, stft) && ReferenceEquals(k._bank, bank))
                return k;
        }
        var created = new BatchedMelKernel(stft, bank);
        Array.Copy(recent, 0, recent, 1, recent.Length - 1);
        recent[0] = created;
        return created;
    }

    /// <summary>Mel of frames [t0, t0 + count) (count ≤ 16) of a padded signal into dest [nMels, frames].</summary>
    internal void Process(ReadOnlySpan<float> padded, int hop, int t0, int count, float power, Span<float> dest, int frames)
    {
        LoadFrames(padded, hop, t0, count);
        bool inA = true;
        foreach (var st in _stages)
        {
            if (inA) Stage(st, _aRe, _aIm, _bRe, _bIm); else Stage(st, _bRe, _bIm, _aRe, _aIm);
            inA = !inA;
        }
        var zr = inA ? _aRe : _bRe; var zi = inA ? _aIm : _bIm;
        SplitPower(zr, zi, power);
        MelProduct(t0, count, dest, frames);
    }

    private void LoadFrames(ReadOnlySpan<float> padded, int hop, int t0, int count)
    {
        // z[k] = x[2k] + i x[2k+1] of each windowed frame, lane f = frame t0 + f (missing lanes zero).
        var re = _aRe; var im = _aIm; var w = _window;
        if (count == Lanes && System.Runtime.Intrinsics.X86.Avx2.IsSupported)
        {
            // Gather lane f's sample from frame t0 + f: index f·hop (+ 2k, + 2k + 1) from the batch start.
            var lo = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * hop;
            var hi = lo + Vector256.Create(8 * hop);
            ref var vr = ref V(re); ref var vi = ref V(im);
            unsafe
            {
                fixed (float* basePtr = padded.Slice(t0 * hop, (Lanes - 1) * hop + _nFft))
                {
                    for (int k = 0; k < _half; k++)
                    {
                        float* pe = basePtr + 2 * k, po = pe + 1;
                        var ge = Vector512.Create(System.Runtime.Intrinsics.X86.Avx2.GatherVector256(pe, lo, 4), System.Runtime.Intrinsics.X86.Avx2.GatherVector256(pe, hi, 4));
                        var go = Vector512.Create(System.Runtime.Intrinsics.X86.Avx2.GatherVector256(po, lo, 4), System.Runtime.Intrinsics.X86.Avx2.GatherVector256(po, hi, 4));
                        Unsafe.Add(ref vr, k) = ge * Vector512.Create(w[2 * k]);
                        Unsafe.Add(ref vi, k) = go * Vector512.Create(w[2 * k + 1]);
                    }
                }
            }
            return;
        }
        for (int f = 0; f < Lanes; f++)
        {
            if (f >= count)
            {
                for (int k = 0; k < _half; k++) { re[k * Lanes + f] = 0; im[k * Lanes + f] = 0; }
                continue;
            }
            var frame = padded.Slice((t0 + f) * hop, _nFft);
            for (int k = 0; k < _half; k++)
            {
                re[k * Lanes + f] = frame[2 * k] * w[2 * k];
                im[k * Lanes + f] = frame[2 * k + 1] * w[2 * k + 1];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref Vector512<float> V(float[] a) => ref Unsafe.As<float, Vector512<float>>(ref MemoryMarshal.GetArrayDataReference(a));

    private static void Stage((int Radix, int Len, int Stride, float[] TwRe, float[] TwIm) st, float[] xrA, float[] xiA, float[] yrA, float[] yiA)
    {
        ref var xr = ref V(xrA); ref var xi = ref V(xiA); ref var yr = ref V(yrA); ref var yi = ref V(yiA);
        int s = st.Stride;
        if (st.Radix == 4)
        {
            int m = st.Len / 4;
            for (int p = 0; p < m; p++)
            {
                var w1r = Vector512.Create(st.TwRe[3 * p]); var w1i = Vector512.Create(st.TwIm[3 * p]);
                var w2r = Vector512.Create(st.TwRe[3 * p + 1]); var w2i = Vector512.Create(st.TwIm[3 * p + 1]);
                var w3r = Vector512.Create(st.TwRe[3 * p + 2]); var w3i = Vector512.Create(st.TwIm[3 * p + 2]);
                int i0 = s * p, i1 = s * (p + m), i2 = s * (p + 2 * m), i3 = s * (p + 3 * m), o0 = s * 4 * p;
                for (int q = 0; q < s; q++)
                {
                    var ar = Unsafe.Add(ref xr, i0 + q); var ai = Unsafe.Add(ref xi, i0 + q);
                    var br = Unsafe.Add(ref xr, i1 + q); var bi = Unsafe.Add(ref xi, i1 + q);
                    var cr = Unsafe.Add(ref xr, i2 + q); var ci = Unsafe.Add(ref xi, i2 + q);
                    var dr = Unsafe.Add(ref xr, i3 + q); var di = Unsafe.Add(ref xi, i3 + q);
                    var t0r = ar + cr; var t0i = ai + ci; var t1r = ar - cr; var t1i = ai - ci;
                    var t2r = br + dr; var t2i = bi + di; var t3r = br - dr; var t3i = bi - di;
                    int o = o0 + q;
                    Unsafe.Add(ref yr, o) = t0r + t2r; Unsafe.Add(ref yi, o) = t0i + t2i;
                    var y1r = t1r + t3i; var y1i = t1i - t3r; var y2r = t0r - t2r; var y2i = t0i - t2i; var y3r = t1r - t3i; var y3i = t1i + t3r;
                    Unsafe.Add(ref yr, o + s) = y1r * w1r - y1i * w1i; Unsafe.Add(ref yi, o + s) = y1r * w1i + y1i * w1r;
                    Unsafe.Add(ref yr, o + 2 * s) = y2r * w2r - y2i * w2i; Unsafe.Add(ref yi, o + 2 * s) = y2r * w2i + y2i * w2r;
                    Unsafe.Add(ref yr, o + 3 * s) = y3r * w3r - y3i * w3i; Unsafe.Add(ref yi, o + 3 * s) = y3r * w3i + y3i * w3r;
                }
            }
        }
        else
        {
            int m = st.Len / 2;
            for (int p = 0; p < m; p++)
            {
                var wr = Vector512.Create(st.TwRe[p]); var wi = Vector512.Create(st.TwIm[p]);
                int i0 = s * p, i1 = s * (p + m), o0 = s * 2 * p;
                for (int q = 0; q < s; q++)
                {
                    var ar = Unsafe.Add(ref xr, i0 + q); var ai = Unsafe.Add(ref xi, i0 + q);
                    var br = Unsafe.Add(ref xr, i1 + q); var bi = Unsafe.Add(ref xi, i1 + q);
                    Unsafe.Add(ref yr, o0 + q) = ar + br; Unsafe.Add(ref yi, o0 + q) = ai + bi;
                    var dr = ar - br; var di = ai - bi;
                    Unsafe.Add(ref yr, o0 + s + q) = dr * wr - di * wi; Unsafe.Add(ref yi, o0 + s + q) = dr * wi + di * wr;
                }
            }
        }
    }

    private void SplitPower(float[] zrA, float[] ziA, float power)
    {
        ref var zr = ref V(zrA); ref var zi = ref V(ziA); ref var P = ref V(_power);
        int h = _half;
        var half = Vector512.Create(0.5f);
        // DC and Nyquist: X[0] = Zr + Zi, X[h] = Zr - Zi (real).
        var z0r = zr; var z0i = zi;
        Unsafe.Add(ref P, 0) = Finish((z0r + z0i) * (z0r + z0i), power);
        Unsafe.Add(ref P, h) = Finish((z0r - z0i) * (z0r - z0i), power);
        for (int k = 1; k < h; k++)
        {
            var ar = Unsafe.Add(ref zr, k); var ai = Unsafe.Add(ref zi, k);
            var cr = Unsafe.Add(ref zr, h - k); var ci = -Unsafe.Add(ref zi, h - k);
            var er = half * (ar + cr); var ei = half * (ai + ci);
            var or = half * (ai - ci); var oi = half * (cr - ar);
            var wr = Vector512.Create(_splitRe[k]); var wi = Vector512.Create(_splitIm[k]);
            var xr = er + or * wr - oi * wi;
            var xi = ei + or * wi + oi * wr;
            Unsafe.Add(ref P, k) = Finish(xi * xi + xr * xr, power);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Finish(Vector512<float> p, float power) => power == 2f ? p : Vector512.Sqrt(p);

    private void MelProduct(int t0, int count, Span<float> dest, int frames)
    {
        ref var P = ref V(_power);
        var w = _bank.Weights.Data;
        for (int m = 0; m < _nMels; m++)
        {
            var acc = Vector512<float>.Zero;
            int a = _bandStart[m], len = _bandLength[m], row = m * _bins;
            for (int k = a; k < a + len; k++) acc += Vector512.Create(w[row + k]) * Unsafe.Add(ref P, k);
            if (count == Lanes) acc.CopyTo(dest.Slice(m * frames + t0, Lanes));
            else
            {
                acc.CopyTo(_tail);
                _tail.AsSpan(0, count).CopyTo(dest.Slice(m * frames + t0, count));
            }
        }
    }
}
