using System.Runtime.InteropServices;

namespace Affetto.Audio.IO;

/// <summary>
/// Maps the pages of a large, freshly allocated array in one system call instead of one page fault per 4 KiB page.
/// </summary>
/// <remarks>
/// The garbage collector hands large arrays out in memory the kernel has not mapped yet (it returns freed large
/// objects' pages to the system), so the first write to each page faults. On a virtual machine each fault is an
/// exit to the hypervisor: decoding a 30 s clip into a new array took ~650 of them, about a tenth of the
/// decode-and-log-mel time in <c>bench/run features</c>. <c>madvise(MADV_POPULATE_WRITE)</c> (Linux 5.14) maps the
/// whole range at once and leaves the contents alone; where it is unavailable the call fails and nothing changes.
/// </remarks>
internal static partial class PageFaults
{
    private const int MadvPopulateWrite = 23;
    private const int MinimumBytes = 1 << 20; // smaller arrays come from memory the runtime already touched
    private static bool s_unsupported = !OperatingSystem.IsLinux();

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);

    /// <summary>Prefaults the whole pages inside <paramref name="array"/> when it is at least 1 MiB; a no-op elsewhere.</summary>
    public static unsafe void Prefault(float[] array)
    {
        long bytes = (long)array.Length * sizeof(float);
        if (s_unsupported || bytes < MinimumBytes)
            return;
        fixed (float* p = array)
        {
            long pageSize = Environment.SystemPageSize;
            long start = ((long)p + pageSize - 1) & ~(pageSize - 1);
            long end = ((long)p + bytes) & ~(pageSize - 1);
            if (end > start && Madvise((nint)start, (nuint)(end - start), MadvPopulateWrite) != 0)
                s_unsupported = true; // EINVAL on kernels before 5.14: stop trying
        }
    }
}
