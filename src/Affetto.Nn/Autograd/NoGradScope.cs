namespace Affetto.Nn.Autograd;

/// <summary>
/// A scope in which tensor operations record no backward graph (PyTorch's <c>torch.no_grad()</c>). Obtain it from
/// <see cref="Affetto.Nn.Tensors.Tensor.NoGrad"/> and dispose it (<c>using</c>) to restore gradient recording.
/// It is a struct so entering and leaving allocates nothing.
/// </summary>
public readonly struct NoGradScope : IDisposable
{
    private readonly bool _active;

    internal NoGradScope(bool active) => _active = active;

    /// <summary>Leaves the scope.</summary>
    public void Dispose()
    {
        if (_active)
        {
            GradMode.Leave();
        }
    }
}
