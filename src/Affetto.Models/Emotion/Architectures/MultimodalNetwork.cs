using Affetto.Nn.Modules;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Emotion.Architectures;

/// <summary>
/// Spectrogram and summary features fused. Structure:
/// <list type="bullet">
/// <item><c>spectrogram_branch</c>: the <see cref="Cnn4Network"/> trunk (four conv-BN-ReLU-maxpool blocks, channels
/// (16, 32, 64, 128) × Width, keys <c>spectrogram_branch.{4i}</c> / <c>.{4i+1}</c>), then global average pooling → 128 × Width;</item>
/// <item><c>feature_branch</c>: Linear(FeatureDim → 64) [<c>.0</c>], BatchNorm1d [<c>.1</c>], ReLU, Dropout → 64;</item>
/// <item>concatenation (spectrogram first) → the embedding (128 × Width + 64 values);</item>
/// <item><c>classifier</c>: Linear(→ 128) [<c>.0</c>], ReLU, Dropout, Linear(128 → classes) [<c>.3</c>].</item>
/// </list>
/// </summary>
public sealed class MultimodalNetwork : EmotionNetwork
{
    /// <summary>Width of the feature branch's output.</summary>
    public const int FeatureBranchSize = 64;

    /// <summary>Width of the classifier's hidden layer.</summary>
    public const int HiddenSize = 128;

    private readonly Sequential _spectrogramBranch;
    private readonly Sequential _featureBranch;
    private readonly Sequential _classifier;

    /// <summary>Builds the network (use <see cref="NetworkFactory.Create"/>, which validates the spec).</summary>
    internal MultimodalNetwork(NetworkSpec spec, Generator generator)
        : base(spec)
    {
        _spectrogramBranch = RegisterModule("spectrogram_branch", Cnn4Network.BuildTrunk(spec.InputChannels, spec.Width, generator));
        _featureBranch = RegisterModule("feature_branch", new Sequential(
            new Linear(spec.FeatureDim, FeatureBranchSize, generator: generator),
            new BatchNorm1d(FeatureBranchSize),
            new ReLU(),
            new Dropout(spec.Dropout, generator)));
        EmbeddingSize = Cnn4Network.ScaledChannels(Cnn4Network.BaseChannels[^1], spec.Width) + FeatureBranchSize;
        _classifier = RegisterModule("classifier", new Sequential(
            new Linear(EmbeddingSize, HiddenSize, generator: generator),
            new ReLU(),
            new Dropout(spec.Dropout, generator),
            new Linear(HiddenSize, spec.NumClasses, generator: generator)));
    }

    /// <inheritdoc />
    public override int EmbeddingSize { get; }

    /// <inheritdoc />
    public override (int Height, int Width) MinimumInputSize => (NetworkFactory.Cnn4MinimumSide, NetworkFactory.Cnn4MinimumSide);

    /// <inheritdoc />
    protected override Tensor EmbedCore(Tensor? spectrogram, Tensor? features)
    {
        var s = Cnn4Network.GlobalPool(_spectrogramBranch.Forward(spectrogram!));
        var f = _featureBranch.Forward(features!);
        return Tensor.Concat([s, f], 1);
    }

    /// <inheritdoc />
    protected override Tensor LogitsCore(Tensor? spectrogram, Tensor? features) => _classifier.Forward(EmbedCore(spectrogram, features));
}
