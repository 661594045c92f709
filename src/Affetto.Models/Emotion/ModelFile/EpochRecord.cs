namespace Affetto.Models.Emotion.ModelFile;

/// <summary>One epoch of training history (snake_case in the model file's <c>affetto.history</c>).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches.</param>
/// <param name="TrainAccuracy">Segment accuracy on the training batches (with augmentation, dropout on).</param>
/// <param name="ValidationLoss">Mean loss on the validation segments, or null without validation.</param>
/// <param name="ValidationAccuracy">Segment accuracy on the validation set, or null.</param>
/// <param name="ValidationTrackAccuracy">Track accuracy on the validation set (segment votes combined), or null.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch (training and validation).</param>
/// <param name="Member">In an ensemble's history, the 1-based member whose training this epoch was; null for a single
/// network (and then left out of the file).</param>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double? ValidationTrackAccuracy,
    double LearningRate,
    double Seconds,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    int? Member = null);
