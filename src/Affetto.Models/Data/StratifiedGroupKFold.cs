namespace Affetto.Models.Data;

/// <summary>
/// K-fold cross-validation that keeps every group (artist) inside one fold and keeps each fold's label
/// proportions close to the whole dataset's, with the greedy strategy of scikit-learn's StratifiedGroupKFold.
/// </summary>
/// <remarks>
/// <para>Algorithm: groups are shuffled with the seed, then stably ordered by the standard deviation of their
/// per-class counts, largest first (groups concentrated on one class and big groups are placed while there is
/// still freedom). Each group goes to the fold that minimises the imbalance after adding it: the mean over
/// classes of the standard deviation, across folds, of the fraction of the class that each fold holds. Ties
/// (within 1e-12) go to the fold with fewer items, then to the lower fold number.</para>
/// <para>Items with a null group are their own group. Splits are made on tracks: when tracks are cut into
/// segments, split the tracks and map each fold to segments with <see cref="SegmentSplit.ToSegments"/>, so that
/// all segments of a track stay with the track.</para>
/// </remarks>
public sealed class StratifiedGroupKFold
{
    /// <summary>Creates the splitter.</summary>
    /// <param name="k">Number of folds, at least 2.</param>
    /// <param name="seed">Seed of the group shuffle; the same seed and input give the same folds.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 2.</exception>
    public StratifiedGroupKFold(int k, int seed)
    {
        if (k < 2)
            throw new ArgumentOutOfRangeException(nameof(k), k, "k-fold cross-validation needs k >= 2 folds");
        K = k;
        Seed = seed;
    }

    /// <summary>Number of folds.</summary>
    public int K { get; }

    /// <summary>Seed of the group shuffle.</summary>
    public int Seed { get; }

    /// <summary>Splits dataset items (labels and artist groups).</summary>
    /// <param name="items">The items.</param>
    /// <returns><see cref="K"/> folds; every item is in exactly one test fold.</returns>
    public IReadOnlyList<Fold> Split(IReadOnlyList<TrackItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Split(items.Select(i => i.Label).ToArray(), items.Select(i => i.Group).ToArray());
    }

    /// <summary>Splits items given by parallel label and group lists.</summary>
    /// <param name="labels">Each item's label.</param>
    /// <param name="groups">Each item's group; null means the item is its own group.</param>
    /// <returns><see cref="K"/> folds; every item is in exactly one test fold, each group in one test fold.</returns>
    /// <exception cref="ArgumentException">Empty input, lists of different lengths, an empty label, fewer groups than
    /// folds, or a label spread over fewer groups than folds (some test fold would lack that label).</exception>
    public IReadOnlyList<Fold> Split(IReadOnlyList<string> labels, IReadOnlyList<string?> groups)
    {
        var input = SplitInput.Create(labels, groups);
        int nClasses = input.LabelNames.Length;
        if (input.GroupCount < K)
            throw new ArgumentException($"cannot make {K} folds from {input.GroupCount} groups", nameof(groups));
        var counts = input.CountsPerGroup();
        for (int c = 0; c < nClasses; c++)
        {
            int groupsWithClass = counts.Count(g => g[c] > 0);
            if (groupsWithClass < K)
            {
                throw new ArgumentException(
                    $"label '{input.LabelNames[c]}' occurs in only {groupsWithClass} group(s), fewer than k = {K} folds", nameof(labels));
            }
        }
        var classTotal = new double[nClasses];
        for (int i = 0; i < input.Count; i++)
            classTotal[input.Label[i]]++;

        var order = input.ShuffledGroups(Seed);
        var spread = order.Select(g => PopulationStd(counts[g])).ToArray();
        var sorted = order.Select((g, i) => (g, s: spread[i])).OrderByDescending(p => p.s).Select(p => p.g).ToArray(); // OrderBy is stable

        var foldCounts = new double[K, nClasses];
        var foldSize = new int[K];
        var groupFold = new int[input.GroupCount];
        foreach (int g in sorted)
        {
            int best = -1;
            double bestCost = double.PositiveInfinity;
            for (int f = 0; f < K; f++)
            {
                double cost = Imbalance(foldCounts, classTotal, counts[g], f);
                if (best < 0 || cost < bestCost - 1e-12 || (Math.Abs(cost - bestCost) <= 1e-12 && foldSize[f] < foldSize[best]))
                {
                    best = f;
                    bestCost = cost;
                }
            }
            groupFold[g] = best;
            for (int c = 0; c < nClasses; c++)
                foldCounts[best, c] += counts[g][c];
            foldSize[best] += counts[g].Sum();
        }
        for (int f = 0; f < K; f++)
        {
            if (foldSize[f] == 0)
                throw new InvalidOperationException($"fold {f} received no group; use fewer folds than {K}");
        }
        return Enumerable.Range(0, K).Select(f => input.ToFold(groupFold, f)).ToArray();
    }

    // Mean over classes of the across-fold std of class fractions, with the group tentatively in fold `target`.
    private double Imbalance(double[,] foldCounts, double[] classTotal, int[] group, int target)
    {
        int nClasses = classTotal.Length;
        double total = 0;
        for (int c = 0; c < nClasses; c++)
        {
            double mean = 0, sq = 0;
            for (int f = 0; f < K; f++)
            {
                double p = (foldCounts[f, c] + (f == target ? group[c] : 0)) / classTotal[c];
                mean += p;
                sq += p * p;
            }
            mean /= K;
            total += Math.Sqrt(Math.Max(0, sq / K - mean * mean));
        }
        return total / nClasses;
    }

    private static double PopulationStd(int[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}
