using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Tests.Support;
using Affetto.Nn.Modules;
using Affetto.Nn.Serialization;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Tests.Architectures;

public sealed class EmotionNetworkTests
{
    public static IEnumerable<object[]> EmbeddingSizes() =>
    [
        [Architecture.Cnn4, 128],
        [Architecture.Vgg16, 128],
        [Architecture.EfficientNetV2S, 1280],
        [Architecture.EfficientNetV2Narrow, 320],
        [Architecture.Multimodal, 192],
        [Architecture.Mlp, 128],
    ];

    [Theory]
    [MemberData(nameof(EmbeddingSizes))]
    public void LogitsAndEmbed_SmallBatch_HaveTheDocumentedShapes(Architecture a, int embeddingSize)
    {
        var net = NetworkFactory.Create(ArchitectureTestData.Spec(a), 1);
        var (s, f) = ArchitectureTestData.Inputs(net.Spec, batch: 3);
        Assert.Equal(embeddingSize, net.EmbeddingSize);
        Assert.Equal([3, 4], net.Logits(s, f).Shape);
        net.Eval();
        Assert.Equal([3, embeddingSize], net.Embed(s, f).Shape);
        Assert.All(net.Logits(s, f).ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [MemberData(nameof(ArchitectureTestData.All), MemberType = typeof(ArchitectureTestData))]
    public void Backward_TrainingStep_GivesEveryParameterAFiniteGradient(Architecture a)
    {
        var net = NetworkFactory.Create(ArchitectureTestData.Spec(a, dropout: 0f, stochasticDepth: 0f), 2);
        var (s, f) = ArchitectureTestData.Inputs(net.Spec);
        var loss = new CrossEntropyLoss().Forward(net.Logits(s, f), Tensor.FromArray([1f, 3f]));
        loss.Backward();
        foreach (var (name, p) in net.NamedParameters())
        {
            Assert.True(p.Grad != null, $"{name} has no gradient");
            var g = p.Grad!.ToArray();
            Assert.All(g, v => Assert.True(float.IsFinite(v), $"{name} has a non-finite gradient"));
            if (name.EndsWith("weight", StringComparison.Ordinal))
            {
                Assert.True(g.Any(v => v != 0f), $"{name} has an all-zero gradient");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ArchitectureTestData.All), MemberType = typeof(ArchitectureTestData))]
    public void Eval_RepeatedCalls_GiveIdenticalOutputs_WhileTrainingDropoutVaries(Architecture a)
    {
        var net = NetworkFactory.Create(ArchitectureTestData.Spec(a, dropout: 0.5f), 3);
        var (s, f) = ArchitectureTestData.Inputs(net.Spec);
        var t1 = net.Logits(s, f).ToArray();
        var t2 = net.Logits(s, f).ToArray();
        Assert.NotEqual(t1, t2);
        net.Eval();
        using (Tensor.NoGrad())
        {
            Assert.Equal(net.Logits(s, f).ToArray(), net.Logits(s, f).ToArray());
            Assert.Equal(net.Embed(s, f).ToArray(), net.Embed(s, f).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(ArchitectureTestData.All), MemberType = typeof(ArchitectureTestData))]
    public void SaveLoadSafeTensors_IntoADifferentlySeededNetwork_ReproducesTheOutputs(Architecture a)
    {
        var spec = ArchitectureTestData.Spec(a);
        var net = NetworkFactory.Create(spec, 4);
        var (s, f) = ArchitectureTestData.Inputs(spec);
        net.Logits(s, f); // one training forward moves the BatchNorm running statistics away from their initial values
        net.Eval();
        var expected = net.Logits(s, f).ToArray();

        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "net.safetensors");
        net.SaveSafeTensors(path, new Dictionary<string, string> { ["spec"] = spec.ToJson() });
        var other = NetworkFactory.Create(spec, 99);
        other.Eval();
        Assert.NotEqual(expected, other.Logits(s, f).ToArray());
        var meta = other.LoadSafeTensors(path);
        Assert.Equal(spec, NetworkSpec.FromJson(meta["spec"]));
        Assert.Equal(expected, other.Logits(s, f).ToArray());
    }

    [Fact]
    public void Forward_Multimodal_ThrowsExplainingBothInputsAreNeeded()
    {
        var net = NetworkFactory.Create(ArchitectureTestData.Spec(Architecture.Multimodal), 1);
        var (s, _) = ArchitectureTestData.Inputs(net.Spec);
        var e = Assert.Throws<InvalidOperationException>(() => net.Forward(s!));
        Assert.Contains("Logits(spectrogram, features)", e.Message);
    }

    [Theory]
    [InlineData(Architecture.Cnn4)]
    [InlineData(Architecture.Mlp)]
    public void Forward_SingleInputArchitecture_EqualsLogits(Architecture a)
    {
        var net = NetworkFactory.Create(ArchitectureTestData.Spec(a), 1);
        net.Eval();
        var (s, f) = ArchitectureTestData.Inputs(net.Spec);
        Assert.Equal(net.Logits(s, f).ToArray(), net.Forward(s ?? f!).ToArray());
    }

    public static IEnumerable<object?[]> BadInputs() =>
    [
        [Architecture.Cnn4, null, null, "needs a spectrogram input [B, 1, H, W]"],
        [Architecture.Cnn4, new[] { 2, 2, 64, 44 }, null, "spectrogram must be [B, 1, H, W], got [2, 2, 64, 44]"],
        [Architecture.Cnn4, new[] { 64, 44 }, null, "got [64, 44]"],
        [Architecture.Mlp, null, null, "needs a feature input [B, 20]"],
        [Architecture.Mlp, null, new[] { 2, 19 }, "features must be [B, 20], got [2, 19]"],
        [Architecture.Multimodal, new[] { 2, 1, 64, 44 }, null, "needs a feature input"],
        [Architecture.Multimodal, new[] { 2, 1, 64, 44 }, new[] { 3, 20 }, "spectrogram batch 2 differs from feature batch 3"],
        [Architecture.Cnn4, new[] { 2, 1, 64, 15 }, null, "spectrogram 64 x 15 (bins x frames) is smaller than the network's minimum 16 x 16"],
        [Architecture.Multimodal, new[] { 2, 1, 8, 44 }, new[] { 2, 20 }, "minimum 16 x 16"],
        [Architecture.Vgg16, new[] { 2, 1, 64, 31 }, null, "spectrogram 64 x 31 (bins x frames) is smaller than the network's minimum 32 x 32"],
    ];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Logits_MissingOrMisshapenInput_ThrowsNamingTheExpectedShape(Architecture a, int[]? spectrogram, int[]? features, string expected)
    {
        var net = NetworkFactory.Create(ArchitectureTestData.Spec(a), 1);
        var s = spectrogram == null ? null : Tensor.Zeros(spectrogram);
        var f = features == null ? null : Tensor.Zeros(features);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => net.Logits(s, f)).Message);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => net.Embed(s, f)).Message);
    }

    [Theory]
    [InlineData(32, 20)]
    [InlineData(128, 87)]
    public void Logits_Cnn4AndEfficientNet_AcceptOtherInputSizes(int height, int frames)
    {
        // Global average pooling frees both from the spec's size (the spec only bounds it from below).
        foreach (var a in new[] { Architecture.Cnn4, Architecture.EfficientNetV2Narrow })
        {
            var net = NetworkFactory.Create(ArchitectureTestData.Spec(a), 1);
            net.Eval();
            Assert.Equal([1, 4], net.Logits(Tensor.Zeros(1, 1, height, frames), null).Shape);
        }
    }
}
