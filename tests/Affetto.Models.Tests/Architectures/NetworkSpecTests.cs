using Affetto.Models.Emotion.Architectures;

namespace Affetto.Models.Tests.Architectures;

public sealed class NetworkSpecTests
{
    [Theory]
    [MemberData(nameof(ArchitectureTestData.All), MemberType = typeof(ArchitectureTestData))]
    public void ToJson_FromJson_RoundTripsEveryField(Architecture a)
    {
        var spec = ArchitectureTestData.Spec(a) with { NumClasses = 7, InputChannels = 2, Dropout = 0.125f, StochasticDepthProb = 0.05f };
        var back = NetworkSpec.FromJson(spec.ToJson());
        Assert.Equal(spec, back);
    }

    [Fact]
    public void SeparateInputs_RoundTrips_AndIsLeftOutOfTheJsonWhenFalse()
    {
        var members = new[] { NetworkSpec.For(Architecture.Cnn4, 64, 173), NetworkSpec.For(Architecture.Cnn4, 128, 87) };
        var separate = NetworkSpec.Ensemble(members, [1, 2], separateInputs: true);
        Assert.Contains("\"separate_inputs\":true", separate.ToJson());
        Assert.Equal(separate, NetworkSpec.FromJson(separate.ToJson()));
        Assert.Empty(NetworkFactory.Validate(separate));
        var shared = NetworkSpec.Ensemble(members, [1, 2]);
        Assert.DoesNotContain("separate_inputs", shared.ToJson());
        Assert.NotEqual(separate, shared);
        Assert.Contains(NetworkFactory.Validate(shared), p => p.Contains("member 1 takes 1x128x87 spectrograms", StringComparison.Ordinal));
    }

    [Fact]
    public void ToJson_UsesSnakeCaseKeysAndTheCliName()
    {
        var json = NetworkSpec.For(Architecture.EfficientNetV2Narrow, 128, 87).ToJson();
        Assert.Equal(
            "{\"architecture\":\"efficientnetv2-narrow\",\"num_classes\":4,\"input_channels\":1,\"input_height\":128,\"input_width\":87," +
            "\"feature_dim\":0,\"width\":0.25,\"dropout\":0.3,\"stochastic_depth_prob\":0.2}",
            json);
    }

    [Fact]
    public void FromJson_MissingOptionalKeys_TakesDefaults()
    {
        var spec = NetworkSpec.FromJson("{\"architecture\":\"cnn4\",\"input_height\":64,\"input_width\":44}");
        Assert.Equal(new NetworkSpec { Architecture = Architecture.Cnn4, InputHeight = 64, InputWidth = 44 }, spec);
    }

    [Theory]
    [InlineData("not json", "invalid")]
    [InlineData("null", "null")]
    [InlineData("{}", "no \"architecture\"")]
    [InlineData("{\"architecture\":\"resnet50\"}", "'resnet50'")]
    [InlineData("{\"architecture\":\"cnn4\",\"num_classes\":\"four\"}", "invalid")]
    public void FromJson_BadText_ThrowsFormatException(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => NetworkSpec.FromJson(json));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData(Architecture.Cnn4, 1.0)]
    [InlineData(Architecture.Vgg16, 0.25)]
    [InlineData(Architecture.EfficientNetV2S, 1.0)]
    [InlineData(Architecture.EfficientNetV2Narrow, 0.25)]
    [InlineData(Architecture.Multimodal, 1.0)]
    [InlineData(Architecture.Mlp, 1.0)]
    public void For_RecordsTheArchitecturesDefaultWidth(Architecture a, double width) =>
        Assert.Equal(width, NetworkSpec.For(a, 128, 87, 30).Width);

    [Theory]
    [InlineData(Architecture.Cnn4, true, false)]
    [InlineData(Architecture.Vgg16, true, false)]
    [InlineData(Architecture.EfficientNetV2S, true, false)]
    [InlineData(Architecture.EfficientNetV2Narrow, true, false)]
    [InlineData(Architecture.Multimodal, true, true)]
    [InlineData(Architecture.Mlp, false, true)]
    public void UsesInputs_MatchTheArchitecture(Architecture a, bool spectrogram, bool features)
    {
        var spec = NetworkSpec.For(a, 128, 87, 30);
        Assert.Equal(spectrogram, spec.UsesSpectrogram);
        Assert.Equal(features, spec.UsesFeatures);
        Assert.Equal(spectrogram ? 128 : 0, spec.InputHeight);
        Assert.Equal(features ? 30 : 0, spec.FeatureDim);
    }
}
