using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Binary cross-entropy on logits with optional positive-class weight.</summary>
public sealed class BCEWithLogitsLoss
{
    /// <summary>Creates the loss.</summary>
    public BCEWithLogitsLoss(Tensor? posWeight = null, Reduction reduction = Reduction.Mean)
    {
        PosWeight = posWeight;
        Reduction = reduction;
    }

    /// <summary>Weight of positive examples (broadcast over the last dimension) or null.</summary>
    public Tensor? PosWeight { get; }

    /// <summary>Reduction.</summary>
    public Reduction Reduction { get; }

    /// <summary>Computes the loss.</summary>
    public Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropyWithLogits(input, target, PosWeight, Reduction);
}
