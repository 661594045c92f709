namespace Affetto.Models.Embeddings;

/// <summary>t-SNE settings; the defaults follow scikit-learn 1.2's TSNE with method="exact".</summary>
public sealed record TsneOptions
{
    /// <summary>Output dimensions (usually 2).</summary>
    public int Components { get; init; } = 2;

    /// <summary>Effective number of neighbours; must be below the number of samples.</summary>
    public double Perplexity { get; init; } = 30;

    /// <summary>Factor on P during the first <see cref="ExplorationIterations"/> iterations.</summary>
    public double EarlyExaggeration { get; init; } = 12;

    /// <summary>Learning rate; null for "auto" = max(N / EarlyExaggeration / 4, 50).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Total gradient-descent iterations.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>Iterations with early exaggeration and momentum 0.5; afterwards momentum is 0.8.</summary>
    public int ExplorationIterations { get; init; } = 250;

    /// <summary>End a phase when, at a check, the gradient norm is at most this.</summary>
    public double MinGradNorm { get; init; } = 1e-7;

    /// <summary>End a phase when the KL divergence has not improved for more than this many iterations (checked every <see cref="KlInterval"/>).</summary>
    public int IterationsWithoutProgress { get; init; } = 300;

    /// <summary>Initialisation.</summary>
    public TsneInit Init { get; init; } = TsneInit.Pca;

    /// <summary>Seed for <see cref="TsneInit.Random"/> (PCA initialisation is deterministic without it).</summary>
    public int Seed { get; init; }

    /// <summary>Record the KL divergence and check for convergence every this many iterations (and at the last one); scikit-learn uses 50.</summary>
    public int KlInterval { get; init; } = 50;
}
