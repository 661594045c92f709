namespace Affetto.Models.Embeddings;

/// <summary>Algorithm used by <see cref="SymmetricEigen.Decompose"/>.</summary>
public enum EigenMethod
{
    /// <summary>Householder tridiagonalisation and implicit QR with Wilkinson shifts (fast; the default).</summary>
    Tridiagonal,

    /// <summary>Cyclic Jacobi rotations (simple, slower).</summary>
    Jacobi,
}
