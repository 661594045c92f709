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
    public float[] PredictProbabilities(SegmentBatch batch) => Run(batch, embed: false);

    /// <summary>Embeddings, one row of <see cref="EmotionNetwork.EmbeddingSize"/> values per segment.</summary>
    /// <param name="batch">Front-end output matching the network's inputs.</param>
    /// <returns>One vector per segment.</returns>
    public float[][] Embed(SegmentBatch batch)
    {
        float[] flat = Run(batch, embed: true);
        int e = _network.EmbeddingSize;
        return Enumerable.Range(0, batch.Count).Select(i => flat.AsSpan(i * e, e).ToArray()).ToArray();
    }

    // Softmax probabilities or embeddings; an ensemble whose members read separate inputs gets one view per member.
    private float[] Run(SegmentBatch batch, bool embed)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var separate = _network as EnsembleNetwork is { SeparateInputs: true } e ? e : null;
        var views = separate is null ? null : ViewInputs(separate, batch);
        var (spectrogram, features) = separate is null ? Inputs(_network, batch) : default;
        lock (_lock)
        {
            using (Tensor.NoGrad())
            {
                if (embed) return (views is null ? _network.Embed(spectrogram, features) : separate!.EmbedOf(views)).ToArray();
                return (views is null ? _network.Logits(spectrogram, features) : separate!.LogitsOf(views)).Softmax(1).ToArray();
            }
        }
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
