using System.Runtime.InteropServices;

namespace Affetto.Audio.Interop;

/// <summary>libsoxr's <c>soxr_quality_spec_t</c> (<c>unsigned long</c> is 64-bit on LP64 Linux).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SoxrQualitySpec
{
    public double Precision;
    public double PhaseResponse;
    public double PassbandEnd;
    public double StopbandBegin;
    public nint E;
    public nuint Flags;
}
