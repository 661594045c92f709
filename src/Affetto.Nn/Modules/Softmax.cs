using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Softmax along a dimension.</summary>
public sealed class Softmax : Module
{
    /// <summary>Creates the activation.</summary>
    public Softmax(int dim) => Dim = dim;

    /// <summary>The normalised dimension.</summary>
    public int Dim { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Softmax(Dim);
}
