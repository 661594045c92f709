using System.Runtime.Intrinsics;

namespace Affetto.Nn.Kernels;

/// <summary>
/// Lane masks for the last, partial vector of a row: with AVX-512's masked loads and stores a row of 11 or 12 floats
/// (EfficientNetV2's 4 x 11 and 2 x 6 planes) is one vector step instead of a scalar loop.
/// </summary>
internal static class TailMask
{
    private static readonly Vector512<int> s_iota = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

    /// <summary>Lanes 0 .. <paramref name="n"/> - 1 set (all of them for n of 16 or more).</summary>
    internal static Vector512<float> First(int n) => Vector512.LessThan(s_iota, Vector512.Create(n)).AsSingle();
}
