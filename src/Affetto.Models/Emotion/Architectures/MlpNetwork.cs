using Affetto.Nn.Modules;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Emotion.Architectures;

/// <summary>
/// A multilayer perceptron on the summary feature vector only. Structure, as one Sequential <c>layers</c>:
/// Linear(FeatureDim → 256) [<c>layers.0</c>], BatchNorm1d [<c>layers.1</c>], ReLU, Dropout, Linear(256 → 128)
/// [<c>layers.4</c>], BatchNorm1d [<c>layers.5</c>], ReLU, Dropout, Linear(128 → classes) [<c>layers.8</c>].
/// The embedding is the 128-d output of the second ReLU (before its dropout). PyTorch's default initialisation.
/// </summary>
public sealed class MlpNetwork : EmotionNetwork
{
    private readonly Sequential _layers;

    /// <summary>Builds the network (use <see cref="NetworkFactory.Create"/>, which validates the spec).</summary>
    internal MlpNetwork(NetworkSpec spec, Generator generator)
        : base(spec)
    {
        _layers = RegisterModule("layers", new Sequential(
            new Linear(spec.FeatureDim, 256, generator: generator),
            new BatchNorm1d(256),
            new ReLU(),
            new Dropout(spec.Dropout, generator),
            new Linear(256, 128, generator: generator),
            new BatchNorm1d(128),
            new ReLU(),
            new Dropout(spec.Dropout, generator),
            new Linear(128, spec.NumClasses, generator: generator)));
    }

    /// <inheritdoc />
    public override int EmbeddingSize => 128;

    /// <inheritdoc />
    protected override Tensor EmbedCore(Tensor? spectrogram, Tensor? features)
    {
        var x = features!;
        for (int i = 0; i < 7; i++)
        {
            x = _layers[i].Forward(x);
        }

        return x;
    }

    /// <inheritdoc />
    protected override Tensor LogitsCore(Tensor? spectrogram, Tensor? features)
    {
        var x = EmbedCore(spectrogram, features);
        return _layers[8].Forward(_layers[7].Forward(x));
    }
}
