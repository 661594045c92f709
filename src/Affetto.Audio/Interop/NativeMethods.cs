using System.Reflection;
using System.Runtime.InteropServices;

namespace Affetto.Audio.Interop;

/// <summary>
/// P/Invoke declarations for the native audio libraries. One partial file per library; this part holds the
/// library names and the check that turns a missing shared object into an <see cref="AudioException"/>.
/// </summary>
internal static partial class NativeMethods
{
    // The runtime sonames, not the unversioned "libsndfile.so" symlinks that only the -dev packages install.
    internal const string SndfileLibrary = "libsndfile.so.1";
    internal const string SoxrLibrary = "libsoxr.so.0";
    internal const string OpusLibrary = "libopus.so.0";

    private static readonly Lazy<string?> s_sndfileProblem = new(() => Probe(SndfileLibrary, "libsndfile1"));
    private static readonly Lazy<string?> s_soxrProblem = new(() => Probe(SoxrLibrary, "libsoxr0"));
    private static readonly Lazy<bool> s_opusLoads = new(() => Probe(OpusLibrary, "libopus0") is null);

    /// <summary>Whether libopus loads (it comes with libsndfile1; without it Opus goes through libsndfile alone).</summary>
    internal static bool OpusAvailable => s_opusLoads.Value;

    /// <summary>Throws an <see cref="AudioException"/> with install instructions when libsndfile cannot be loaded.</summary>
    internal static void EnsureSndfile()
    {
        if (s_sndfileProblem.Value is { } problem)
            throw new AudioException(problem);
    }

    /// <summary>Throws an <see cref="AudioException"/> with install instructions when libsoxr cannot be loaded.</summary>
    internal static void EnsureSoxr()
    {
        if (s_soxrProblem.Value is { } problem)
            throw new AudioException(problem);
    }

    /// <summary>Null when <paramref name="library"/> loads, else the install instruction for <paramref name="package"/>.</summary>
    internal static string? Probe(string library, string package)
    {
        // Load through the same probing the generated stubs use; the handle stays loaded for the process.
        if (NativeLibrary.TryLoad(library, Assembly.GetExecutingAssembly(), DllImportSearchPath.SafeDirectories, out _)
            || NativeLibrary.TryLoad(library, out _))
            return null;
        return $"native library {library} could not be loaded: install the Debian package {package} "
            + $"(run scripts/install-deps, or apt-get install {package})";
    }
}
