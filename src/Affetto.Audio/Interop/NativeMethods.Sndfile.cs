using System.Runtime.InteropServices;

namespace Affetto.Audio.Interop;

internal static partial class NativeMethods
{
    internal const int SFM_READ = 0x10;
    internal const int SFM_WRITE = 0x20;
    internal const int SEEK_SET = 0;

    internal const int SF_FORMAT_SUBMASK = 0x0000FFFF;
    internal const int SF_FORMAT_TYPEMASK = 0x0FFF0000;
    internal const int SF_FORMAT_OGG = 0x200000;
    internal const int SF_FORMAT_OPUS = 0x0064;

    internal const int SFC_GET_LIB_VERSION = 0x1000;
    internal const int SFC_GET_LOG_INFO = 0x1001;
    internal const int SFC_SET_CLIPPING = 0x10C0;
    internal const int SFC_GET_FORMAT_MAJOR_COUNT = 0x1030;
    internal const int SFC_GET_FORMAT_MAJOR = 0x1031;
    internal const int SFC_GET_FORMAT_SUBTYPE_COUNT = 0x1032;
    internal const int SFC_GET_FORMAT_SUBTYPE = 0x1033;

    // Error numbers returned by sf_error for a failed sf_open (internal libsndfile codes, stable across 1.x).
    internal const int SF_ERR_SYSTEM = 2;
    internal const int SFE_BAD_SF_INFO = 24;
    internal const int SFE_CHANNEL_COUNT_ZERO = 32;
    internal const int SFE_CHANNEL_COUNT = 33;

    [LibraryImport(SndfileLibrary, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial SndfileHandle sf_open(string path, int mode, ref SfInfo info);

    [LibraryImport(SndfileLibrary)]
    internal static partial int sf_close(nint sndfile);

    [LibraryImport(SndfileLibrary)]
    internal static partial int sf_error(SndfileHandle sndfile);

    /// <summary><c>sf_error(NULL)</c>: the error of the last failed <c>sf_open</c> (process-global).</summary>
    [LibraryImport(SndfileLibrary, EntryPoint = "sf_error")]
    internal static partial int sf_error_global(nint zero);

    [LibraryImport(SndfileLibrary)]
    internal static partial nint sf_strerror(SndfileHandle sndfile);

    /// <summary><c>sf_strerror(NULL)</c>: the text of the last failed <c>sf_open</c>.</summary>
    [LibraryImport(SndfileLibrary, EntryPoint = "sf_strerror")]
    internal static partial nint sf_strerror_global(nint zero);

    [LibraryImport(SndfileLibrary)]
    internal static partial long sf_seek(SndfileHandle sndfile, long frames, int whence);

    [LibraryImport(SndfileLibrary)]
    internal static unsafe partial long sf_readf_float(SndfileHandle sndfile, float* destination, long frames);

    [LibraryImport(SndfileLibrary)]
    internal static unsafe partial long sf_writef_float(SndfileHandle sndfile, float* source, long frames);

    [LibraryImport(SndfileLibrary)]
    internal static unsafe partial int sf_command(SndfileHandle sndfile, int command, void* data, int dataSize);

    /// <summary><c>sf_command(NULL, ...)</c>: library-wide commands (version, log of the last failed open).</summary>
    [LibraryImport(SndfileLibrary, EntryPoint = "sf_command")]
    internal static unsafe partial int sf_command_global(nint zero, int command, void* data, int dataSize);

    [LibraryImport(SndfileLibrary)]
    internal static partial int sf_format_check(ref SfInfo info);

    [LibraryImport(SndfileLibrary)]
    internal static partial int sf_write_sync(SndfileHandle sndfile);

    /// <summary>Reads a C string owned by libsndfile.</summary>
    internal static string PtrToString(nint text) => Marshal.PtrToStringUTF8(text) ?? string.Empty;
}
