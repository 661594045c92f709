using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Adaptive average pooling to a fixed (H, W); (1, 1) is global average pooling.</summary>
public sealed class AdaptiveAvgPool2d : Module
{
    /// <summary>Creates the layer.</summary>
    public AdaptiveAvgPool2d((int H, int W) outputSize) => OutputSize = outputSize;

    /// <summary>Creates the layer with a square output.</summary>
    public AdaptiveAvgPool2d(int outputSize)
        : this((outputSize, outputSize))
    {
    }

    /// <summary>Output (height, width).</summary>
    public (int H, int W) OutputSize { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, OutputSize);
}
