using Microsoft.Win32.SafeHandles;

namespace Affetto.Audio.Interop;

/// <summary>A libsoxr resampler (<c>soxr_t</c>), freed with <c>soxr_delete</c>.</summary>
internal sealed class SoxrHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Used by the P/Invoke marshaller.</summary>
    public SoxrHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.soxr_delete(handle);
        return true;
    }
}
