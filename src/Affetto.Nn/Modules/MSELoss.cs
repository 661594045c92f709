using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Mean squared error loss.</summary>
public sealed class MSELoss
{
    /// <summary>Creates the loss.</summary>
    public MSELoss(Reduction reduction = Reduction.Mean) => Reduction = reduction;

    /// <summary>Reduction.</summary>
    public Reduction Reduction { get; }

    /// <summary>Computes the loss.</summary>
    public Tensor Forward(Tensor input, Tensor target) => Functional.MseLoss(input, target, Reduction);
}
