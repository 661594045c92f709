namespace Affetto.Models.Data;

/// <summary>A single stratified train/validation split that keeps every group (artist) on one side.</summary>
public static class StratifiedGroupSplit
{
    /// <summary>Splits dataset items into train and validation sets.</summary>
    /// <param name="items">The items (labels and artist groups).</param>
    /// <param name="validationFraction">Target fraction of every label in the validation set, in (0, 1).</param>
    /// <param name="seed">Seed of the group shuffle.</param>
    /// <returns>The split; <see cref="Fold.TestIndices"/> is the validation set.</returns>
    public static Fold TrainValidation(IReadOnlyList<TrackItem> items, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        return TrainValidation(items.Select(i => i.Label).ToArray(), items.Select(i => i.Group).ToArray(), validationFraction, seed);
    }

    /// <summary>
    /// Splits items into train and validation sets. Groups are shuffled with the seed and stably ordered by size,
    /// largest first; each goes to validation when that brings the validation set's per-label counts closer (in
    /// summed absolute difference) to <paramref name="validationFraction"/> times the label totals, else to train.
    /// If validation ends up empty the smallest group is moved there.
    /// </summary>
    /// <param name="labels">Each item's label.</param>
    /// <param name="groups">Each item's group; null means the item is its own group.</param>
    /// <param name="validationFraction">Target fraction of every label in the validation set, in (0, 1).</param>
    /// <param name="seed">Seed of the group shuffle.</param>
    /// <returns>The split; <see cref="Fold.TestIndices"/> is the validation set.</returns>
    /// <exception cref="ArgumentException">Empty input, lists of different lengths, an empty label, or fewer than two groups.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1).</exception>
    public static Fold TrainValidation(IReadOnlyList<string> labels, IReadOnlyList<string?> groups, double validationFraction, int seed)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "the validation fraction must be in (0, 1)");
        var input = SplitInput.Create(labels, groups);
        if (input.GroupCount < 2)
            throw new ArgumentException("a train/validation split needs at least two groups", nameof(groups));
        int nClasses = input.LabelNames.Length;
        var counts = input.CountsPerGroup();
        var target = new double[nClasses];
        for (int i = 0; i < input.Count; i++)
            target[input.Label[i]] += validationFraction;

        var order = input.ShuffledGroups(seed).OrderByDescending(g => counts[g].Sum()).ToArray();
        var validation = new double[nClasses];
        var part = new int[input.GroupCount]; // 0 train, 1 validation
        int validationGroups = 0;
        foreach (int g in order)
        {
            double change = 0;
            for (int c = 0; c < nClasses; c++)
                change += Math.Abs(validation[c] + counts[g][c] - target[c]) - Math.Abs(validation[c] - target[c]);
            if (change < 0)
            {
                part[g] = 1;
                validationGroups++;
                for (int c = 0; c < nClasses; c++)
                    validation[c] += counts[g][c];
            }
        }
        if (validationGroups == 0)
            part[order[^1]] = 1;
        else if (validationGroups == input.GroupCount)
            part[order[0]] = 0;
        return input.ToFold(part, 1);
    }
}
