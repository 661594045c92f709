using System.Runtime.Intrinsics;

namespace Affetto.Nn.Kernels;

/// <summary>
/// Which vector width the kernels may use. Tests lower <see cref="MaxBits"/> to exercise the Vector256,
/// Vector128 and scalar paths on an AVX-512 machine; production code leaves it at 512. The setting flows
/// with the execution context (so parallel test classes do not disturb each other, and kernel worker
/// threads started from Parallel.For see the caller's value).
/// </summary>
internal static class SimdLevel
{
    private static readonly AsyncLocal<int> s_limit = new();

    // Reading an AsyncLocal walks the execution context, which showed up at 1% of an EfficientNetV2 pass (kernels ask
    // per plane): until something lowers the limit, which only tests do, the answer is 512 without the lookup.
    private static volatile bool s_everLimited;

    /// <summary>Largest vector width in bits the kernels may pick: 512, 256, 128 or 0 (scalar only).</summary>
    internal static int MaxBits
    {
        get => !s_everLimited || s_limit.Value == 0 ? 512 : (s_limit.Value < 0 ? 0 : s_limit.Value);
        set
        {
            s_everLimited = true;
            s_limit.Value = value <= 0 ? -1 : value;
        }
    }

    /// <summary>The vector width, in bits, the kernels use for this call: 512, 256, 128 or 0.</summary>
    internal static int Current
    {
        get
        {
            int max = MaxBits;
            if (max >= 512 && Vector512.IsHardwareAccelerated) return 512;
            if (max >= 256 && Vector256.IsHardwareAccelerated) return 256;
            if (max >= 128 && Vector128.IsHardwareAccelerated) return 128;
            return 0;
        }
    }
}
