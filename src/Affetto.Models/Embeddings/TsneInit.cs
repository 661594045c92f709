namespace Affetto.Models.Embeddings;

/// <summary>How t-SNE initialises the embedding.</summary>
public enum TsneInit
{
    /// <summary>First principal components, scaled so the first has standard deviation 1e-4 (scikit-learn's default since 1.2).</summary>
    Pca,

    /// <summary>Seeded Gaussian noise with standard deviation 1e-4.</summary>
    Random,
}
