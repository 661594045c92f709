using Affetto.Models.Emotion.Architectures;

namespace Affetto.Models.Tests.Architectures;

public sealed class NetworkFactoryTests
{
    public static IEnumerable<object[]> InvalidSpecs() =>
    [
        [new NetworkSpec { Architecture = Architecture.Cnn4, InputHeight = 15, InputWidth = 44 }, new[] { "input_height (frequency bins) must be at least 16 (four 2x2 max-pools), got 15" }],
        [new NetworkSpec { Architecture = Architecture.Multimodal, InputHeight = 64, InputWidth = 8, FeatureDim = 0 }, new[] { "input_width (frames) must be at least 16", "feature_dim must be at least 1, got 0" }],
        [new NetworkSpec { Architecture = Architecture.Vgg16, InputHeight = 0, InputWidth = 0, NumClasses = 1, Width = 0 }, new[] { "input_height", "input_width", "num_classes must be at least 2, got 1", "width must be in (0, 16], got 0" }],
        [new NetworkSpec { Architecture = Architecture.EfficientNetV2S, InputHeight = 64, InputWidth = 44, Width = 0.5 }, new[] { "width must be 1" }],
        [new NetworkSpec { Architecture = Architecture.EfficientNetV2Narrow, InputHeight = 64, InputWidth = 44, InputChannels = 0, Dropout = 1f, StochasticDepthProb = -0.1f }, new[] { "input_channels must be at least 1, got 0", "dropout must be in [0, 1), got 1", "stochastic_depth_prob must be in [0, 1), got -0.1" }],
        [new NetworkSpec { Architecture = Architecture.Mlp, InputHeight = 64, InputWidth = 44, FeatureDim = 0 }, new[] { "mlp uses no spectrogram", "feature_dim must be at least 1" }],
        [new NetworkSpec { Architecture = Architecture.Cnn4, InputHeight = 64, InputWidth = 44, FeatureDim = 5 }, new[] { "cnn4 uses no summary features, so feature_dim must be 0 (got 5)" }],
        [new NetworkSpec { Architecture = Architecture.Cnn4, InputHeight = 64, InputWidth = 44, Dropout = float.NaN, Width = double.PositiveInfinity }, new[] { "dropout must be in [0, 1), got NaN", "width must be in (0, 16]" }],
        [new NetworkSpec { Architecture = (Architecture)99, InputHeight = 64, InputWidth = 44 }, new[] { "architecture value 99 is undefined" }],
        [new NetworkSpec { Architecture = Architecture.Ensemble }, new[] { "an ensemble needs at least two members" }],
        [NetworkSpec.Ensemble([NetworkSpec.For(Architecture.Cnn4, 64, 44), NetworkSpec.For(Architecture.Cnn4, 32, 44) with { NumClasses = 3 }], [1]),
            new[] { "needs 2 member seeds, got 1", "member 1 has 3 classes, the ensemble 4", "member 1 takes 1x32x44 spectrograms, the ensemble 1x64x44" }],
        [NetworkSpec.Ensemble([NetworkSpec.For(Architecture.Cnn4, 64, 44), NetworkSpec.Ensemble([NetworkSpec.For(Architecture.Cnn4, 64, 44)], [1])], [1, 2]),
            new[] { "member 1 is itself an ensemble" }],
        [NetworkSpec.Ensemble([NetworkSpec.For(Architecture.Mlp, 0, 0, 10), NetworkSpec.For(Architecture.Mlp, 0, 0, 12)], [1, 2]),
            new[] { "member 1 takes 12 features, the ensemble 10" }],
        [NetworkSpec.For(Architecture.Cnn4, 64, 44) with { SeparateInputs = true }, new[] { "separate_inputs is for ensembles only" }],
    ];

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Create_InvalidSpec_ThrowsOneMessageListingEveryProblem(NetworkSpec spec, string[] problems)
    {
        var e = Assert.Throws<ArgumentException>(() => NetworkFactory.Create(spec, 1));
        Assert.StartsWith("Invalid ", e.Message);
        foreach (var p in problems)
        {
            Assert.Contains(p, e.Message);
        }

        Assert.Equal(problems.Length, NetworkFactory.Validate(spec).Count);
    }

    [Theory]
    [MemberData(nameof(ArchitectureTestData.All), MemberType = typeof(ArchitectureTestData))]
    public void Validate_DefaultSpecForTheTestInput_HasNoProblems(Architecture a) =>
        Assert.Empty(NetworkFactory.Validate(ArchitectureTestData.Spec(a)));

    [Theory]
    [InlineData(Architecture.Cnn4, typeof(Cnn4Network))]
    [InlineData(Architecture.Vgg16, typeof(Vgg16Network))]
    [InlineData(Architecture.EfficientNetV2S, typeof(EfficientNetV2Network))]
    [InlineData(Architecture.EfficientNetV2Narrow, typeof(EfficientNetV2Network))]
    [InlineData(Architecture.Multimodal, typeof(MultimodalNetwork))]
    [InlineData(Architecture.Mlp, typeof(MlpNetwork))]
    public void Create_EachArchitecture_BuildsItsNetworkWithTheSpec(Architecture a, Type type)
    {
        var spec = ArchitectureTestData.Spec(a);
        var net = NetworkFactory.Create(spec, 3);
        Assert.IsType(type, net);
        Assert.Same(spec, net.Spec);
        Assert.Equal(spec.UsesSpectrogram, net.UsesSpectrogram);
        Assert.Equal(spec.UsesFeatures, net.UsesFeatures);
    }

    [Fact]
    public void Create_SameSeed_SameWeights_OtherSeed_OtherWeights()
    {
        var spec = ArchitectureTestData.Spec(Architecture.Multimodal);
        var a = NetworkFactory.Create(spec, 5).StateDict();
        var b = NetworkFactory.Create(spec, 5).StateDict();
        var c = NetworkFactory.Create(spec, 6).StateDict();
        foreach (var (k, t) in a)
        {
            Assert.Equal(t.ToArray(), b[k].ToArray());
        }

        Assert.NotEqual(a["classifier.0.weight"].ToArray(), c["classifier.0.weight"].ToArray());
        Assert.NotEqual(a["spectrogram_branch.0.weight"].ToArray(), c["spectrogram_branch.0.weight"].ToArray());
    }

    [Fact]
    public void Create_Vgg16OnANarrowInput_SkipsPoolingTheExhaustedAxis()
    {
        // 8 frames: halved three times to 1, then the last two pools keep the time axis.
        var net = (Vgg16Network)NetworkFactory.Create(NetworkSpec.For(Architecture.Vgg16, 64, 8), 1);
        Assert.Equal([(2, 2), (2, 2), (2, 2), (2, 1), (2, 1)], net.Pools);
        net.Eval();
        var (s, _) = ArchitectureTestData.Inputs(net.Spec);
        Assert.Equal([2, 4], net.Forward(s!).Shape);

        var single = (Vgg16Network)NetworkFactory.Create(NetworkSpec.For(Architecture.Vgg16, 1, 1), 1);
        Assert.All(single.Pools, p => Assert.Equal((1, 1), p));
    }
}
