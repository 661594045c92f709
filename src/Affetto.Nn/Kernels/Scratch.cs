using System.Runtime.InteropServices;

namespace Affetto.Nn.Kernels;

/// <summary>
/// Per-thread, 64-byte aligned scratch buffers that grow on demand and are kept for the thread's lifetime,
/// so steady-state kernel calls do not allocate. Each slot serves one non-reentrant user.
/// </summary>
internal static unsafe class Scratch
{
    internal const int GemmA = 0, GemmB = 1, ConvInput = 2, ConvWeight = 3, ConvCol = 4, ConvAux = 5, ConvOffsets = 6, Count = 7;

    [ThreadStatic] private static Buffers? t_buffers;

    private sealed class Buffers
    {
        public readonly float*[] Ptr = new float*[Count];
        public readonly long[] Len = new long[Count];

        ~Buffers()
        {
            for (int i = 0; i < Count; i++)
            {
                if (Ptr[i] != null) NativeMemory.AlignedFree(Ptr[i]);
            }
        }
    }

    /// <summary>Returns at least <paramref name="length"/> floats for <paramref name="slot"/> (contents undefined).</summary>
    internal static float* Get(int slot, long length)
    {
        Buffers b = t_buffers ??= new Buffers();
        if (b.Len[slot] < length)
        {
            if (b.Ptr[slot] != null) NativeMemory.AlignedFree(b.Ptr[slot]);
            long grown = Math.Max(length, b.Len[slot] * 3 / 2) + 64;
            b.Ptr[slot] = (float*)NativeMemory.AlignedAlloc((nuint)(grown * sizeof(float)), 64);
            b.Len[slot] = grown;
        }

        return b.Ptr[slot];
    }
}
