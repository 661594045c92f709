using Affetto.Models.Emotion.Architectures;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Tests.Architectures;

/// <summary>Small specs and inputs shared by the architecture tests.</summary>
internal static class ArchitectureTestData
{
    public const int FeatureDim = 20;
    public const int Height = 64;
    public const int Frames = 44;

    /// <summary>
    /// The spec of each architecture at the test input size (names = CLI names; keys.json uses the same); the ensemble
    /// is a cnn4 and an mlp.
    /// </summary>
    public static NetworkSpec Spec(Architecture a, float dropout = 0.3f, float stochasticDepth = 0.2f) => a == Architecture.Ensemble
        ? NetworkSpec.Ensemble([Spec(Architecture.Cnn4, dropout, stochasticDepth), Spec(Architecture.Mlp, dropout, stochasticDepth)], [5, 6])
        : NetworkSpec.For(a, Height, Frames, FeatureDim) with { Dropout = dropout, StochasticDepthProb = stochasticDepth };

    public static IEnumerable<object[]> All() => Enum.GetValues<Architecture>().Select(a => new object[] { a });

    /// <summary>The architectures the PyTorch fixtures rebuild (an ensemble is its members, tested on its own).</summary>
    public static IEnumerable<object[]> TorchReferenced() => All().Where(a => (Architecture)a[0] != Architecture.Ensemble);

    public static (Tensor? Spectrogram, Tensor? Features) Inputs(NetworkSpec spec, int batch = 2, long seed = 11)
    {
        var g = new Generator(seed);
        var s = spec.UsesSpectrogram ? Tensor.Randn([batch, spec.InputChannels, spec.InputHeight, spec.InputWidth], g) : null;
        var f = spec.UsesFeatures ? Tensor.Randn([batch, spec.FeatureDim], g) : null;
        return (s, f);
    }
}
