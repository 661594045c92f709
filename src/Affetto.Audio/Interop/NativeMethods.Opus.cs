using System.Runtime.InteropServices;

namespace Affetto.Audio.Interop;

internal static partial class NativeMethods
{
    // libopus is the codec libsndfile itself decodes Opus with (Debian's libsndfile1 depends on libopus0).
    // Affetto calls it directly for plain mono/stereo Ogg Opus: see OggOpusDecoder for why.

    [LibraryImport(OpusLibrary)]
    internal static partial OpusDecoderHandle opus_decoder_create(int sampleRate, int channels, out int error);

    /// <summary>Decodes one packet into interleaved floats; returns samples per channel, or a negative error code.</summary>
    [LibraryImport(OpusLibrary)]
    internal static unsafe partial int opus_decode_float(OpusDecoderHandle decoder, byte* data, int length, float* pcm, int frameSize, int decodeFec);

    [LibraryImport(OpusLibrary)]
    internal static partial void opus_decoder_destroy(nint decoder);

    /// <summary>Samples per channel a packet decodes to at <paramref name="sampleRate"/>, or a negative error code.</summary>
    [LibraryImport(OpusLibrary)]
    internal static unsafe partial int opus_packet_get_nb_samples(byte* packet, int length, int sampleRate);

    [LibraryImport(OpusLibrary)]
    internal static partial nint opus_strerror(int error);
}
