using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Affetto.Audio.Filters;
using Affetto.Audio.Transforms;

namespace Affetto.Audio.Features;

/// <summary>
/// Mel spectrogram of 16 frames at a time with the frames in the SIMD lanes (lane-major layout): the windowed
/// frames are transposed into Vector512 elements, the half-size complex FFT (radix 4/2, in place), the real-FFT
/// split, |X|^power and the sparse mel band product then run as plain Vector512 arithmetic with broadcast
/// twiddles and weights, and each mel band's 16 results are stored contiguously in the [nMels, frames] output.
/// The FFT runs in place, depth first: sixteen lanes of 1024 complex values are 128 KiB, more than the L1 cache, so
/// after the first stages only blocks that fit in L1 (256 points, 32 KiB) are carried through all remaining stages,
/// instead of streaming the whole array through L2 once per stage as an out-of-place (Stockham) FFT does.
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
    private readonly int[] _position;   // where the in-place FFT leaves Z[k] (mixed-radix digit reversal)
    private readonly int _l1Stage;      // first stage whose blocks fit in L1; it and later stages run block by block
    private readonly float[] _re, _im, _power, _tail;

    // Points per block carried through the remaining stages while in L1: 256 x 16 lanes x (re, im) x 4 B = 32 KiB.
    private const int L1BlockPoints = 256;

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
        _l1Stage = Array.FindIndex(_stages, st => st.Len <= L1BlockPoints);
        if (_l1Stage < 0) _l1Stage = _stages.Length;
        _position = new int[_half];
        for (int k = 0; k < _half; k++)
        {
            // A decimation-in-frequency stage of radix r over a block of length len = r·m sends the outputs
            // X[j + r·k'] of that block to sub-block j (offset j·m), where the later stages place k'.
            int at = 0, rest = k;
            foreach (var st in _stages)
            {
                int m = st.Len / st.Radix;
                at += rest % st.Radix * m;
                rest /= st.Radix;
            }
            _position[k] = at;
        }
        _re = new float[_half * Lanes]; _im = new float[_half * Lanes];
        _power = new float[_bins * Lanes];
        _tail = new float[Lanes];
    }

    // A thread's recently used kernels: the scratch is 200 KiB for n_fft 2048, too much to allocate per
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

    /// <summary>
    /// Mel of frames [t0, t0 + count) (count ≤ 16) into columns t0.. of dest [nMels, frames]; <paramref name="batch"/>
    /// starts at frame t0's first sample and holds <c>(count - 1) · hop + nFft</c> samples or more.
    /// </summary>
    internal void Process(ReadOnlySpan<float> batch, int hop, int t0, int count, float power, Span<float> dest, int frames)
    {
        LoadFrames(batch, hop, count);
        for (int i = 0; i < _l1Stage; i++)
            Stage(_stages[i], _re, _im, 0, _half);
        if (_l1Stage < _stages.Length)
        {
            int block = _stages[_l1Stage].Len;
            for (int start = 0; start < _half; start += block)
                for (int i = _l1Stage; i < _stages.Length; i++)
                    Stage(_stages[i], _re, _im, start, block);
        }
        SplitPower(_re, _im, power);
        MelProduct(t0, count, dest, frames);
    }

    private void LoadFrames(ReadOnlySpan<float> batch, int hop, int count)
    {
        // z[k] = x[2k] + i x[2k+1] of each windowed frame, lane f = the batch's frame f (missing lanes zero).
        var re = _re; var im = _im; var w = _window;
        if (count == Lanes && System.Runtime.Intrinsics.X86.Avx2.IsSupported)
        {
            // Gather lane f's sample from frame t0 + f: index f·hop (+ 2k, + 2k + 1) from the batch start.
            var lo = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * hop;
            var hi = lo + Vector256.Create(8 * hop);
            ref var vr = ref V(re); ref var vi = ref V(im);
            unsafe
            {
                fixed (float* basePtr = batch[..((Lanes - 1) * hop + _nFft)])
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
            var frame = batch.Slice(f * hop, _nFft);
            for (int k = 0; k < _half; k++)
            {
                re[k * Lanes + f] = frame[2 * k] * w[2 * k];
                im[k * Lanes + f] = frame[2 * k + 1] * w[2 * k + 1];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref Vector512<float> V(float[] a) => ref Unsafe.As<float, Vector512<float>>(ref MemoryMarshal.GetArrayDataReference(a));

    // One in-place decimation-in-frequency stage over [start, start + length) (a whole number of its blocks): in each
    // block of Len = r·m points, a_k = x[p + k·m] and x[p + j·m] = (Σ_k a_k W_r^{jk}) · W_Len^{p·j}. The same butterflies
    // and twiddles as FftPlan's Stockham stages; only where the results are stored differs.
    private static void Stage((int Radix, int Len, int Stride, float[] TwRe, float[] TwIm) st, float[] reA, float[] imA, int start, int length)
    {
        ref var xr = ref V(reA); ref var xi = ref V(imA);
        int len = st.Len;
        if (st.Radix == 4)
        {
            int m = len / 4;
            for (int b = start; b < start + length; b += len)
            {
                for (int p = 0; p < m; p++)
                {
                    var w1r = Vector512.Create(st.TwRe[3 * p]); var w1i = Vector512.Create(st.TwIm[3 * p]);
                    var w2r = Vector512.Create(st.TwRe[3 * p + 1]); var w2i = Vector512.Create(st.TwIm[3 * p + 1]);
                    var w3r = Vector512.Create(st.TwRe[3 * p + 2]); var w3i = Vector512.Create(st.TwIm[3 * p + 2]);
                    int i0 = b + p, i1 = i0 + m, i2 = i1 + m, i3 = i2 + m;
                    var ar = Unsafe.Add(ref xr, i0); var ai = Unsafe.Add(ref xi, i0);
                    var br = Unsafe.Add(ref xr, i1); var bi = Unsafe.Add(ref xi, i1);
                    var cr = Unsafe.Add(ref xr, i2); var ci = Unsafe.Add(ref xi, i2);
                    var dr = Unsafe.Add(ref xr, i3); var di = Unsafe.Add(ref xi, i3);
                    var t0r = ar + cr; var t0i = ai + ci; var t1r = ar - cr; var t1i = ai - ci;
                    var t2r = br + dr; var t2i = bi + di; var t3r = br - dr; var t3i = bi - di;
                    Unsafe.Add(ref xr, i0) = t0r + t2r; Unsafe.Add(ref xi, i0) = t0i + t2i;
                    var y1r = t1r + t3i; var y1i = t1i - t3r; var y2r = t0r - t2r; var y2i = t0i - t2i; var y3r = t1r - t3i; var y3i = t1i + t3r;
                    Unsafe.Add(ref xr, i1) = y1r * w1r - y1i * w1i; Unsafe.Add(ref xi, i1) = y1r * w1i + y1i * w1r;
                    Unsafe.Add(ref xr, i2) = y2r * w2r - y2i * w2i; Unsafe.Add(ref xi, i2) = y2r * w2i + y2i * w2r;
                    Unsafe.Add(ref xr, i3) = y3r * w3r - y3i * w3i; Unsafe.Add(ref xi, i3) = y3r * w3i + y3i * w3r;
                }
            }
        }
        else
        {
            int m = len / 2;
            for (int b = start; b < start + length; b += len)
            {
                for (int p = 0; p < m; p++)
                {
                    var wr = Vector512.Create(st.TwRe[p]); var wi = Vector512.Create(st.TwIm[p]);
                    int i0 = b + p, i1 = i0 + m;
                    var ar = Unsafe.Add(ref xr, i0); var ai = Unsafe.Add(ref xi, i0);
                    var br = Unsafe.Add(ref xr, i1); var bi = Unsafe.Add(ref xi, i1);
                    Unsafe.Add(ref xr, i0) = ar + br; Unsafe.Add(ref xi, i0) = ai + bi;
                    var dr = ar - br; var di = ai - bi;
                    Unsafe.Add(ref xr, i1) = dr * wr - di * wi; Unsafe.Add(ref xi, i1) = dr * wi + di * wr;
                }
            }
        }
    }

    private void SplitPower(float[] zrA, float[] ziA, float power)
    {
        ref var zr = ref V(zrA); ref var zi = ref V(ziA); ref var P = ref V(_power);
        int h = _half;
        var pos = _position;
        var half = Vector512.Create(0.5f);
        // DC and Nyquist: X[0] = Zr + Zi, X[h] = Zr - Zi (real). Z[k] is at pos[k] (Z[0] at 0).
        var z0r = zr; var z0i = zi;
        Unsafe.Add(ref P, 0) = Finish((z0r + z0i) * (z0r + z0i), power);
        Unsafe.Add(ref P, h) = Finish((z0r - z0i) * (z0r - z0i), power);
        for (int k = 1; k < h; k++)
        {
            int a = pos[k], c = pos[h - k];
            var ar = Unsafe.Add(ref zr, a); var ai = Unsafe.Add(ref zi, a);
            var cr = Unsafe.Add(ref zr, c); var ci = -Unsafe.Add(ref zi, c);
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
