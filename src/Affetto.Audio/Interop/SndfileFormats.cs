namespace Affetto.Audio.Interop;

/// <summary>
/// Names for libsndfile's major-format and subtype codes: the SF_FORMAT_* constant names of sndfile.h without
/// the prefix (so MPEG files report "MPEG", where python-soundfile says "MP3").
/// </summary>
internal static class SndfileFormats
{
    internal const int Wav = 0x010000;
    internal const int Aiff = 0x020000;
    internal const int Au = 0x030000;
    internal const int Flac = 0x170000;
    internal const int Ogg = 0x200000;
    internal const int Mpeg = 0x230000;

    internal const int Pcm16 = 0x0002;
    internal const int Pcm24 = 0x0003;
    internal const int Pcm32 = 0x0004;
    internal const int Float = 0x0006;
    internal const int Vorbis = 0x0060;
    internal const int Opus = 0x0064;
    internal const int MpegLayer3 = 0x0082;

    private static readonly Dictionary<int, string> s_majors = new()
    {
        [0x010000] = "WAV", [0x020000] = "AIFF", [0x030000] = "AU", [0x040000] = "RAW", [0x050000] = "PAF",
        [0x060000] = "SVX", [0x070000] = "NIST", [0x080000] = "VOC", [0x0A0000] = "IRCAM", [0x0B0000] = "W64",
        [0x0C0000] = "MAT4", [0x0D0000] = "MAT5", [0x0E0000] = "PVF", [0x0F0000] = "XI", [0x100000] = "HTK",
        [0x110000] = "SDS", [0x120000] = "AVR", [0x130000] = "WAVEX", [0x160000] = "SD2", [0x170000] = "FLAC",
        [0x180000] = "CAF", [0x190000] = "WVE", [0x200000] = "OGG", [0x210000] = "MPC2K", [0x220000] = "RF64",
        [0x230000] = "MPEG",
    };

    private static readonly Dictionary<int, string> s_subtypes = new()
    {
        [0x0001] = "PCM_S8", [0x0002] = "PCM_16", [0x0003] = "PCM_24", [0x0004] = "PCM_32", [0x0005] = "PCM_U8",
        [0x0006] = "FLOAT", [0x0007] = "DOUBLE", [0x0010] = "ULAW", [0x0011] = "ALAW", [0x0012] = "IMA_ADPCM",
        [0x0013] = "MS_ADPCM", [0x0020] = "GSM610", [0x0021] = "VOX_ADPCM", [0x0022] = "NMS_ADPCM_16",
        [0x0023] = "NMS_ADPCM_24", [0x0024] = "NMS_ADPCM_32", [0x0030] = "G721_32", [0x0031] = "G723_24",
        [0x0032] = "G723_40", [0x0040] = "DWVW_12", [0x0041] = "DWVW_16", [0x0042] = "DWVW_24", [0x0043] = "DWVW_N",
        [0x0050] = "DPCM_8", [0x0051] = "DPCM_16", [0x0060] = "VORBIS", [0x0064] = "OPUS", [0x0070] = "ALAC_16",
        [0x0071] = "ALAC_20", [0x0072] = "ALAC_24", [0x0073] = "ALAC_32", [0x0080] = "MPEG_LAYER_I",
        [0x0081] = "MPEG_LAYER_II", [0x0082] = "MPEG_LAYER_III",
    };

    /// <summary>The container name of a libsndfile format word, or "0x..." for a code this table lacks.</summary>
    internal static string MajorName(int format)
    {
        int major = format & NativeMethods.SF_FORMAT_TYPEMASK;
        return s_majors.TryGetValue(major, out var name) ? name : $"0x{major:X6}";
    }

    /// <summary>The sample encoding name of a libsndfile format word, or "0x..." for a code this table lacks.</summary>
    internal static string SubtypeName(int format)
    {
        int subtype = format & NativeMethods.SF_FORMAT_SUBMASK;
        return s_subtypes.TryGetValue(subtype, out var name) ? name : $"0x{subtype:X4}";
    }

    /// <summary>
    /// The major formats (<paramref name="subtypes"/> false) or subtypes (true) the loaded libsndfile supports, with
    /// its own descriptions: <c>SFC_GET_FORMAT_MAJOR</c>/<c>SFC_GET_FORMAT_SUBTYPE</c>.
    /// </summary>
    internal static unsafe IReadOnlyList<(int Format, string Description)> Supported(bool subtypes)
    {
        NativeMethods.EnsureSndfile();
        int count = 0;
        NativeMethods.sf_command_global(0, subtypes ? NativeMethods.SFC_GET_FORMAT_SUBTYPE_COUNT : NativeMethods.SFC_GET_FORMAT_MAJOR_COUNT, &count, sizeof(int));
        var result = new List<(int, string)>(count);
        for (int i = 0; i < count; i++)
        {
            var info = new SfFormatInfo { Format = i };
            if (NativeMethods.sf_command_global(0, subtypes ? NativeMethods.SFC_GET_FORMAT_SUBTYPE : NativeMethods.SFC_GET_FORMAT_MAJOR, &info, sizeof(SfFormatInfo)) == 0)
                result.Add((info.Format, NativeMethods.PtrToString(info.Name)));
        }
        return result;
    }

    /// <summary>
    /// Whether libsndfile's frame count for this format is exact, so a shorter decode means truncation.
    /// MPEG and Ogg lengths are estimates (Xing headers, granule positions), so short decodes are accepted there.
    /// </summary>
    internal static bool HasExactFrameCount(int format)
    {
        int major = format & NativeMethods.SF_FORMAT_TYPEMASK;
        return major != Mpeg && major != Ogg;
    }
}
