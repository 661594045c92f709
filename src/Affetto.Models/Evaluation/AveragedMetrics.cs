namespace Affetto.Models.Evaluation;

/// <summary>Precision, recall and F1 averaged over classes.</summary>
/// <param name="Precision">Averaged precision.</param>
/// <param name="Recall">Averaged recall.</param>
/// <param name="F1">Averaged per-class F1 (not the F1 of the averaged precision and recall, as in scikit-learn).</param>
/// <param name="ZeroDivision">True when some per-class value or the weights divided by zero and were taken as 0.</param>
public sealed record AveragedMetrics(double Precision, double Recall, double F1, bool ZeroDivision);
