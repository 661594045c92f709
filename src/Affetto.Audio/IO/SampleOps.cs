using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Affetto.Audio.IO;

/// <summary>Vectorised per-block sample kernels used by the decoder and the writer.</summary>
internal static class SampleOps
{
    /// <summary>Index of the first NaN or infinite sample, or -1 when all are finite.</summary>
    /// <remarks>
    /// x * 0 is ±0 for finite x and NaN otherwise, and NaN survives addition, so one multiply-add per vector
    /// answers "all finite?"; the scalar search for the position runs only when the answer is no.
    /// </remarks>
    public static int FirstNonFinite(ReadOnlySpan<float> x)
    {
        ref float p = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        bool finite = true;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                acc += Vector512.LoadUnsafe(ref p, (nuint)i) * Vector512<float>.Zero;
            finite = acc == Vector512<float>.Zero;
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                acc += Vector256.LoadUnsafe(ref p, (nuint)i) * Vector256<float>.Zero;
            finite = acc == Vector256<float>.Zero;
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            var acc = Vector128<float>.Zero;
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                acc += Vector128.LoadUnsafe(ref p, (nuint)i) * Vector128<float>.Zero;
            finite = acc == Vector128<float>.Zero;
        }
        if (!finite)
            i = 0;
        for (; i < n; i++)
        {
            if (!float.IsFinite(Unsafe.Add(ref p, i)))
                return i;
        }
        return -1;
    }

    /// <summary>
    /// Mean over channels of interleaved <paramref name="source"/> into <paramref name="mono"/> (one value per frame),
    /// summing channels in order and dividing by the count, as numpy's mean over a short axis does.
    /// </summary>
    public static void DownmixToMono(ReadOnlySpan<float> source, int channels, Span<float> mono)
    {
        int frames = mono.Length;
        if (source.Length < frames * channels)
            throw new ArgumentException("source is shorter than mono.Length frames", nameof(source));
        if (channels == 1)
        {
            source[..frames].CopyTo(mono);
            return;
        }
        if (channels == 2)
        {
            DownmixStereo(source, mono);
            return;
        }
        float divisor = channels;
        for (int f = 0; f < frames; f++)
        {
            var frame = source.Slice(f * channels, channels);
            float sum = frame[0];
            for (int c = 1; c < frame.Length; c++)
                sum += frame[c];
            mono[f] = sum / divisor;
        }
    }

    private static void DownmixStereo(ReadOnlySpan<float> source, Span<float> mono)
    {
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(mono);
        int frames = mono.Length, f = 0;
        if (Avx512F.IsSupported)
        {
            // Two registers hold 16 frames; a two-source permute separates left and right channels.
            var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            var odd = even + Vector512<int>.One;
            var half = Vector512.Create(0.5f);
            for (; f <= frames - 16; f += 16)
            {
                var a = Vector512.LoadUnsafe(ref src, (nuint)(2 * f));
                var b = Vector512.LoadUnsafe(ref src, (nuint)(2 * f + 16));
                var left = Avx512F.PermuteVar16x32x2(a, even, b);
                var right = Avx512F.PermuteVar16x32x2(a, odd, b);
                ((left + right) * half).StoreUnsafe(ref dst, (nuint)f);
            }
        }
        else if (Sse3.IsSupported)
        {
            // haddps of two registers yields the four frame sums in order.
            var half = Vector128.Create(0.5f);
            for (; f <= frames - 4; f += 4)
            {
                var a = Vector128.LoadUnsafe(ref src, (nuint)(2 * f));
                var b = Vector128.LoadUnsafe(ref src, (nuint)(2 * f + 4));
                (Sse3.HorizontalAdd(a, b) * half).StoreUnsafe(ref dst, (nuint)f);
            }
        }
        for (; f < frames; f++)
            Unsafe.Add(ref dst, f) = (Unsafe.Add(ref src, 2 * f) + Unsafe.Add(ref src, 2 * f + 1)) * 0.5f;
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> clipped to [-1, 1].</summary>
    public static void ClipUnit(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException("destination is shorter than source", nameof(destination));
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int n = source.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var lo = Vector512.Create(-1f);
            var hi = Vector512<float>.One;
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                Vector512.Min(Vector512.Max(Vector512.LoadUnsafe(ref src, (nuint)i), lo), hi).StoreUnsafe(ref dst, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var lo = Vector256.Create(-1f);
            var hi = Vector256<float>.One;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                Vector256.Min(Vector256.Max(Vector256.LoadUnsafe(ref src, (nuint)i), lo), hi).StoreUnsafe(ref dst, (nuint)i);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var lo = Vector128.Create(-1f);
            var hi = Vector128<float>.One;
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                Vector128.Min(Vector128.Max(Vector128.LoadUnsafe(ref src, (nuint)i), lo), hi).StoreUnsafe(ref dst, (nuint)i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref dst, i) = Math.Clamp(Unsafe.Add(ref src, i), -1f, 1f);
    }
}
