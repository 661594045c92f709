namespace Affetto.Audio.IO;

/// <summary>What an audio file declares about itself, as read by libsndfile.</summary>
/// <param name="Path">The path the file was opened with.</param>
/// <param name="Format">Container: "WAV", "WAVEX", "AIFF", "AU", "FLAC", "OGG", "MPEG", ... (libsndfile's SF_FORMAT_* names).</param>
/// <param name="Codec">Sample encoding: "PCM_16", "PCM_24", "PCM_32", "PCM_U8", "FLOAT", "ULAW", "VORBIS", "OPUS", "MPEG_LAYER_III", ...</param>
/// <param name="SampleRate">Native sample rate in Hz.</param>
/// <param name="Channels">Channel count.</param>
/// <param name="Frames">Frames (samples per channel) libsndfile reports; an estimate for MPEG and Ogg.</param>
public sealed record AudioInfo(string Path, string Format, string Codec, int SampleRate, int Channels, long Frames)
{
    /// <summary>Length in seconds (<see cref="Frames"/> / <see cref="SampleRate"/>).</summary>
    public double Duration => SampleRate > 0 ? Frames / (double)SampleRate : 0;
}
