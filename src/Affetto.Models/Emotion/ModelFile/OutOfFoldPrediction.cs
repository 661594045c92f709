namespace Affetto.Models.Emotion.ModelFile;

/// <summary>
/// A track's prediction by the cross-validation model that did not train on it: the fold's model, scoring its test
/// tracks. A model file keeps every track's (<see cref="EmotionModel.CrossValidation"/>), so that its cross-validated
/// scores can be recomputed and models trained on the same folds can be combined into an ensemble and scored honestly.
/// </summary>
/// <param name="Track">The track id (dataset-relative).</param>
/// <param name="Label">Its true label.</param>
/// <param name="Fold">The 1-based fold whose test side it was on.</param>
/// <param name="Probabilities">The mean of its segments' class probabilities, in the model's label order.</param>
public sealed record OutOfFoldPrediction(string Track, string Label, int Fold, IReadOnlyList<float> Probabilities);
