using System.Runtime.InteropServices;

namespace Affetto.Audio.Interop;

/// <summary>libsndfile's <c>SF_FORMAT_INFO</c>: a format code with its descriptive name and file extension.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SfFormatInfo
{
    public int Format;
    public nint Name;
    public nint Extension;
}
