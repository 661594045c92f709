using Microsoft.Win32.SafeHandles;

namespace Affetto.Audio.Interop;

/// <summary>An open libsndfile <c>SNDFILE*</c>, closed with <c>sf_close</c>.</summary>
internal sealed class SndfileHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Used by the P/Invoke marshaller.</summary>
    public SndfileHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => NativeMethods.sf_close(handle) == 0;
}
