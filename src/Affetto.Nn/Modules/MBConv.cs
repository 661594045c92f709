using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>
/// EfficientNet's MBConv block laid out as torchvision's (<c>block.0</c> expand 1x1 conv+BN+SiLU when the expansion
/// changes the width, then depthwise k×k conv+BN+SiLU, squeeze-excitation with SiLU and input/4 squeeze channels,
/// projection 1x1 conv+BN), with a residual connection (after stochastic depth) when stride is 1 and in == out.
/// BatchNorm eps defaults to EfficientNetV2's 1e-3.
/// </summary>
public sealed class MBConv : Module
{
    private readonly StochasticDepth _stochasticDepth;

    /// <summary>Creates the block.</summary>
    public MBConv(int inputChannels, int outChannels, float expandRatio, int kernelSize, int stride, float stochasticDepthProb = 0f,
        float bnEps = 1e-3f, Generator? generator = null)
    {
        if (stride != 1 && stride != 2)
        {
            throw new ArgumentException($"MBConv: stride must be 1 or 2, got {stride}.", nameof(stride));
        }

        UseResidual = stride == 1 && inputChannels == outChannels;
        int expanded = MakeDivisible(inputChannels * expandRatio, 8);
        var block = new Sequential();
        if (expanded != inputChannels)
        {
            block.Add(Conv2dNormActivation.Create(inputChannels, expanded, 1, activation: () => new SiLU(), bnEps: bnEps, generator: generator));
        }

        block.Add(Conv2dNormActivation.Create(expanded, expanded, kernelSize, stride, groups: expanded, activation: () => new SiLU(), bnEps: bnEps, generator: generator));
        block.Add(new SqueezeExcitation(expanded, Math.Max(1, inputChannels / 4), () => new SiLU(), generator));
        block.Add(Conv2dNormActivation.Create(expanded, outChannels, 1, activation: null, bnEps: bnEps, generator: generator));
        Block = RegisterModule("block", block);
        _stochasticDepth = new StochasticDepth(stochasticDepthProb, generator);
        RegisterModule("stochastic_depth", _stochasticDepth);
        OutChannels = outChannels;
    }

    /// <summary>The layers (torchvision's <c>block</c>).</summary>
    public Sequential Block { get; }

    /// <summary>Whether the input is added to the output.</summary>
    public bool UseResidual { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var r = Block.Forward(input);
        return UseResidual ? _stochasticDepth.Forward(r).Add(input) : r;
    }

    /// <summary>torchvision's _make_divisible: round to a multiple of <paramref name="divisor"/>, never below 90 % of v.</summary>
    public static int MakeDivisible(float v, int divisor, int? minValue = null)
    {
        int min = minValue ?? divisor;
        int n = Math.Max(min, (int)(v + (divisor / 2.0)) / divisor * divisor);
        if (n < 0.9 * v)
        {
            n += divisor;
        }

        return n;
    }
}
