using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>
/// Squeeze-and-excitation (torchvision.ops.SqueezeExcitation): x · σ(fc2(act(fc1(avgpool(x))))) with 1x1 convolutions
/// <c>fc1</c>, <c>fc2</c> (biased).
/// </summary>
public sealed class SqueezeExcitation : Module
{
    private readonly Module _activation;

    /// <summary>Creates the block; the activation defaults to ReLU (EfficientNet passes SiLU).</summary>
    public SqueezeExcitation(int inputChannels, int squeezeChannels, Func<Module>? activation = null, Generator? generator = null)
    {
        Fc1 = RegisterModule("fc1", new Conv2d(inputChannels, squeezeChannels, 1, generator: generator));
        Fc2 = RegisterModule("fc2", new Conv2d(squeezeChannels, inputChannels, 1, generator: generator));
        _activation = activation?.Invoke() ?? new ReLU();
    }

    /// <summary>Squeeze convolution.</summary>
    public Conv2d Fc1 { get; }

    /// <summary>Excitation convolution.</summary>
    public Conv2d Fc2 { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var s = Functional.AdaptiveAvgPool2d(input, (1, 1));
        s = Fc2.Forward(_activation.Forward(Fc1.Forward(s))).Sigmoid();
        return input.Mul(s);
    }
}
