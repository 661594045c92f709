using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Hyperbolic tangent.</summary>
public sealed class Tanh : Module
{

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Tanh();
}
