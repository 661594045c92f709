namespace Affetto.Nn.Kernels;

/// <summary>
/// Controls how many threads the numeric kernels use. The default comes from the environment variable
/// <c>AFFETTO_NUM_THREADS</c> when it holds a positive integer, otherwise <see cref="Environment.ProcessorCount"/>.
/// </summary>
public static class Parallelism
{
    private static int s_maxThreads = ReadDefault();

    [ThreadStatic] private static bool t_inParallelRegion;

    /// <summary>
    /// Maximum number of threads a single kernel call may use (at least 1). Setting it affects later calls only.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is smaller than 1.</exception>
    public static int MaxThreads
    {
        get => Volatile.Read(ref s_maxThreads);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxThreads));
            Volatile.Write(ref s_maxThreads, value);
        }
    }

    /// <summary>Number of workers a kernel should split into right now (1 inside an already parallel region).</summary>
    internal static int EffectiveThreads => t_inParallelRegion ? 1 : MaxThreads;

    private static int ReadDefault()
    {
        string? text = Environment.GetEnvironmentVariable("AFFETTO_NUM_THREADS");
        if (text is not null && int.TryParse(text, out int n) && n > 0)
        {
            return n;
        }

        return Math.Max(1, Environment.ProcessorCount);
    }

    /// <summary>
    /// How many contiguous parts to cut <paramref name="items"/> into for <paramref name="workers"/> threads: a few
    /// per worker, so a thread slowed by other processes on this shared machine does not hold up the whole call.
    /// </summary>
    internal static int Parts(int workers, long items) => workers <= 1 ? 1 : (int)Math.Clamp(items, 1, workers * 4L);

    /// <summary>
    /// Runs <paramref name="body"/> for every index in [0, count) on up to <paramref name="workers"/> threads.
    /// Nested calls run serially so inner kernels do not oversubscribe the cores.
    /// </summary>
    internal static void For(int count, int workers, Action<int> body)
    {
        if (count <= 0)
        {
            return;
        }

        workers = Math.Min(Math.Min(workers, count), EffectiveThreads);
        if (workers <= 1)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        ParallelOptions options = new() { MaxDegreeOfParallelism = workers };
        Parallel.For(0, count, options, i =>
        {
            bool previous = t_inParallelRegion;
            t_inParallelRegion = true;
            try
            {
                body(i);
            }
            finally
            {
                t_inParallelRegion = previous;
            }
        });
    }
}
