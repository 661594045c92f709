namespace Affetto.Models.Evaluation;

/// <summary>The combined prediction for one track.</summary>
/// <param name="TrackId">The track id.</param>
/// <param name="Probabilities">Mean probabilities (soft voting) or vote fractions (majority), one per class.</param>
/// <param name="PredictedClass">Index of the predicted class.</param>
/// <param name="SegmentCount">Number of segments combined.</param>
public sealed record TrackPrediction(string TrackId, IReadOnlyList<double> Probabilities, int PredictedClass, int SegmentCount);
