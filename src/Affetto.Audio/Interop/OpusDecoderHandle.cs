using Microsoft.Win32.SafeHandles;

namespace Affetto.Audio.Interop;

/// <summary>A libopus single-stream decoder (<c>OpusDecoder*</c>), freed with <c>opus_decoder_destroy</c>.</summary>
internal sealed class OpusDecoderHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Used by the P/Invoke marshaller.</summary>
    public OpusDecoderHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.opus_decoder_destroy(handle);
        return true;
    }
}
