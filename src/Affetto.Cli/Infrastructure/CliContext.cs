namespace Affetto.Cli.Infrastructure;

/// <summary>
/// What every command needs from the outside world: where to write results and messages, how verbose to be,
/// how many workers to use, and the cancellation token of the run. Tests build one over string writers.
/// </summary>
public sealed class CliContext
{
    /// <summary>Creates a context writing results to <paramref name="output"/> and messages to <paramref name="error"/>.</summary>
    public CliContext(TextWriter output, TextWriter error, bool verbose = false, int? jobs = null,
        bool? showProgress = null, CancellationToken cancellation = default)
    {
        Out = output;
        Err = error;
        Verbose = verbose;
        Jobs = Math.Max(1, jobs ?? Environment.ProcessorCount);
        // Progress goes to stderr only when a person is watching it; pipes and tests stay clean.
        ShowProgress = showProgress ?? (ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected);
        Cancellation = cancellation;
    }

    /// <summary>Results (tables, JSON, CSV).</summary>
    public TextWriter Out { get; }

    /// <summary>Errors, warnings and progress.</summary>
    public TextWriter Err { get; }

    /// <summary>Show stack traces of internal errors.</summary>
    public bool Verbose { get; }

    /// <summary>Number of files processed at once.</summary>
    public int Jobs { get; }

    /// <summary>Whether a progress line is drawn on stderr.</summary>
    public bool ShowProgress { get; }

    /// <summary>Cancelled by Ctrl+C.</summary>
    public CancellationToken Cancellation { get; }

    private readonly Lock _errLock = new();

    /// <summary>Writes one line to stderr, prefixed with <c>affetto: </c>; safe from several threads.</summary>
    public void Error(string message)
    {
        lock (_errLock)
        {
            ProgressLine.Clear(this);
            Err.WriteLine("affetto: " + message);
        }
    }

    /// <summary>Writes one warning line to stderr; safe from several threads.</summary>
    public void Warn(string message)
    {
        lock (_errLock)
        {
            ProgressLine.Clear(this);
            Err.WriteLine("affetto: warning: " + message);
        }
    }

    /// <summary>Runs <paramref name="draw"/> under the stderr lock (used by the progress line).</summary>
    internal void WithErrLock(Action draw)
    {
        lock (_errLock) draw();
    }
}
