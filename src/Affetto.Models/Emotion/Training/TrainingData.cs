using System.Collections.Concurrent;
using Affetto.Models.Data;
using Affetto.Models.Emotion.FrontEnd;

namespace Affetto.Models.Emotion.Training;

/// <summary>Builds a <see cref="SegmentTable"/> from a <see cref="TrackDataset"/>: decodes in parallel through a <see cref="SegmentCache"/>.</summary>
public static class TrainingData
{
    /// <summary>
    /// Computes (or reads from the cache) the raw segments of every track and of <paramref name="augmentedCopies"/>
    /// augmented copies per track. A track that cannot be decoded is left out and reported in the failures.
    /// </summary>
    /// <param name="dataset">The tracks.</param>
    /// <param name="settings">Front-end settings (statistics are ignored).</param>
    /// <param name="cacheDirectory">Cache folder, or null to compute without caching.</param>
    /// <param name="augmentedCopies">Augmented audio copies per track (0 = none).</param>
    /// <param name="jobs">Tracks decoded at once.</param>
    /// <param name="progress">Receives (done, total) after each track, or null.</param>
    /// <param name="cancellation">Stops between tracks.</param>
    /// <returns>The table (tracks in dataset order; failed tracks have no segments and are listed) and the failures.</returns>
    public static (SegmentTable Table, IReadOnlyList<(TrackItem Track, string Error)> Failures) Load(TrackDataset dataset, FrontEndSettings settings,
        string? cacheDirectory, int augmentedCopies = 0, int jobs = 1, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfNegative(augmentedCopies);
        var cache = new SegmentCache(settings, cacheDirectory);
        var items = dataset.Items;
        int variants = 1 + augmentedCopies, total = items.Count * variants, done = 0;
        var results = new SegmentBatch?[items.Count, variants];
        var failures = new ConcurrentDictionary<int, string>();
        Parallel.For(0, total, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs), CancellationToken = cancellation }, job =>
        {
            int track = job / variants, variant = job % variants;
            if (!failures.ContainsKey(track))
            {
                try
                {
                    results[track, variant] = cache.Get(items[track].Path, variant).Batch;
                }
                catch (Exception e) when (e is Affetto.Audio.AudioException or ArgumentException or InvalidDataException or IOException)
                {
                    failures.TryAdd(track, e.Message);
                }
            }
            progress?.Report((Interlocked.Increment(ref done), total));
        });
        var labels = dataset.LabelIndices();
        var batches = new List<(int, bool, SegmentBatch)>();
        for (int t = 0; t < items.Count; t++)
        {
            if (failures.ContainsKey(t)) continue;
            for (int v = 0; v < variants; v++) batches.Add((t, v > 0, results[t, v]!));
        }
        var table = new SegmentTable(dataset.Labels, items.Select(i => i.Id).ToArray(), labels, batches);
        return (table, failures.OrderBy(f => f.Key).Select(f => (items[f.Key], f.Value)).ToArray());
    }
}
