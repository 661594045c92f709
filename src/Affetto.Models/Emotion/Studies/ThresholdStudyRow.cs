using Affetto.Models.Evaluation;

namespace Affetto.Models.Emotion.Studies;

/// <summary>One row of the spectrogram-size study (the seed paper's table: threshold, size, training time, accuracy).</summary>
/// <param name="Threshold">Energy-crop threshold (0 = uncropped).</param>
/// <param name="Rows">Frequency rows kept.</param>
/// <param name="FullRows">Rows of the uncropped spectrogram.</param>
/// <param name="Kibibytes">Size of the float32 feature set of all original segments, KiB.</param>
/// <param name="SizePercent">Size relative to the uncropped row (threshold 0), %.</param>
/// <param name="Seconds">Training time summed over the folds run.</param>
/// <param name="TimePercent">Training time relative to the uncropped row, %.</param>
/// <param name="Accuracy">Track accuracy over the folds run (mean ± std).</param>
/// <param name="WeightedF1">Track weighted F1 over the folds run.</param>
/// <param name="Folds">Folds run.</param>
public sealed record ThresholdStudyRow(double Threshold, int Rows, int FullRows, double Kibibytes, double SizePercent, double Seconds, double TimePercent,
    MeanStd Accuracy, MeanStd WeightedF1, int Folds);
