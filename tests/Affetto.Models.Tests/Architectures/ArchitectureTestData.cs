using Affetto.Models.Emotion.Architectures;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Tests.Architectures;

/// <summary>Small specs and inputs shared by the architecture tests.</summary>
internal static class ArchitectureTestData
{
    public const int FeatureDim = 20;
    public const int Height = 64;
    public const int Frames = 44;

    /// <summary>The spec of each architecture at the test input size (names = CLI names; keys.json uses the same).</summary>
    public static NetworkSpec Spec(Architecture a, float dropout = 0.3f, float stochasticDepth = 0.2f) =>
        NetworkSpec.For(a, Height, Frames, FeatureDim) with { Dropout = dropout, StochasticDepthProb = stochasticDepth };

    public static IEnumerable<object[]> All() => Enum.GetValues<Architecture>().Select(a => new object[] { a });

    public static (Tensor? Spectrogram, Tensor? Features) Inputs(NetworkSpec spec, int batch = 2, long seed = 11)
    {
        var g = new Generator(seed);
        var s = spec.UsesSpectrogram ? Tensor.Randn([batch, spec.InputChannels, spec.InputHeight, spec.InputWidth], g) : null;
        var f = spec.UsesFeatures ? Tensor.Randn([batch, spec.FeatureDim], g) : null;
        return (s, f);
    }
}
