using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Flattens dimensions startDim..endDim (PyTorch's default keeps the batch dimension).</summary>
public sealed class Flatten : Module
{
    /// <summary>Creates the layer.</summary>
    public Flatten(int startDim = 1, int endDim = -1)
    {
        StartDim = startDim;
        EndDim = endDim;
    }

    /// <summary>First flattened dimension.</summary>
    public int StartDim { get; }

    /// <summary>Last flattened dimension.</summary>
    public int EndDim { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);
}
