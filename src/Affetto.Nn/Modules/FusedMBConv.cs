using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>
/// EfficientNetV2's Fused-MBConv laid out as torchvision's: with expansion, <c>block.0</c> k×k conv+BN+SiLU (stride
/// here) and <c>block.1</c> 1x1 projection conv+BN; with expand ratio 1 a single k×k conv+BN+SiLU. Residual (after
/// stochastic depth) when stride is 1 and in == out. BatchNorm eps defaults to 1e-3.
/// </summary>
public sealed class FusedMBConv : Module
{
    private readonly StochasticDepth _stochasticDepth;

    /// <summary>Creates the block.</summary>
    public FusedMBConv(int inputChannels, int outChannels, float expandRatio, int kernelSize, int stride, float stochasticDepthProb = 0f,
        float bnEps = 1e-3f, Generator? generator = null)
    {
        if (stride != 1 && stride != 2)
        {
            throw new ArgumentException($"FusedMBConv: stride must be 1 or 2, got {stride}.", nameof(stride));
        }

        UseResidual = stride == 1 && inputChannels == outChannels;
        int expanded = MBConv.MakeDivisible(inputChannels * expandRatio, 8);
        var block = new Sequential();
        if (expanded != inputChannels)
        {
            block.Add(Conv2dNormActivation.Create(inputChannels, expanded, kernelSize, stride, activation: () => new SiLU(), bnEps: bnEps, generator: generator));
            block.Add(Conv2dNormActivation.Create(expanded, outChannels, 1, activation: null, bnEps: bnEps, generator: generator));
        }
        else
        {
            block.Add(Conv2dNormActivation.Create(inputChannels, outChannels, kernelSize, stride, activation: () => new SiLU(), bnEps: bnEps, generator: generator));
        }

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
}
