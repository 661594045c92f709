namespace Affetto.Models.Data;

/// <summary>Random oversampling of minority classes (sampling with replacement) to balance class counts.</summary>
public static class Oversampling
{
    /// <summary>
    /// Indices of a class-balanced resample: every original index once (in order), followed, class by class in
    /// ordinal label order, by indices drawn uniformly with replacement from that class until it has as many items as
    /// the largest class. Apply to training indices only, never before a split.
    /// </summary>
    /// <param name="labels">Each item's label.</param>
    /// <param name="seed">Seed of the draws.</param>
    /// <returns>Indices into <paramref name="labels"/>; length = number of classes times the largest class count.</returns>
    /// <exception cref="ArgumentException">No labels, or an empty label.</exception>
    public static int[] RandomOversample(IReadOnlyList<string> labels, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0)
            throw new ArgumentException("cannot oversample an empty dataset", nameof(labels));
        var byClass = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < labels.Count; i++)
        {
            if (string.IsNullOrEmpty(labels[i]))
                throw new ArgumentException($"item {i} has a null or empty label", nameof(labels));
            if (!byClass.TryGetValue(labels[i], out var list))
                byClass.Add(labels[i], list = []);
            list.Add(i);
        }
        int max = byClass.Values.Max(l => l.Count);
        var result = new List<int>(max * byClass.Count);
        result.AddRange(Enumerable.Range(0, labels.Count));
        var rng = new Random(seed);
        foreach (var members in byClass.Values)
        {
            for (int extra = members.Count; extra < max; extra++)
                result.Add(members[rng.Next(members.Count)]);
        }
        return result.ToArray();
    }

    /// <summary>Class-balanced resample of items (see <see cref="RandomOversample(IReadOnlyList{string}, int)"/>).</summary>
    /// <typeparam name="T">Item type.</typeparam>
    /// <param name="items">The items.</param>
    /// <param name="labelOf">Gets an item's label.</param>
    /// <param name="seed">Seed of the draws.</param>
    /// <returns>The originals followed by the duplicates.</returns>
    public static IReadOnlyList<T> RandomOversample<T>(IReadOnlyList<T> items, Func<T, string> labelOf, int seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(labelOf);
        return RandomOversample(items.Select(labelOf).ToArray(), seed).Select(i => items[i]).ToArray();
    }
}
