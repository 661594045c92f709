namespace Affetto.Models.Emotion.Reports;

/// <summary>Per-epoch training history to draw: loss and accuracy, training and (optionally) validation.</summary>
/// <param name="TrainLoss">Training loss per epoch.</param>
/// <param name="ValidationLoss">Validation loss per epoch, or null.</param>
/// <param name="TrainAccuracy">Training accuracy per epoch.</param>
/// <param name="ValidationAccuracy">Validation accuracy per epoch, or null.</param>
/// <param name="Name">Which run this is when a model has several (e.g. "member 2" of an ensemble), or null.</param>
public sealed record TrainingCurves(
    IReadOnlyList<double> TrainLoss,
    IReadOnlyList<double>? ValidationLoss,
    IReadOnlyList<double> TrainAccuracy,
    IReadOnlyList<double>? ValidationAccuracy,
    string? Name = null);
