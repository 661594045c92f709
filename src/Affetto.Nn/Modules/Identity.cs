using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Returns its input unchanged.</summary>
public sealed class Identity : Module
{

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input;
}
