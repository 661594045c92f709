namespace Affetto.Cli.Infrastructure;

/// <summary>The outcome of one file in a batch: a result or a one-line error.</summary>
public readonly record struct BatchItem<T>(string Path, T? Result, string? Error)
{
    /// <summary>True when the file was processed.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>
/// Runs one piece of work per file on all cores, keeps going when a file fails, reports each failure as
/// one line as it happens, shows progress, and returns the results in input order.
/// </summary>
public static class BatchRunner
{
    /// <summary>Processes every path with <paramref name="work"/>; failures become one-line errors.</summary>
    public static BatchItem<T>[] Run<T>(CliContext ctx, IReadOnlyList<string> paths, string what, Func<string, T> work,
        int? maxParallelism = null)
    {
        var results = new BatchItem<T>[paths.Count];
        using var progress = new ProgressLine(ctx, what, paths.Count);
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Min(maxParallelism ?? ctx.Jobs, Math.Max(1, paths.Count)),
            CancellationToken = ctx.Cancellation,
        };
        Parallel.For(0, paths.Count, options, i =>
        {
            string path = paths[i];
            try
            {
                results[i] = new BatchItem<T>(path, work(path), null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                string message = ErrorDescriber.Describe(ex, path, ctx.Verbose);
                results[i] = new BatchItem<T>(path, default, message);
                ctx.Error(message);
            }
            progress.Advance(path);
        });
        return results;
    }

    /// <summary>
    /// Prints the failure summary of a batch (when more than one file was asked for) and returns the exit code:
    /// success when every file succeeded.
    /// </summary>
    public static int Finish<T>(CliContext ctx, IReadOnlyList<BatchItem<T>> items, string what)
    {
        var failed = items.Where(i => !i.Succeeded).ToList();
        if (failed.Count == 0) return ExitCodes.Success;
        if (items.Count > 1)
        {
            ctx.Error($"{failed.Count} of {items.Count} {what} failed:");
            foreach (var f in failed) ctx.Err.WriteLine("  " + f.Path);
        }
        return ExitCodes.InputFailed;
    }
}
