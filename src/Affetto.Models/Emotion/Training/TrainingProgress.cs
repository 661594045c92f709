namespace Affetto.Models.Emotion.Training;

/// <summary>Progress of a training run, reported after every batch and at the end of every epoch.</summary>
/// <param name="Stage">What is being trained ("fold 2/5", "final").</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Maximum epochs.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">Mean training loss so far in this epoch.</param>
/// <param name="Completed">The finished epoch's record (only at the end of an epoch, else null).</param>
public sealed record TrainingProgress(string Stage, int Epoch, int Epochs, int Batch, int Batches, double Loss, ModelFile.EpochRecord? Completed);
