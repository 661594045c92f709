using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Affetto.Models.Emotion.Inference;

/// <summary>
/// The horizontal half of a 2x2 max pool followed by ReLU: dst[j] = max(row[2j], row[2j+1], 0). Vectorised by
/// de-interleaving even and odd columns (AVX-512 two-source permutes, AVX shuffles), with IEEE maxima so a NaN
/// propagates as in the unfused layers.
/// </summary>
internal static unsafe class PairMax
{
    private static readonly Vector512<int> s_even512 = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    private static readonly Vector512<int> s_odd512 = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);

    /// <summary>Writes <paramref name="count"/> outputs from 2·count inputs.</summary>
    public static void Relu(float* row, float* dst, int count)
    {
        int j = 0;
        if (Avx512F.IsSupported)
        {
            var even = s_even512;
            var odd = s_odd512;
            for (; j <= count - 16; j += 16)
            {
                var a = Vector512.Load(row + 2 * j);
                var b = Vector512.Load(row + 2 * j + 16);
                var m = Vector512.Max(Avx512F.PermuteVar16x32x2(a, even, b), Avx512F.PermuteVar16x32x2(a, odd, b));
                Vector512.Max(m, Vector512<float>.Zero).Store(dst + j);
            }
        }
        if (Avx2.IsSupported)
        {
            for (; j <= count - 8; j += 8)
            {
                var a = Vector256.Load(row + 2 * j);
                var b = Vector256.Load(row + 2 * j + 8);
                // Per 128-bit lane: [a0 a2 b0 b2 | a4 a6 b4 b6]; the 64-bit permute restores column order.
                var e = Avx2.Permute4x64(Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();
                var o = Avx2.Permute4x64(Avx.Shuffle(a, b, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();
                Vector256.Max(Vector256.Max(e, o), Vector256<float>.Zero).Store(dst + j);
            }
        }
        for (; j < count; j++)
            dst[j] = MathF.Max(MathF.Max(row[2 * j], row[2 * j + 1]), 0f);
    }
}
