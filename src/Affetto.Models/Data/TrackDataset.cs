namespace Affetto.Models.Data;

/// <summary>
/// A loaded dataset: its items, the label set, and the warnings raised while loading (annotation/folder
/// disagreements, files without annotations, annotations without files...).
/// </summary>
public sealed class TrackDataset
{
    /// <summary>Creates a dataset, checking that it is not empty, ids are unique and every label is in the label set.</summary>
    /// <param name="name">Short name for messages (e.g. "4Q").</param>
    /// <param name="root">Root folder the dataset was loaded from.</param>
    /// <param name="items">The items.</param>
    /// <param name="labels">The label set in class-index order; null to use the items' distinct labels sorted ordinally.</param>
    /// <param name="warnings">Warnings raised while loading.</param>
    /// <exception cref="ArgumentException">No items, a duplicate id, an empty label, or an item label missing from <paramref name="labels"/>.</exception>
    public TrackDataset(string name, string root, IReadOnlyList<TrackItem> items, IReadOnlyList<string>? labels = null,
        IReadOnlyList<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
            throw new ArgumentException($"dataset '{name}' at '{root}' has no items", nameof(items));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (string.IsNullOrEmpty(item.Label))
                throw new ArgumentException($"dataset '{name}': item '{item.Id}' has an empty label", nameof(items));
            if (!ids.Add(item.Id))
                throw new ArgumentException($"dataset '{name}': id '{item.Id}' occurs twice", nameof(items));
        }
        labels ??= items.Select(i => i.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var labelIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int l = 0; l < labels.Count; l++)
        {
            if (!labelIndex.TryAdd(labels[l], l))
                throw new ArgumentException($"dataset '{name}': label '{labels[l]}' occurs twice in the label set", nameof(labels));
        }
        foreach (var item in items)
        {
            if (!labelIndex.ContainsKey(item.Label))
                throw new ArgumentException(
                    $"dataset '{name}': item '{item.Id}' has label '{item.Label}', which is not in the label set [{string.Join(", ", labels)}]",
                    nameof(labels));
        }
        Name = name;
        Root = root;
        Items = items.ToArray();
        Labels = labels.ToArray();
        Warnings = (warnings ?? []).ToArray();
        _labelIndex = labelIndex;
    }

    private readonly Dictionary<string, int> _labelIndex;

    /// <summary>Short name for messages.</summary>
    public string Name { get; }

    /// <summary>Root folder the dataset was loaded from.</summary>
    public string Root { get; }

    /// <summary>The items, in a deterministic order (sorted by id or path).</summary>
    public IReadOnlyList<TrackItem> Items { get; }

    /// <summary>The label set; a label's position is its class index.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Problems found while loading that did not stop it.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The class index of a label.</summary>
    /// <param name="label">The label.</param>
    /// <returns>Its position in <see cref="Labels"/>.</returns>
    /// <exception cref="ArgumentException">The label is not in the label set.</exception>
    public int LabelIndex(string label) =>
        _labelIndex.TryGetValue(label, out int index)
            ? index
            : throw new ArgumentException($"label '{label}' is not in dataset '{Name}' (labels: {string.Join(", ", Labels)})", nameof(label));

    /// <summary>Each item's class index.</summary>
    /// <returns>An array parallel to <see cref="Items"/>.</returns>
    public int[] LabelIndices() => Items.Select(i => _labelIndex[i.Label]).ToArray();

    /// <summary>How many items each label has, in <see cref="Labels"/> order.</summary>
    /// <returns>The counts.</returns>
    public int[] CountsPerLabel()
    {
        var counts = new int[Labels.Count];
        foreach (var item in Items)
            counts[_labelIndex[item.Label]]++;
        return counts;
    }
}
