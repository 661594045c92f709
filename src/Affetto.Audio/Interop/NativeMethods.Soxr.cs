using System.Runtime.InteropServices;

namespace Affetto.Audio.Interop;

internal static partial class NativeMethods
{
    // soxr.h quality recipes: SOXR_HQ is SOXR_20_BITQ, what python-soxr (and librosa's 'soxr_hq') selects.
    internal const nuint SOXR_HQ = 4;

    [LibraryImport(SoxrLibrary)]
    internal static partial SoxrQualitySpec soxr_quality_spec(nuint recipe, nuint flags);

    /// <summary>
    /// Creates a resampler. io_spec and runtime_spec are passed as NULL: float32 interleaved in and out, one thread.
    /// </summary>
    [LibraryImport(SoxrLibrary)]
    internal static partial SoxrHandle soxr_create(
        double inputRate, double outputRate, uint channels, out nint error, nint ioSpec, in SoxrQualitySpec quality, nint runtimeSpec);

    /// <summary>Returns NULL on success, else a static error string. A NULL input means end of input (flush).</summary>
    [LibraryImport(SoxrLibrary)]
    internal static unsafe partial nint soxr_process(
        SoxrHandle resampler, float* input, nuint inputFrames, out nuint inputDone, float* output, nuint outputFrames, out nuint outputDone);

    [LibraryImport(SoxrLibrary)]
    internal static partial nint soxr_clear(SoxrHandle resampler);

    [LibraryImport(SoxrLibrary)]
    internal static partial void soxr_delete(nint resampler);
}
