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
    /// largest first; each goes to validation when that brings the validation set's per-label fractions closer (in
    /// summed squared difference) to <paramref name="validationFraction"/>, else to train.
    /// Then single groups are moved across while that lowers the error (at most 100 passes). Both sides keep at
    /// least one group.
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
        var total = new double[nClasses];
        for (int i = 0; i < input.Count; i++)
            total[input.Label[i]]++;
        var target = total.Select(t => t * validationFraction).ToArray();

        var order = input.ShuffledGroups(seed).OrderByDescending(g => counts[g].Sum()).ToArray();
        var validation = new double[nClasses];
        var part = new int[input.GroupCount]; // 0 train, 1 validation
        int validationGroups = 0;
        foreach (int g in order)
        {
            double change = 0;
            for (int c = 0; c < nClasses; c++)
            {
                double after = (validation[c] + counts[g][c] - target[c]) / total[c];
                double before = (validation[c] - target[c]) / total[c];
                change += after * after - before * before;
            }
            if (change < 0)
            {
                part[g] = 1;
                validationGroups++;
                for (int c = 0; c < nClasses; c++)
                    validation[c] += counts[g][c];
            }
        }
        if (validationGroups == 0)
        {
            part[order[^1]] = 1;
            validationGroups = 1;
            for (int c = 0; c < nClasses; c++)
                validation[c] += counts[order[^1]][c];
        }

        // Local refinement: move single groups across while that lowers the squared error and keeps both sides
        // non-empty. The greedy pass alone lets labels mixed into big groups overshoot.
        for (int pass = 0; pass < 100; pass++)
        {
            bool improved = false;
            foreach (int g in order)
            {
                int sign = part[g] == 1 ? -1 : 1;
                if (sign < 0 ? validationGroups == 1 : validationGroups == input.GroupCount - 1)
                    continue;
                double change = 0;
                for (int c = 0; c < nClasses; c++)
                {
                    double after = (validation[c] + sign * counts[g][c] - target[c]) / total[c];
                    double before = (validation[c] - target[c]) / total[c];
                    change += after * after - before * before;
                }
                if (change < -1e-15)
                {
                    part[g] = sign > 0 ? 1 : 0;
                    validationGroups += sign;
                    for (int c = 0; c < nClasses; c++)
                        validation[c] += sign * counts[g][c];
                    improved = true;
                }
            }
            if (!improved)
                break;
        }
        if (validationGroups == input.GroupCount)
            part[order[0]] = 0;
        return input.ToFold(part, 1);
    }
}
