using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Logistic sigmoid.</summary>
public sealed class Sigmoid : Module
{

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}
