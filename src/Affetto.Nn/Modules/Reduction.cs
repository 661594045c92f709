namespace Affetto.Nn.Modules;

/// <summary>How a loss combines per-element values (PyTorch's <c>reduction</c>).</summary>
public enum Reduction
{
    /// <summary>Average (weighted average for class-weighted cross-entropy).</summary>
    Mean,

    /// <summary>Sum.</summary>
    Sum,

    /// <summary>No reduction: one value per element/sample.</summary>
    None,
}
