namespace Affetto.Cli.Infrastructure;

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread, serialised (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock _lock = new();

    public void Report(T value)
    {
        lock (_lock) report(value);
    }
}
