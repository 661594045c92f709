using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>x for x &gt; 0, alpha·(eˣ - 1) otherwise.</summary>
public sealed class ELU : Module
{
    /// <summary>Creates the activation.</summary>
    public ELU(float alpha = 1f) => Alpha = alpha;

    /// <summary>Saturation value for negative inputs.</summary>
    public float Alpha { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Elu(Alpha);
}
