using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Mean absolute error loss.</summary>
public sealed class L1Loss
{
    /// <summary>Creates the loss.</summary>
    public L1Loss(Reduction reduction = Reduction.Mean) => Reduction = reduction;

    /// <summary>Reduction.</summary>
    public Reduction Reduction { get; }

    /// <summary>Computes the loss.</summary>
    public Tensor Forward(Tensor input, Tensor target) => Functional.L1Loss(input, target, Reduction);
}
