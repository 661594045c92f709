using Affetto.Models.Emotion.ModelFile;

namespace Affetto.Models.Emotion.Training;

/// <summary>The outcome of <see cref="Trainer.Fit"/>.</summary>
/// <param name="Model">The trained model (the best epoch's weights when there was validation, else the last).</param>
/// <param name="History">One record per epoch run.</param>
/// <param name="BestEpoch">The epoch whose weights were kept.</param>
/// <param name="Seconds">Wall-clock training time, including any earlier run this one resumed.</param>
/// <param name="StoppedEarly">Whether early stopping ended the run before the last epoch.</param>
public sealed record TrainingRun(EmotionModel Model, IReadOnlyList<EpochRecord> History, int BestEpoch, double Seconds, bool StoppedEarly);
