using System.Runtime.Intrinsics;

namespace Affetto.Audio.Transforms;

/// <summary>
/// Widest vector path the hand-written kernels may use (bits). Kernels take it as a parameter so tests can run
/// the 512, 256, 128 and scalar paths side by side on one machine without a global switch.
/// </summary>
internal static class SimdWidth
{
    internal static readonly int Default =
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;

    internal static readonly int[] All = [512, 256, 128, 0];
}
