using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Cross-entropy on logits against class indices (see <see cref="Functional.CrossEntropy(Tensor, Tensor, Tensor?, Reduction, float)"/>).</summary>
public sealed class CrossEntropyLoss
{
    /// <summary>Creates the loss.</summary>
    public CrossEntropyLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, float labelSmoothing = 0f)
    {
        Weight = weight;
        Reduction = reduction;
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>Per-class weights or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>Reduction.</summary>
    public Reduction Reduction { get; }

    /// <summary>Label smoothing ε.</summary>
    public float LabelSmoothing { get; }

    /// <summary>Computes the loss.</summary>
    public Tensor Forward(Tensor input, Tensor target) => Functional.CrossEntropy(input, target, Weight, Reduction, LabelSmoothing);
}
