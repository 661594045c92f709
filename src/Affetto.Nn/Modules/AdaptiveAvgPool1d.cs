using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Adaptive average pooling of [N, C, L] to a fixed length; 1 is global average pooling.</summary>
public sealed class AdaptiveAvgPool1d : Module
{
    /// <summary>Creates the layer.</summary>
    public AdaptiveAvgPool1d(int outputSize) => OutputSize = outputSize;

    /// <summary>Output length.</summary>
    public int OutputSize { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool1d(input, OutputSize);
}
