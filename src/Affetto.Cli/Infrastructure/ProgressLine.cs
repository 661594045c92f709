using System.Diagnostics;

namespace Affetto.Cli.Infrastructure;

/// <summary>
/// A single self-overwriting progress line on stderr for long batch work: count, rate and time left.
/// Silent when stderr is not a terminal, so logs and pipes stay clean.
/// </summary>
public sealed class ProgressLine : IDisposable
{
    private readonly CliContext _ctx;
    private readonly string _what;
    private readonly int _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _done;
    private long _lastDrawTicks;
    private static volatile bool s_visible;

    /// <summary>Starts a progress line for <paramref name="total"/> items of <paramref name="what"/>.</summary>
    public ProgressLine(CliContext ctx, string what, int total)
    {
        _ctx = ctx;
        _what = what;
        _total = total;
    }

    /// <summary>Marks one more item done and redraws at most ten times a second.</summary>
    public void Advance(string? current = null)
    {
        int done = Interlocked.Increment(ref _done);
        if (!_ctx.ShowProgress) return;
        long now = _clock.ElapsedTicks;
        long last = Interlocked.Read(ref _lastDrawTicks);
        if (done < _total && now - last < Stopwatch.Frequency / 10) return;
        if (Interlocked.CompareExchange(ref _lastDrawTicks, now, last) != last) return;
        _ctx.WithErrLock(() => Draw(done, current));
    }

    private void Draw(int done, string? current)
    {
        double seconds = _clock.Elapsed.TotalSeconds;
        double rate = done / Math.Max(seconds, 1e-9);
        string eta = done > 0 && done < _total ? $" ETA {TimeSpan.FromSeconds((_total - done) / rate):m\\:ss}" : "";
        const int width = 24;
        int filled = _total == 0 ? width : (int)((long)width * done / _total);
        string bar = new string('#', filled) + new string('.', width - filled);
        string name = current is null ? "" : "  " + Path.GetFileName(current);
        if (name.Length > 40) name = name[..40];
        _ctx.Err.Write($"\r[{bar}] {done}/{_total} {_what} {rate:0.0}/s{eta}{name}\u001b[K");
        _ctx.Err.Flush();
        s_visible = true;
    }

    /// <summary>Erases the progress line (call under the stderr lock) before printing a normal line.</summary>
    internal static void Clear(CliContext ctx)
    {
        if (!s_visible) return;
        ctx.Err.Write("\r\u001b[K");
        s_visible = false;
    }

    /// <summary>Erases the line.</summary>
    public void Dispose()
    {
        if (_ctx.ShowProgress) _ctx.WithErrLock(() => Clear(_ctx));
    }
}
