namespace Affetto.Models.Embeddings;

/// <summary>Eigenvalues (descending) and unit eigenvectors of a real symmetric matrix.</summary>
/// <param name="Values">Eigenvalues, largest first.</param>
/// <param name="Vectors">Eigenvectors as columns: <c>Vectors[row, k]</c> belongs to <c>Values[k]</c>.</param>
public sealed record SymmetricEigenDecomposition(double[] Values, double[,] Vectors);
