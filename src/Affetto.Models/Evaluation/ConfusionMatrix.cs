namespace Affetto.Models.Evaluation;

/// <summary>
/// A confusion matrix (rows = true label, columns = predicted label) over a fixed, ordered label list, and the
/// metrics derived from it: accuracy, per-class precision/recall/F1/support, and their macro and support-weighted
/// averages. Values match scikit-learn's <c>precision_recall_fscore_support</c> (version 1.2) with the default
/// <c>zero_division="warn"</c>: an undefined ratio is 0 and flagged.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] _counts;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates an empty matrix.</summary>
    /// <param name="labels">The labels in row/column order; at least one, none empty or repeated.</param>
    /// <exception cref="ArgumentException">No labels, an empty label or a repeated label.</exception>
    public ConfusionMatrix(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0)
            throw new ArgumentException("a confusion matrix needs at least one label", nameof(labels));
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < labels.Count; i++)
        {
            if (string.IsNullOrEmpty(labels[i]))
                throw new ArgumentException($"label {i} is null or empty", nameof(labels));
            if (!_index.TryAdd(labels[i], i))
                throw new ArgumentException($"label '{labels[i]}' occurs twice", nameof(labels));
        }
        Labels = labels.ToArray();
        _counts = new int[labels.Count, labels.Count];
    }

    /// <summary>The labels in row/column order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Number of items counted.</summary>
    public int Total { get; private set; }

    /// <summary>Count of items with true label <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    /// <param name="truth">Row (true class index).</param>
    /// <param name="predicted">Column (predicted class index).</param>
    public int this[int truth, int predicted] => _counts[truth, predicted];

    /// <summary>Builds a matrix from parallel label lists.</summary>
    /// <param name="truth">True labels.</param>
    /// <param name="predicted">Predicted labels.</param>
    /// <param name="labels">Label order; null for the ordinal-sorted union of both lists (as scikit-learn).</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="ArgumentException">Lists of different lengths, or a label missing from <paramref name="labels"/>.</exception>
    public static ConfusionMatrix From(IReadOnlyList<string> truth, IReadOnlyList<string> predicted, IReadOnlyList<string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (truth.Count != predicted.Count)
            throw new ArgumentException($"{truth.Count} true labels but {predicted.Count} predictions", nameof(predicted));
        labels ??= truth.Concat(predicted).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var m = new ConfusionMatrix(labels);
        for (int i = 0; i < truth.Count; i++)
            m.Add(truth[i], predicted[i]);
        return m;
    }

    /// <summary>Builds a matrix from parallel class-index lists.</summary>
    /// <param name="truth">True class indices.</param>
    /// <param name="predicted">Predicted class indices.</param>
    /// <param name="labels">Label names; indices must be in 0..labels.Count-1.</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="ArgumentException">Spans of different lengths.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index outside the label list.</exception>
    public static ConfusionMatrix FromIndices(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, IReadOnlyList<string> labels)
    {
        if (truth.Length != predicted.Length)
            throw new ArgumentException($"{truth.Length} true labels but {predicted.Length} predictions", nameof(predicted));
        var m = new ConfusionMatrix(labels);
        for (int i = 0; i < truth.Length; i++)
            m.Add(truth[i], predicted[i]);
        return m;
    }

    /// <summary>Counts one item.</summary>
    /// <param name="truth">True label.</param>
    /// <param name="predicted">Predicted label.</param>
    /// <exception cref="ArgumentException">A label is not in <see cref="Labels"/>.</exception>
    public void Add(string truth, string predicted) => Add(IndexOf(truth, nameof(truth)), IndexOf(predicted, nameof(predicted)));

    /// <summary>Counts one item.</summary>
    /// <param name="truth">True class index.</param>
    /// <param name="predicted">Predicted class index.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index outside the label list.</exception>
    public void Add(int truth, int predicted)
    {
        if ((uint)truth >= (uint)Labels.Count)
            throw new ArgumentOutOfRangeException(nameof(truth), truth, $"true class index must be in 0..{Labels.Count - 1}");
        if ((uint)predicted >= (uint)Labels.Count)
            throw new ArgumentOutOfRangeException(nameof(predicted), predicted, $"predicted class index must be in 0..{Labels.Count - 1}");
        _counts[truth, predicted]++;
        Total++;
    }

    /// <summary>Fraction of items on the diagonal.</summary>
    /// <exception cref="InvalidOperationException">The matrix is empty.</exception>
    public double Accuracy
    {
        get
        {
            EnsureNotEmpty();
            long diagonal = 0;
            for (int c = 0; c < Labels.Count; c++)
                diagonal += _counts[c, c];
            return (double)diagonal / Total;
        }
    }

    /// <summary>Metrics of one class.</summary>
    /// <param name="c">Class index.</param>
    /// <returns>Precision, recall, F1, support and zero-division flags.</returns>
    /// <exception cref="InvalidOperationException">The matrix is empty.</exception>
    public ClassMetrics ForClass(int c)
    {
        EnsureNotEmpty();
        if ((uint)c >= (uint)Labels.Count)
            throw new ArgumentOutOfRangeException(nameof(c), c, $"class index must be in 0..{Labels.Count - 1}");
        int tp = _counts[c, c];
        int predicted = 0, support = 0;
        for (int k = 0; k < Labels.Count; k++)
        {
            predicted += _counts[k, c];
            support += _counts[c, k];
        }
        bool pUndefined = predicted == 0, rUndefined = support == 0;
        double precision = pUndefined ? 0 : (double)tp / predicted;
        double recall = rUndefined ? 0 : (double)tp / support;
        double denominator = precision + recall;
        double f1 = denominator == 0 ? 0 : 2 * precision * recall / denominator;
        return new ClassMetrics(Labels[c], precision, recall, f1, support, pUndefined, rUndefined);
    }

    /// <summary>Metrics of every class, in label order.</summary>
    /// <returns>One entry per label.</returns>
    public IReadOnlyList<ClassMetrics> PerClass() => Enumerable.Range(0, Labels.Count).Select(ForClass).ToArray();

    /// <summary>Unweighted mean over all labels (scikit-learn's average='macro'; labels without items count as 0).</summary>
    public AveragedMetrics Macro
    {
        get
        {
            var per = PerClass();
            return new AveragedMetrics(per.Average(m => m.Precision), per.Average(m => m.Recall), per.Average(m => m.F1),
                per.Any(m => m.PrecisionUndefined || m.RecallUndefined));
        }
    }

    /// <summary>Mean weighted by support, the number of true items per class (scikit-learn's average='weighted').</summary>
    public AveragedMetrics Weighted
    {
        get
        {
            var per = PerClass();
            double weight = per.Sum(m => (double)m.Support);
            // Classes with support 0 have weight 0, so only their precision flag can matter (as in scikit-learn).
            bool zeroDivision = per.Any(m => m.Support > 0 && m.PrecisionUndefined);
            return new AveragedMetrics(
                per.Sum(m => m.Support * m.Precision) / weight,
                per.Sum(m => m.Support * m.Recall) / weight,
                per.Sum(m => m.Support * m.F1) / weight,
                zeroDivision);
        }
    }

    /// <summary>The counts as a jagged array, rows = truth.</summary>
    /// <returns>A copy of the counts.</returns>
    public int[][] ToArray() =>
        Enumerable.Range(0, Labels.Count).Select(r => Enumerable.Range(0, Labels.Count).Select(c => _counts[r, c]).ToArray()).ToArray();

    /// <summary>The report with accuracy, weighted precision/recall/F1, macro F1, labels and counts.</summary>
    /// <returns>The report.</returns>
    /// <exception cref="InvalidOperationException">The matrix is empty.</exception>
    public ClassificationReport ToReport()
    {
        var weighted = Weighted;
        return new ClassificationReport(Accuracy, weighted.Precision, weighted.Recall, weighted.F1, Macro.F1, Labels.ToArray(), ToArray());
    }

    private int IndexOf(string label, string paramName) =>
        label is not null && _index.TryGetValue(label, out int i)
            ? i
            : throw new ArgumentException($"label '{label}' is not one of the matrix labels [{string.Join(", ", Labels)}]", paramName);

    private void EnsureNotEmpty()
    {
        if (Total == 0)
            throw new InvalidOperationException("the confusion matrix is empty: metrics are undefined");
    }
}
