using Affetto.Models.Embeddings;

namespace Affetto.Models.Tests.Embeddings;

public class SymmetricEigenTests
{
    public static TheoryData<int, int> Sizes => new() { { 1, 0 }, { 2, 1 }, { 5, 2 }, { 16, 3 }, { 40, 4 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Decompose_RandomSymmetric_ReconstructsWithOrthonormalVectors(int n, int seed)
    {
        var rng = new Random(seed);
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
                a[i, j] = a[j, i] = rng.NextDouble() * 2 - 1;
        }
        var eig = SymmetricEigen.Decompose(a);
        for (int k = 1; k < n; k++)
            Assert.True(eig.Values[k - 1] >= eig.Values[k]);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double dot = 0, rec = 0;
                for (int r = 0; r < n; r++)
                {
                    dot += eig.Vectors[r, i] * eig.Vectors[r, j];
                    rec += eig.Vectors[i, r] * eig.Values[r] * eig.Vectors[j, r];
                }
                Assert.Equal(i == j ? 1.0 : 0.0, dot, 1e-12);
                Assert.Equal(a[i, j], rec, 1e-12);
            }
        }
    }

    [Fact]
    public void Decompose_RepeatedEigenvalues_Works()
    {
        var eig = SymmetricEigen.Decompose(new double[,] { { 2, 0, 0 }, { 0, 2, 0 }, { 0, 0, 5 } });
        Assert.Equal([5.0, 2, 2], eig.Values);
    }

    [Fact]
    public void Decompose_BadInput_Throws()
    {
        Assert.Contains("square", Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[2, 3])).Message);
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[0, 0]));
        Assert.Contains("not symmetric", Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[,] { { 1, 2 }, { 3, 1 } })).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[,] { { double.NaN } })).Message);
    }
}
