using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;

namespace Affetto.Models.Emotion.Inference;

/// <summary>
/// The lock-free, folded inference path where a network has one (<see cref="FusedCnn4Predictor"/>): a cnn4 network, or
/// an ensemble whose members are all cnn4 (their probabilities averaged, as <see cref="EnsembleNetwork"/> does).
/// </summary>
public static class FoldedPredictor
{
    /// <summary>
    /// A thread-safe function returning <c>batch.Count x classes</c> probabilities, or null when
    /// <paramref name="network"/> has no folded form (then use <see cref="ModelFile.EmotionModel.PredictProbabilities"/>).
    /// </summary>
    public static Func<SegmentBatch, float[]>? TryCreate(EmotionNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network is not EnsembleNetwork ensemble)
            return FusedCnn4Predictor.TryCreate(network) is { } single ? single.PredictProbabilities : null;
        var members = new FusedCnn4Predictor[ensemble.Members.Count];
        for (int i = 0; i < members.Length; i++)
            if ((members[i] = FusedCnn4Predictor.TryCreate(ensemble.Members[i])!) is null) return null;
        // Members with separate inputs read their own view of the batch.
        bool separate = ensemble.SeparateInputs;
        return batch =>
        {
            var views = separate ? batch.ViewsFor(members.Length) : null;
            float[] mean = members[0].PredictProbabilities(views?[0] ?? batch);
            for (int i = 1; i < members.Length; i++)
                System.Numerics.Tensors.TensorPrimitives.Add(mean, members[i].PredictProbabilities(views?[i] ?? batch), mean);
            System.Numerics.Tensors.TensorPrimitives.Multiply(mean, 1f / members.Length, mean);
            return mean;
        };
    }
}
