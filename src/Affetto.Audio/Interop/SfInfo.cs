using System.Runtime.InteropServices;

namespace Affetto.Audio.Interop;

/// <summary>libsndfile's <c>SF_INFO</c> (sf_count_t is 64-bit in every Debian build).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SfInfo
{
    public long Frames;
    public int SampleRate;
    public int Channels;
    public int Format;
    public int Sections;
    public int Seekable;
}
