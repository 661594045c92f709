using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>x for x &gt; 0, negativeSlope·x otherwise.</summary>
public sealed class LeakyReLU : Module
{
    /// <summary>Creates the activation (PyTorch's default slope 0.01).</summary>
    public LeakyReLU(float negativeSlope = 0.01f) => NegativeSlope = negativeSlope;

    /// <summary>Slope for negative inputs.</summary>
    public float NegativeSlope { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);
}
