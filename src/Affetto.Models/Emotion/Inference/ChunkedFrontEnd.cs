using System.Buffers;
using Affetto.Audio;
using Affetto.Audio.Effects;
using Affetto.Audio.IO;
using Affetto.Models.Emotion.FrontEnd;

namespace Affetto.Models.Emotion.Inference;

/// <summary>
/// Streams a file through <see cref="EmotionFrontEnd"/> a few segments at a time, so a one-hour file never sits in
/// memory whole. The chunks overlap by (segment - hop) samples, so they yield exactly the segments (same samples,
/// same start times, same features) as <see cref="EmotionFrontEnd.Compute"/> on the whole decoded file: the front
/// end works per segment and normalises with fixed training statistics, and the tail shorter than a segment is
/// dropped (a file shorter than one segment gives one zero-padded segment, as the whole-file front end does).
/// </summary>
public sealed class ChunkedFrontEnd
{
    private readonly EmotionFrontEnd _frontEnd;

    /// <summary>Creates a streaming front end.</summary>
    /// <param name="settings">The model's front-end settings.</param>
    /// <param name="segmentsPerChunk">Segments computed per chunk (memory is about this many segments of audio).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="segmentsPerChunk"/> is below 1.</exception>
    public ChunkedFrontEnd(FrontEndSettings settings, int segmentsPerChunk = 32)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentsPerChunk, 1);
        _frontEnd = new EmotionFrontEnd(settings);
        SegmentsPerChunk = segmentsPerChunk;
        SegmentSamples = settings.SegmentSamples;
        // The hop in samples exactly as the segmenter rounds it.
        var probe = Segmenter.Ranges(SegmentSamples * 4 + 4 * (int)Math.Ceiling(settings.HopSeconds * settings.SampleRate), settings.SampleRate,
            settings.SegmentSeconds, settings.HopSeconds);
        HopSamples = probe.Length > 1 ? probe[1].Start - probe[0].Start : SegmentSamples;
    }

    /// <summary>The front-end settings.</summary>
    public FrontEndSettings Settings => _frontEnd.Settings;

    /// <summary>Segments per chunk.</summary>
    public int SegmentsPerChunk { get; }

    /// <summary>Samples per segment.</summary>
    public int SegmentSamples { get; }

    /// <summary>Samples between segment starts.</summary>
    public int HopSamples { get; }

    /// <summary>
    /// Decodes <paramref name="path"/> (mono, at the settings' rate) and calls <paramref name="onChunk"/> with each
    /// batch of consecutive segments (start times relative to the file's start).
    /// </summary>
    /// <param name="path">Audio file.</param>
    /// <param name="onChunk">Receives each chunk's batch.</param>
    /// <param name="cancellation">Stops between chunks.</param>
    /// <returns>The decoded duration in seconds.</returns>
    /// <exception cref="AudioException">Missing file.</exception>
    /// <exception cref="AudioDecodeException">Unreadable audio, or a file without samples.</exception>
    public double Stream(string path, Action<SegmentBatch> onChunk, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(onChunk);
        using var reader = AudioStreamReader.Open(path, Settings.SampleRate, mono: true);
        int capacity = SegmentSamples + (SegmentsPerChunk - 1) * HopSamples;
        float[] buffer = ArrayPool<float>.Shared.Rent(capacity); // megabytes: reused from file to file
        try
        {
            return Stream(path, reader, buffer, capacity, onChunk, cancellation);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private double Stream(string path, AudioStreamReader reader, float[] buffer, int capacity, Action<SegmentBatch> onChunk,
        CancellationToken cancellation)
    {
        int win = SegmentSamples, hop = HopSamples;
        int filled = 0;
        long bufferStart = 0;   // sample index of buffer[0] in the file
        long skip = 0;          // samples to discard before the next segment (hop > segment)
        long total = 0;
        bool any = false;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            int read = filled < capacity ? reader.Read(buffer.AsSpan(filled, capacity - filled)) : 0;
            if (read > 0 && skip > 0)
            {
                int drop = (int)Math.Min(skip, read);
                buffer.AsSpan(filled + drop, read - drop).CopyTo(buffer.AsSpan(filled));
                read -= drop;
                skip -= drop;
                bufferStart += drop;
                total += drop;
                if (read == 0)
                    continue;
            }
            total += read;
            bool end = read == 0 && filled < capacity;
            if (filled + read < capacity && !end)
            {
                filled += read;
                continue;
            }
            filled += read;
            if (filled >= win || (!any && filled > 0))
            {
                var batch = _frontEnd.Compute(buffer.AsSpan(0, filled));
                double offset = bufferStart / (double)Settings.SampleRate;
                for (int i = 0; i < batch.Count; i++)
                    batch.StartSeconds[i] += offset;
                onChunk(batch);
                any = true;
                int consumed = batch.Count * hop;
                if (consumed >= filled)
                {
                    skip = consumed - filled;
                    bufferStart += filled;
                    filled = 0;
                }
                else
                {
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                    bufferStart += consumed;
                }
            }
            if (end)
                break;
        }
        if (!any)
            throw new AudioDecodeException("the file holds no audio samples", path);
        return total / (double)Settings.SampleRate;
    }
}
