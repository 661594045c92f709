using System.Text;
using Affetto.Audio.IO;
using Affetto.Cli.Infrastructure;
using Affetto.Models.Emotion.FrontEnd;

namespace Affetto.Cli.Commands.Analyze;

/// <summary>
/// The progress line of <c>affetto analyze</c>, counted in analysed segments rather than files, so a single
/// one-hour file shows progress too. The total comes from the files' headers; the batch runner gets a context
/// without its own (per-file) progress line whose messages go through this line's lock and erase it first.
/// </summary>
internal sealed class SegmentProgress : IDisposable
{
    private readonly ProgressLine? _line;
    private readonly long _total;
    private long _done;

    private SegmentProgress(CliContext context, ProgressLine? line, long total)
    {
        Context = context;
        _line = line;
        _total = total;
    }

    /// <summary>The context to run the batch with.</summary>
    public CliContext Context { get; }

    /// <summary>Starts a progress line over <paramref name="files"/> when <paramref name="ctx"/> shows progress.</summary>
    public static SegmentProgress Start(CliContext ctx, FrontEndSettings settings, IReadOnlyList<string> files)
    {
        if (!ctx.ShowProgress) return new SegmentProgress(ctx, null, 0);
        long total = 0;
        foreach (string file in files)
            total += EstimateSegments(file, settings);
        var inner = new CliContext(ctx.Out, new LockedWriter(ctx), ctx.Verbose, ctx.Jobs, showProgress: false, ctx.Cancellation);
        int shown = (int)Math.Min(total, int.MaxValue);
        return new SegmentProgress(inner, shown > 0 ? new ProgressLine(ctx, "segments", shown) : null, shown);
    }

    /// <summary>Counts <paramref name="segments"/> more segments done (never past the estimated total).</summary>
    public void Advance(int segments)
    {
        if (_line is null) return;
        for (int i = 0; i < segments; i++)
        {
            if (Interlocked.Increment(ref _done) > _total) return;
            _line.Advance();
        }
    }

    /// <summary>Erases the line.</summary>
    public void Dispose() => _line?.Dispose();

    // Segments the front end will cut from the file, from its header (0 when the header cannot be read: the
    // analysis reports that file's error).
    private static long EstimateSegments(string file, FrontEndSettings s)
    {
        try
        {
            var info = AudioFile.ReadInfo(file);
            long samples = (long)Math.Round(info.Duration * s.SampleRate);
            long win = s.SegmentSamples, hop = Math.Max(1, (long)Math.Round(s.HopSeconds * s.SampleRate));
            // As the segmenter counts (partial tail dropped), with one padded segment for a short file.
            return samples <= 0 ? 0 : samples < win ? 1 : (samples - win) / hop + 1;
        }
        catch (Exception e) when (e is Affetto.Audio.AudioException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return 0;
        }
    }

    /// <summary>Writes to the outer context's stderr under its lock, erasing the progress line before each write.</summary>
    private sealed class LockedWriter(CliContext outer) : TextWriter
    {
        public override Encoding Encoding => outer.Err.Encoding;

        public override void Write(char value) => outer.WithErrLock(() =>
        {
            ProgressLine.Clear(outer);
            outer.Err.Write(value);
        });

        public override void Write(string? value) => outer.WithErrLock(() =>
        {
            ProgressLine.Clear(outer);
            outer.Err.Write(value);
        });

        public override void WriteLine(string? value) => outer.WithErrLock(() =>
        {
            ProgressLine.Clear(outer);
            outer.Err.WriteLine(value);
        });

        public override void Flush() => outer.Err.Flush();
    }
}
