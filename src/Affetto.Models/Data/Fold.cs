namespace Affetto.Models.Data;

/// <summary>One split of a dataset: indices into the item list, each sorted ascending, disjoint.</summary>
/// <param name="TrainIndices">Items to train on.</param>
/// <param name="TestIndices">Items to test (or validate) on.</param>
public sealed record Fold(int[] TrainIndices, int[] TestIndices);
