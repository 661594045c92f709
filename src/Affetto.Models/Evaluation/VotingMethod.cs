namespace Affetto.Models.Evaluation;

/// <summary>How segment predictions are combined into a track prediction.</summary>
public enum VotingMethod
{
    /// <summary>Soft voting: the mean of the segments' class probabilities; the track's class is its argmax.</summary>
    Soft,

    /// <summary>
    /// Majority voting: each segment votes for its argmax class; the track's "probabilities" are the vote fractions.
    /// Tied vote counts are broken by the summed probabilities, then by the lower class index.
    /// </summary>
    Majority,
}
