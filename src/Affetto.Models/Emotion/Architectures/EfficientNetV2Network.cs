using Affetto.Nn.Modules;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Emotion.Architectures;

/// <summary>
/// EfficientNetV2 laid out as torchvision's <c>efficientnet_v2_s</c> so weights map key for key:
/// <list type="bullet">
/// <item><c>features.0</c>: stem Conv3×3 stride 2 (no bias) + BatchNorm2d + SiLU (<c>features.0.0.weight</c>, <c>features.0.1.*</c>);</item>
/// <item><c>features.1</c> … <c>features.6</c>: the six stages of <see cref="Stages"/>, each a Sequential of
/// <see cref="FusedMBConv"/> or <see cref="MBConv"/> blocks (<c>features.1.0.block.0.0.weight</c>, ...);</item>
/// <item><c>features.7</c>: head Conv1×1 + BatchNorm2d + SiLU to <see cref="HeadChannels"/>;</item>
/// <item>global average pooling → the embedding; <c>classifier</c>: Dropout [<c>.0</c>], Linear [<c>.1</c>].</item>
/// </list>
/// BatchNorm eps is 1e-3; stochastic depth grows linearly from 0 to <see cref="NetworkSpec.StochasticDepthProb"/>
/// over the blocks; initialisation follows torchvision (convolutions Kaiming-normal fan-out, zero biases, BN 1/0,
/// linear U(±1/√out), zero bias).
/// <para>
/// efficientnetv2-s (<see cref="SmallStages"/>) is exactly Table 4 of Tan and Le, "EfficientNetV2: Smaller Models and
/// Faster Training" (ICML 2021), which is also torchvision's configuration: stem 24 channels; stages
/// Fused-MBConv1 24×2, Fused-MBConv4 48×4 s2, Fused-MBConv4 64×4 s2, MBConv4 SE0.25 128×6 s2, MBConv6 SE0.25 160×9,
/// MBConv6 SE0.25 256×15 s2; head 1280. The seed document 004 prints 272 channels for stage 6 and 1792 for the head:
/// those numbers are not in the published V2-S table (272/1792 do not occur there), so the paper's 256 and 1280 are
/// used. Only the input channels differ from ImageNet's 3 (a spectrogram has <see cref="NetworkSpec.InputChannels"/>).
/// </para>
/// <para>
/// efficientnetv2-narrow (<see cref="NarrowStages"/>) keeps the operators, kernels, strides and expansion ratios but
/// multiplies every channel count (stem, stages and head) by Width (default 0.25) rounded to a multiple of 8
/// (torchvision's _make_divisible) and uses 1, 2, 2, 2, 3, 4 layers instead of 2, 4, 4, 6, 9, 15.
/// </para>
/// </summary>
public sealed class EfficientNetV2Network : EmotionNetwork
{
    /// <summary>Stem channels of efficientnetv2-s.</summary>
    public const int SmallStemChannels = 24;

    /// <summary>Head channels of efficientnetv2-s.</summary>
    public const int SmallHeadChannels = 1280;

    /// <summary>Layers per stage of efficientnetv2-narrow.</summary>
    public static readonly int[] NarrowLayers = [1, 2, 2, 2, 3, 4];

    private readonly Sequential _features;
    private readonly Sequential _classifier;

    /// <summary>Builds the network (use <see cref="NetworkFactory.Create"/>, which validates the spec).</summary>
    internal EfficientNetV2Network(NetworkSpec spec, Generator generator)
        : base(spec)
    {
        bool narrow = spec.Architecture == Architecture.EfficientNetV2Narrow;
        Stages = narrow ? NarrowStages(spec.Width) : SmallStages;
        StemChannels = narrow ? MBConv.MakeDivisible((float)(SmallStemChannels * spec.Width), 8) : SmallStemChannels;
        HeadChannels = narrow ? MBConv.MakeDivisible((float)(SmallHeadChannels * spec.Width), 8) : SmallHeadChannels;
        const float eps = 1e-3f;

        var features = new Sequential();
        features.Add(Conv2dNormActivation.Create(spec.InputChannels, StemChannels, 3, 2, activation: () => new SiLU(), bnEps: eps, generator: generator));
        int totalBlocks = Stages.Sum(s => s.Layers);
        int blockId = 0;
        foreach (var stage in Stages)
        {
            var seq = new Sequential();
            for (int i = 0; i < stage.Layers; i++)
            {
                int cin = i == 0 ? stage.InChannels : stage.OutChannels;
                int stride = i == 0 ? stage.Stride : 1;
                float sd = spec.StochasticDepthProb * blockId / totalBlocks;
                seq.Add(stage.Fused
                    ? new FusedMBConv(cin, stage.OutChannels, stage.ExpandRatio, stage.KernelSize, stride, sd, eps, generator)
                    : new MBConv(cin, stage.OutChannels, stage.ExpandRatio, stage.KernelSize, stride, sd, eps, generator));
                blockId++;
            }

            features.Add(seq);
        }

        features.Add(Conv2dNormActivation.Create(Stages[^1].OutChannels, HeadChannels, 1, activation: () => new SiLU(), bnEps: eps, generator: generator));
        _features = RegisterModule("features", features);
        var fc = new Linear(HeadChannels, spec.NumClasses, generator: generator);
        _classifier = RegisterModule("classifier", new Sequential(new Dropout(spec.Dropout, generator), fc));

        foreach (var (_, m) in NamedModules())
        {
            switch (m)
            {
                case Conv2d conv:
                    Init.KaimingNormal(conv.Weight, mode: FanMode.FanOut, generator: generator);
                    if (conv.Bias != null)
                    {
                        Init.Zeros(conv.Bias);
                    }

                    break;
                case Linear lin:
                    float r = 1f / MathF.Sqrt(lin.OutFeatures);
                    Init.Uniform(lin.Weight, -r, r, generator);
                    Init.Zeros(lin.Bias!);
                    break;
            }
        }
    }

    /// <summary>The paper's Table 4 stages 1-6 of EfficientNetV2-S.</summary>
    public static IReadOnlyList<EfficientNetV2Stage> SmallStages { get; } =
    [
        new(true, 1, 3, 1, 24, 24, 2, 0),
        new(true, 4, 3, 2, 24, 48, 4, 0),
        new(true, 4, 3, 2, 48, 64, 4, 0),
        new(false, 4, 3, 2, 64, 128, 6, 0.25),
        new(false, 6, 3, 1, 128, 160, 9, 0.25),
        new(false, 6, 3, 2, 160, 256, 15, 0.25),
    ];

    /// <summary>The narrow variant's stages for a channel multiplier (channels rounded to multiples of 8).</summary>
    public static IReadOnlyList<EfficientNetV2Stage> NarrowStages(double width)
    {
        int Scale(int c) => MBConv.MakeDivisible((float)(c * width), 8);
        return SmallStages.Select((s, i) => s with
        {
            InChannels = Scale(s.InChannels),
            OutChannels = Scale(s.OutChannels),
            Layers = NarrowLayers[i],
        }).ToArray();
    }

    /// <summary>The stages this network was built with.</summary>
    public IReadOnlyList<EfficientNetV2Stage> Stages { get; }

    /// <summary>Output channels of the stem.</summary>
    public int StemChannels { get; }

    /// <summary>Output channels of the 1×1 head convolution (= <see cref="EmbeddingSize"/>).</summary>
    public int HeadChannels { get; }

    /// <summary>The torchvision <c>features</c> Sequential (stem, six stages, head), for inspection.</summary>
    public Sequential Features => _features;

    /// <inheritdoc />
    public override int EmbeddingSize => HeadChannels;

    /// <inheritdoc />
    protected override Tensor EmbedCore(Tensor? spectrogram, Tensor? features) => Cnn4Network.GlobalPool(_features.Forward(spectrogram!));

    /// <inheritdoc />
    protected override Tensor LogitsCore(Tensor? spectrogram, Tensor? features) => _classifier.Forward(EmbedCore(spectrogram, features));
}
