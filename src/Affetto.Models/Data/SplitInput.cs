namespace Affetto.Models.Data;

/// <summary>Label and group indices shared by the splitters; null groups become one group per item.</summary>
internal sealed class SplitInput
{
    private SplitInput(int[] label, int[] group, string[] labelNames, int groupCount)
    {
        Label = label;
        Group = group;
        LabelNames = labelNames;
        GroupCount = groupCount;
    }

    public int[] Label { get; }

    public int[] Group { get; }

    public string[] LabelNames { get; }

    public int GroupCount { get; }

    public int Count => Label.Length;

    public static SplitInput Create(IReadOnlyList<string> labels, IReadOnlyList<string?> groups)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(groups);
        if (labels.Count == 0)
            throw new ArgumentException("cannot split an empty dataset (no labels)", nameof(labels));
        if (groups.Count != labels.Count)
            throw new ArgumentException($"{labels.Count} labels but {groups.Count} groups; they must be parallel", nameof(groups));
        var labelNames = labels.Select((l, i) => string.IsNullOrEmpty(l)
                ? throw new ArgumentException($"item {i} has a null or empty label", nameof(labels))
                : l)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var labelIndex = labelNames.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var groupIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var label = new int[labels.Count];
        var group = new int[labels.Count];
        int next = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            label[i] = labelIndex[labels[i]];
            var g = groups[i];
            if (g is null)
            {
                group[i] = next++;
            }
            else if (groupIndex.TryGetValue(g, out int gi))
            {
                group[i] = gi;
            }
            else
            {
                groupIndex.Add(g, next);
                group[i] = next++;
            }
        }
        return new SplitInput(label, group, labelNames, next);
    }

    /// <summary>[group, class] item counts.</summary>
    public int[][] CountsPerGroup()
    {
        var counts = new int[GroupCount][];
        for (int g = 0; g < GroupCount; g++)
            counts[g] = new int[LabelNames.Length];
        for (int i = 0; i < Count; i++)
            counts[Group[i]][Label[i]]++;
        return counts;
    }

    /// <summary>Group order after a seeded Fisher-Yates shuffle.</summary>
    public int[] ShuffledGroups(int seed)
    {
        var order = Enumerable.Range(0, GroupCount).ToArray();
        new Random(seed).Shuffle(order);
        return order;
    }

    /// <summary>Turns a group-to-part assignment into item index lists.</summary>
    public Fold ToFold(int[] groupPart, int testPart)
    {
        var train = new List<int>();
        var test = new List<int>();
        for (int i = 0; i < Count; i++)
            (groupPart[Group[i]] == testPart ? test : train).Add(i);
        return new Fold(train.ToArray(), test.ToArray());
    }
}
