using Affetto.Models.Emotion.Architectures;
using Affetto.Nn.Modules;

namespace Affetto.Models.Tests.Architectures;

/// <summary>
/// Walks the built EfficientNetV2 networks and checks each stage against Table 4 of Tan and Le (2021),
/// EfficientNetV2-S: stage, operator, stride, channels, layers. The rows below are typed from the paper, not from
/// <see cref="EfficientNetV2Network.SmallStages"/>. (The seed document 004 shows 272 channels for stage 6 and 1792
/// for the head; the published table and torchvision have 256 and 1280.)
/// </summary>
public sealed class EfficientNetV2TableTests
{
    // (fused, expand, kernel, stride, channels, layers, se) for stages 1-6
    private static readonly (bool Fused, int Expand, int Kernel, int Stride, int Channels, int Layers, bool Se)[] s_paperV2S =
    [
        (true, 1, 3, 1, 24, 2, false),
        (true, 4, 3, 2, 48, 4, false),
        (true, 4, 3, 2, 64, 4, false),
        (false, 4, 3, 2, 128, 6, true),
        (false, 6, 3, 1, 160, 9, true),
        (false, 6, 3, 2, 256, 15, true),
    ];

    [Fact]
    public void EfficientNetV2S_EveryStage_MatchesThePapersTable4()
    {
        var net = (EfficientNetV2Network)NetworkFactory.Create(ArchitectureTestData.Spec(Architecture.EfficientNetV2S), 1);
        CheckStem(net, 24);
        CheckStages(net, 24, s_paperV2S);
        CheckHead(net, 256, 1280);
        Assert.Equal(8, net.Features.Count); // stem, six stages, head and nothing else
    }

    [Fact]
    public void EfficientNetV2Narrow_KeepsTheOperatorsWithQuarterWidthAndFewerLayers()
    {
        var net = (EfficientNetV2Network)NetworkFactory.Create(ArchitectureTestData.Spec(Architecture.EfficientNetV2Narrow), 1);
        int[] channels = [8, 16, 16, 32, 40, 64];
        int[] layers = [1, 2, 2, 2, 3, 4];
        var rows = s_paperV2S.Select((r, i) => r with { Channels = channels[i], Layers = layers[i] }).ToArray();
        CheckStem(net, 8);
        CheckStages(net, 8, rows);
        CheckHead(net, 64, 320);
    }

    [Fact]
    public void EfficientNetV2S_ParameterCount_IsTorchvisionsWithOneInputChannelAndFourClasses()
    {
        // torchvision efficientnet_v2_s: 21,458,488 parameters (3 channels, 1000 classes). One input channel removes
        // 2 x 24 x 3 x 3 stem weights; 4 classes instead of 1000 remove 996 x (1280 + 1) classifier parameters.
        long expected = 21_458_488L - (2 * 24 * 3 * 3) - (996 * (1280 + 1));
        var net = NetworkFactory.Create(ArchitectureTestData.Spec(Architecture.EfficientNetV2S), 1);
        Assert.Equal(20_182_180L, expected);
        Assert.Equal(expected, net.ParameterCount());
    }

    [Fact]
    public void StochasticDepth_GrowsLinearlyOverTheBlocksLikeTorchvision()
    {
        // torchvision: block k of N drops with p · k / N (first block 0, last p · (N - 1) / N).
        var net = NetworkFactory.Create(ArchitectureTestData.Spec(Architecture.EfficientNetV2Narrow, stochasticDepth: 0.2f), 1);
        var probabilities = net.NamedModules().Where(m => m.Module is StochasticDepth).Select(m => ((StochasticDepth)m.Module).P).ToArray();
        int n = EfficientNetV2Network.NarrowLayers.Sum();
        Assert.Equal(n, probabilities.Length);
        for (int k = 0; k < n; k++)
        {
            Assert.Equal(0.2f * k / n, probabilities[k], 6);
        }
    }

    [Fact]
    public void Operator_NamesFollowThePaper()
    {
        Assert.Equal("Fused-MBConv1", EfficientNetV2Network.SmallStages[0].Operator);
        Assert.Equal("Fused-MBConv4", EfficientNetV2Network.SmallStages[1].Operator);
        Assert.Equal("MBConv6, SE0.25", EfficientNetV2Network.SmallStages[5].Operator);
    }

    private static void CheckStem(EfficientNetV2Network net, int channels)
    {
        var stem = (Conv2d)((Sequential)net.Features[0])[0];
        Assert.Equal((3, 3), stem.KernelSize);
        Assert.Equal((2, 2), stem.Stride);
        Assert.Equal(channels, stem.OutChannels);
        Assert.Equal(net.Spec.InputChannels, stem.InChannels);
        Assert.IsType<SiLU>(((Sequential)net.Features[0])[2]);
    }

    private static void CheckHead(EfficientNetV2Network net, int inChannels, int channels)
    {
        var head = (Conv2d)((Sequential)net.Features[7])[0];
        Assert.Equal((1, 1), head.KernelSize);
        Assert.Equal(inChannels, head.InChannels);
        Assert.Equal(channels, head.OutChannels);
        Assert.Equal(channels, net.EmbeddingSize);
        var fc = net.NamedModules().Single(m => m.Name == "classifier.1").Module;
        Assert.Equal(channels, ((Linear)fc).InFeatures);
        Assert.Equal(4, ((Linear)fc).OutFeatures);
    }

    private static void CheckStages(EfficientNetV2Network net, int stemChannels,
        (bool Fused, int Expand, int Kernel, int Stride, int Channels, int Layers, bool Se)[] rows)
    {
        int cin = stemChannels;
        for (int s = 0; s < rows.Length; s++)
        {
            var row = rows[s];
            var stage = (Sequential)net.Features[s + 1];
            Assert.True(row.Layers == stage.Count, $"stage {s + 1}: {stage.Count} layers, table says {row.Layers}");
            for (int i = 0; i < stage.Count; i++)
            {
                var block = stage[i];
                string where = $"stage {s + 1} layer {i}";
                Assert.True(row.Fused ? block is FusedMBConv : block is MBConv, $"{where}: {block.GetType().Name}");
                var convs = block.NamedModules().Select(m => m.Module).OfType<Conv2d>().ToList();
                var spatial = convs.Where(c => c.KernelSize != (1, 1)).ToList();
                Assert.Single(spatial);
                Assert.Equal((row.Kernel, row.Kernel), spatial[0].KernelSize);
                int stride = i == 0 ? row.Stride : 1;
                Assert.True((stride, stride) == spatial[0].Stride, $"{where}: stride {spatial[0].Stride}, table says {stride}");
                Assert.True(convs.All(c => c.KernelSize != (1, 1) || c.Stride == (1, 1)), $"{where}: a 1x1 conv is strided");

                // expansion: the first convolution widens to in x ratio (absent for ratio 1: one conv straight to out)
                int expanded = row.Expand * cin;
                Assert.Equal(row.Expand == 1 ? row.Channels : expanded, convs[0].OutChannels);
                Assert.Equal(cin, convs[0].InChannels);
                Assert.Equal(row.Channels, convs[^1].OutChannels);
                if (!row.Fused)
                {
                    Assert.Equal(expanded, spatial[0].Groups); // depthwise
                }

                var se = block.NamedModules().Select(m => m.Module).OfType<SqueezeExcitation>().ToList();
                if (row.Se)
                {
                    Assert.Single(se);
                    Assert.Equal(cin / 4, se[0].Fc1.OutChannels); // SE ratio 0.25 of the block's input channels
                    Assert.Equal(expanded, se[0].Fc1.InChannels);
                }
                else
                {
                    Assert.Empty(se);
                }

                cin = row.Channels;
            }
        }
    }
}
