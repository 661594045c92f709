namespace Affetto.Models.Evaluation;

/// <summary>Precision, recall, F1 and support of one class, with scikit-learn's zero-division convention.</summary>
/// <param name="Label">The class label.</param>
/// <param name="Precision">tp / (tp + fp); 0 when the class was never predicted (<paramref name="PrecisionUndefined"/>).</param>
/// <param name="Recall">tp / (tp + fn); 0 when the class has no true items (<paramref name="RecallUndefined"/>).</param>
/// <param name="F1">2 P R / (P + R); 0 when P + R = 0.</param>
/// <param name="Support">Number of items whose true label is the class.</param>
/// <param name="PrecisionUndefined">True when precision divided by zero and was set to 0 (sklearn warns then).</param>
/// <param name="RecallUndefined">True when recall divided by zero and was set to 0 (sklearn warns then).</param>
public sealed record ClassMetrics(
    string Label,
    double Precision,
    double Recall,
    double F1,
    int Support,
    bool PrecisionUndefined,
    bool RecallUndefined);
