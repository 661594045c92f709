using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Log-softmax along a dimension.</summary>
public sealed class LogSoftmax : Module
{
    /// <summary>Creates the activation.</summary>
    public LogSoftmax(int dim) => Dim = dim;

    /// <summary>The normalised dimension.</summary>
    public int Dim { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.LogSoftmax(Dim);
}
