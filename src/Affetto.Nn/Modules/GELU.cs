using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>GELU in its exact erf form.</summary>
public sealed class GELU : Module
{

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Gelu();
}
