using Affetto.Nn.Tensors;

namespace Affetto.Nn.Autograd;

/// <summary>
/// One recorded operation of the define-by-run graph: its inputs and the closure that maps the gradient of its output
/// to the gradients of its inputs (null for inputs that need none).
/// </summary>
public sealed class GradNode
{
    internal GradNode(string name, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
    {
        Name = name;
        Inputs = inputs;
        BackwardFn = backward;
    }

    /// <summary>The operation's name (for diagnostics, like PyTorch's <c>grad_fn</c>).</summary>
    public string Name { get; }

    internal Tensor[] Inputs { get; private set; }

    internal Func<Tensor, Tensor?[]> BackwardFn { get; private set; }

    /// <summary>
    /// For single-input view operations (slices): adds the output gradient straight into the input's gradient buffer,
    /// so taking many slices of one tensor (e.g. time steps) costs the size of the slices, not of the whole tensor.
    /// </summary>
    internal Action<Tensor, Tensor>? AccumulateInto { get; set; }

    internal void Release()
    {
        Inputs = [];
        AccumulateInto = null;
        BackwardFn = static _ => throw new InvalidOperationException(
            "The graph was already freed by a previous Backward(); call Backward(retainGraph: true) to run it twice.");
    }

    /// <inheritdoc />
    public override string ToString() => Name + "Backward";
}
