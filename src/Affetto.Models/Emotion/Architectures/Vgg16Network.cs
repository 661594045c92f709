using Affetto.Nn.Modules;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Emotion.Architectures;

/// <summary>
/// VGG16 with BatchNorm (torchvision's vgg16_bn layout) configured for spectrograms. Structure, with every channel
/// count × Width (at least 1; default Width 0.25, see <see cref="NetworkSpec.DefaultWidth"/>):
/// <list type="bullet">
/// <item><c>features</c>: five groups of 3×3 convolutions (padding 1, biased) each followed by BatchNorm2d and ReLU —
/// 2×64, 2×128, 3×256, 3×512, 3×512 — and a 2×2 max-pool after each group, as torchvision numbers them
/// (<c>features.0</c> conv, <c>features.1</c> BN, <c>features.2</c> ReLU, ..., <c>features.6</c> pool, ...,
/// <c>features.43</c> last pool). A pool halves an axis only while that axis is at least 2 long at that point for
/// the spec's input size (so a 1-wide axis is never pooled to 0); the decision is fixed when the network is built;</item>
/// <item>global average pooling (instead of torchvision's 7×7 adaptive pool and 25088-input classifier);</item>
/// <item><c>classifier</c>: Linear(512w → 512w) [<c>.0</c>], ReLU, Dropout, Linear(512w → classes) [<c>.3</c>]; the
/// embedding is the hidden layer after ReLU.</item>
/// </list>
/// Initialisation follows torchvision: convolutions Kaiming-normal (fan-out, ReLU), zero biases, BN weight 1 bias 0,
/// linear weights N(0, 0.01), zero biases.
/// </summary>
public sealed class Vgg16Network : EmotionNetwork
{
    /// <summary>The VGG16 configuration: convolution widths, 0 = max-pool.</summary>
    public static readonly int[] Configuration = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0];

    private readonly Sequential _features;
    private readonly Sequential _classifier;

    /// <summary>Builds the network (use <see cref="NetworkFactory.Create"/>, which validates the spec).</summary>
    internal Vgg16Network(NetworkSpec spec, Generator generator)
        : base(spec)
    {
        var features = new Sequential();
        var pools = new List<(int H, int W)>();
        int cin = spec.InputChannels, h = spec.InputHeight, w = spec.InputWidth;
        foreach (int c in Configuration)
        {
            if (c == 0)
            {
                int kh = h >= 2 ? 2 : 1, kw = w >= 2 ? 2 : 1;
                features.Add(new AxisMaxPool2d(kh, kw));
                pools.Add((kh, kw));
                h /= kh;
                w /= kw;
                continue;
            }

            int cout = Cnn4Network.ScaledChannels(c, spec.Width);
            var conv = new Conv2d(cin, cout, 3, padding: 1, generator: generator);
            Init.KaimingNormal(conv.Weight, mode: FanMode.FanOut, nonlinearity: "relu", generator: generator);
            Init.Zeros(conv.Bias!);
            features.Add(conv);
            features.Add(new BatchNorm2d(cout));
            features.Add(new ReLU());
            cin = cout;
        }

        _features = RegisterModule("features", features);
        Pools = pools;
        EmbeddingSize = Cnn4Network.ScaledChannels(512, spec.Width);
        var fc1 = new Linear(cin, EmbeddingSize, generator: generator);
        var fc2 = new Linear(EmbeddingSize, spec.NumClasses, generator: generator);
        foreach (var fc in new[] { fc1, fc2 })
        {
            Init.Normal(fc.Weight, 0f, 0.01f, generator);
            Init.Zeros(fc.Bias!);
        }

        _classifier = RegisterModule("classifier", new Sequential(fc1, new ReLU(), new Dropout(spec.Dropout, generator), fc2));
    }

    /// <summary>The (height, width) kernel of each of the five pools as built for the spec's input size.</summary>
    public IReadOnlyList<(int H, int W)> Pools { get; }

    /// <inheritdoc />
    public override int EmbeddingSize { get; }

    /// <inheritdoc />
    public override (int Height, int Width) MinimumInputSize =>
        (Pools.Aggregate(1, (p, k) => p * k.H), Pools.Aggregate(1, (p, k) => p * k.W));

    /// <inheritdoc />
    protected override Tensor EmbedCore(Tensor? spectrogram, Tensor? features)
    {
        var x = Cnn4Network.GlobalPool(_features.Forward(spectrogram!));
        return _classifier[1].Forward(_classifier[0].Forward(x));
    }

    /// <inheritdoc />
    protected override Tensor LogitsCore(Tensor? spectrogram, Tensor? features)
    {
        var x = EmbedCore(spectrogram, features);
        return _classifier[3].Forward(_classifier[2].Forward(x));
    }
}
