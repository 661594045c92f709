using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Emotion.Inference;

/// <summary>
/// Runs an <see cref="EmotionNetwork"/> in evaluation mode on a <see cref="SegmentBatch"/>: softmax probabilities
/// for analysis, penultimate embeddings for maps. Calls on one network are serialised (a module is not re-entrant).
/// </summary>
public sealed class NetworkPredictor
{
    private readonly EmotionNetwork _network;
    private readonly Lock _lock = new();

    /// <summary>Wraps <paramref name="network"/> and switches it to evaluation mode.</summary>
    /// <param name="network">A trained (or freshly initialised) network.</param>
    public NetworkPredictor(EmotionNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        _network.Eval();
    }

    /// <summary>The wrapped network.</summary>
    public EmotionNetwork Network => _network;

    /// <summary>Class probabilities, <c>batch.Count x NumClasses</c>, segment-major.</summary>
    /// <param name="batch">Front-end output matching the network's inputs.</param>
    /// <returns>The probabilities.</returns>
    /// <exception cref="ArgumentException">The batch lacks an input the network needs or has the wrong shape.</exception>
    public float[] PredictProbabilities(SegmentBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_network is EnsembleNetwork { SeparateInputs: true } ensemble)
        {
            var inputs = ViewInputs(ensemble, batch);
            lock (_lock)
            {
                using (Tensor.NoGrad())
                    return ensemble.LogitsOf(inputs).Softmax(1).ToArray();
            }
        }
        var (spectrogram, features) = Inputs(_network, batch);
        lock (_lock)
        {
            using (Tensor.NoGrad())
                return _network.Logits(spectrogram, features).Softmax(1).ToArray();
        }
    }

    /// <summary>Embeddings, one row of <see cref="EmotionNetwork.EmbeddingSize"/> values per segment.</summary>
    /// <param name="batch">Front-end output matching the network's inputs.</param>
    /// <returns>One vector per segment.</returns>
    public float[][] Embed(SegmentBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        float[] flat;
        if (_network is EnsembleNetwork { SeparateInputs: true } ensemble)
        {
            var inputs = ViewInputs(ensemble, batch);
            lock (_lock)
            {
                using (Tensor.NoGrad())
                    flat = ensemble.EmbedOf(inputs).ToArray();
            }
        }
        else
        {
            var (spectrogram, features) = Inputs(_network, batch);
            lock (_lock)
            {
                using (Tensor.NoGrad())
                    flat = _network.Embed(spectrogram, features).ToArray();
            }
        }
        int e = _network.EmbeddingSize;
        return Enumerable.Range(0, batch.Count).Select(i => flat.AsSpan(i * e, e).ToArray()).ToArray();
    }

    // Member i reads view i of the batch.
    private static (Tensor?, Tensor?)[] ViewInputs(EnsembleNetwork ensemble, SegmentBatch batch)
    {
        var views = batch.ViewsFor(ensemble.Members.Count);
        return ensemble.Members.Select((m, i) => Inputs(m, views[i])).ToArray();
    }

    private static (Tensor? Spectrogram, Tensor? Features) Inputs(EmotionNetwork network, SegmentBatch batch)
    {
        Tensor? spectrogram = null, features = null;
        if (network.UsesSpectrogram)
        {
            if (batch.Spectrograms is null)
                throw new ArgumentException("the network needs spectrograms but the front end computed none", nameof(batch));
            spectrogram = Tensor.FromArray(batch.Spectrograms, batch.Count, 1, batch.Height, batch.Width);
        }
        if (network.UsesFeatures)
        {
            if (batch.Features is null)
                throw new ArgumentException("the network needs summary features but the front end computed none", nameof(batch));
            features = Tensor.FromArray(batch.Features, batch.Count, batch.FeatureDim);
        }
        return (spectrogram, features);
    }
}
