using Affetto.Nn.Modules;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Emotion.Architectures;

/// <summary>
/// The seed's small CNN. Structure (state-dict keys in brackets), with c = (16, 32, 64, 128) × Width:
/// <list type="bullet">
/// <item><c>features</c>: four blocks of Conv2d 3×3 padding 1 (biased) [<c>features.{4i}</c>], BatchNorm2d
/// [<c>features.{4i+1}</c>], ReLU, MaxPool2d(2), for i = 0..3;</item>
/// <item>global average pooling and flatten → the embedding (c₃ values, 128 at Width 1);</item>
/// <item><c>classifier</c>: Dropout [<c>classifier.0</c>], Linear(c₃ → classes) [<c>classifier.1</c>].</item>
/// </list>
/// The seed flattened the last feature map into its linear layer, which ties the network to one input size; global
/// average pooling is used instead so segments of any length (≥ 16 × 16, the pooling stack's minimum) work, with far
/// fewer parameters. Layers use PyTorch's default initialisation.
/// </summary>
public sealed class Cnn4Network : EmotionNetwork
{
    private readonly Sequential _features;
    private readonly Sequential _classifier;

    /// <summary>Base channel counts of the four blocks (multiplied by <see cref="NetworkSpec.Width"/>).</summary>
    public static readonly int[] BaseChannels = [16, 32, 64, 128];

    /// <summary>Builds the network (use <see cref="NetworkFactory.Create"/>, which validates the spec).</summary>
    internal Cnn4Network(NetworkSpec spec, Generator generator)
        : base(spec)
    {
        _features = RegisterModule("features", BuildTrunk(spec.InputChannels, spec.Width, generator));
        EmbeddingSize = ScaledChannels(BaseChannels[^1], spec.Width);
        _classifier = RegisterModule("classifier", new Sequential(
            new Dropout(spec.Dropout, generator),
            new Linear(EmbeddingSize, spec.NumClasses, generator: generator)));
    }

    /// <inheritdoc />
    public override int EmbeddingSize { get; }

    /// <inheritdoc />
    public override (int Height, int Width) MinimumInputSize => (NetworkFactory.Cnn4MinimumSide, NetworkFactory.Cnn4MinimumSide);

    /// <summary>Channels of a block: round(base × width), at least 1.</summary>
    internal static int ScaledChannels(int baseChannels, double width) => Math.Max(1, (int)Math.Round(baseChannels * width));

    /// <summary>The four conv-BN-ReLU-maxpool blocks (shared with the multimodal spectrogram branch).</summary>
    internal static Sequential BuildTrunk(int inputChannels, double width, Generator generator)
    {
        var seq = new Sequential();
        int cin = inputChannels;
        foreach (int b in BaseChannels)
        {
            int cout = ScaledChannels(b, width);
            seq.Add(new Conv2d(cin, cout, 3, padding: 1, generator: generator));
            seq.Add(new BatchNorm2d(cout));
            seq.Add(new ReLU());
            seq.Add(new MaxPool2d(2));
            cin = cout;
        }

        return seq;
    }

    /// <summary>Global average pool and flatten: [B, C, H, W] → [B, C].</summary>
    internal static Tensor GlobalPool(Tensor x) => Functional.AdaptiveAvgPool2d(x, (1, 1)).Flatten(1);

    /// <inheritdoc />
    protected override Tensor EmbedCore(Tensor? spectrogram, Tensor? features) => GlobalPool(_features.Forward(spectrogram!));

    /// <inheritdoc />
    protected override Tensor LogitsCore(Tensor? spectrogram, Tensor? features) => _classifier.Forward(EmbedCore(spectrogram, features));
}
