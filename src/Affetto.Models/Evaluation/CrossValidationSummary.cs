namespace Affetto.Models.Evaluation;

/// <summary>Each report metric's mean ± sample std (ddof = 1) over cross-validation folds.</summary>
/// <param name="Accuracy">Accuracy over folds.</param>
/// <param name="WeightedPrecision">Weighted precision over folds.</param>
/// <param name="WeightedRecall">Weighted recall over folds.</param>
/// <param name="WeightedF1">Weighted F1 over folds.</param>
/// <param name="MacroF1">Macro F1 over folds.</param>
public sealed record CrossValidationSummary(
    MeanStd Accuracy,
    MeanStd WeightedPrecision,
    MeanStd WeightedRecall,
    MeanStd WeightedF1,
    MeanStd MacroF1)
{
    /// <summary>Summarises per-fold reports.</summary>
    /// <param name="folds">One report per fold, at least two.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentException">Fewer than two reports, a null report, or a non-finite metric.</exception>
    public static CrossValidationSummary From(IReadOnlyList<ClassificationReport> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        if (folds.Any(f => f is null))
            throw new ArgumentException("a fold report is null", nameof(folds));
        return new CrossValidationSummary(
            MeanStd.Of(folds.Select(f => f.Accuracy).ToArray()),
            MeanStd.Of(folds.Select(f => f.WeightedPrecision).ToArray()),
            MeanStd.Of(folds.Select(f => f.WeightedRecall).ToArray()),
            MeanStd.Of(folds.Select(f => f.WeightedF1).ToArray()),
            MeanStd.Of(folds.Select(f => f.MacroF1).ToArray()));
    }
}
