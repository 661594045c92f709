using Affetto.Models.Embeddings;

namespace Affetto.Models.Emotion.Reports;

/// <summary>A 2-D map of embeddings (PCA or t-SNE), each point with its true class index.</summary>
/// <param name="Title">What the map shows (e.g. "PCA after training").</param>
/// <param name="X">First coordinate of each point.</param>
/// <param name="Y">Second coordinate of each point.</param>
/// <param name="Labels">True class index of each point.</param>
public sealed record EmbeddingMap(string Title, double[] X, double[] Y, int[] Labels)
{
    /// <summary>PCA (2 components) and t-SNE maps of <paramref name="embeddings"/>.</summary>
    /// <param name="embeddings">One vector per item (all the same length, at least 3 items).</param>
    /// <param name="labels">True class index of each item.</param>
    /// <param name="when">Suffix of the titles, e.g. "after training".</param>
    /// <param name="seed">t-SNE seed.</param>
    /// <returns>The PCA map and the t-SNE map.</returns>
    /// <exception cref="ArgumentException">Fewer than 3 items or mismatched lengths.</exception>
    public static (EmbeddingMap Pca, EmbeddingMap Tsne) Project(IReadOnlyList<float[]> embeddings, int[] labels, string when, int seed)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        if (embeddings.Count != labels.Length)
            throw new ArgumentException($"{embeddings.Count} embeddings but {labels.Length} labels", nameof(labels));
        if (embeddings.Count < 3)
            throw new ArgumentException($"a map needs at least 3 items, got {embeddings.Count}", nameof(embeddings));
        var pca = Pca.Fit(embeddings, Math.Min(2, embeddings[0].Length));
        var p = pca.Transform(embeddings);
        // Perplexity must stay below the number of points (scikit-learn's rule).
        var tsne = Tsne.FitTransform(embeddings, new TsneOptions { Seed = seed, Perplexity = Math.Min(30, (embeddings.Count - 1) / 3.0) });
        var t = tsne.Embedding;
        return (new EmbeddingMap($"PCA {when}", p.Select(r => r[0]).ToArray(), p.Select(r => r.Length > 1 ? r[1] : 0).ToArray(), labels),
            new EmbeddingMap($"t-SNE {when}", t.Select(r => r[0]).ToArray(), t.Select(r => r[1]).ToArray(), labels));
    }
}
