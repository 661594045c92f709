using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>SiLU (swish) x·sigmoid(x).</summary>
public sealed class SiLU : Module
{

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Silu();
}
