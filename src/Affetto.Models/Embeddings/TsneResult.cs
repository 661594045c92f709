namespace Affetto.Models.Embeddings;

/// <summary>The output of <see cref="Tsne.FitTransform(IReadOnlyList{double[]}, TsneOptions?)"/>.</summary>
/// <param name="Embedding">One row of <see cref="TsneOptions.Components"/> coordinates per sample.</param>
/// <param name="KlHistory">(iteration, KL divergence of P and Q) recorded every <see cref="TsneOptions.KlInterval"/> iterations, computed before that iteration's update; during exaggeration the exaggerated P is used, as scikit-learn reports it.</param>
/// <param name="KlDivergence">Final KL divergence (without exaggeration).</param>
/// <param name="Iterations">Iterations run (fewer than <see cref="TsneOptions.MaxIterations"/> when a phase converged early).</param>
/// <param name="LearningRate">The learning rate used (resolved when "auto").</param>
public sealed record TsneResult(
    double[][] Embedding,
    IReadOnlyList<(int Iteration, double Kl)> KlHistory,
    double KlDivergence,
    int Iterations,
    double LearningRate);
