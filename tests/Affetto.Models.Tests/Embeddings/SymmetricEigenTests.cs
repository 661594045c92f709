using Affetto.Models.Embeddings;

namespace Affetto.Models.Tests.Embeddings;

public class SymmetricEigenTests
{
    public static TheoryData<int, int, EigenMethod> Sizes()
    {
        var data = new TheoryData<int, int, EigenMethod>();
        foreach (var method in new[] { EigenMethod.Tridiagonal, EigenMethod.Jacobi })
        {
            foreach (var (n, seed) in new[] { (1, 0), (2, 1), (3, 2), (5, 3), (16, 4), (40, 5), (97, 6) })
                data.Add(n, seed, method);
        }
        return data;
    }

    private static double[,] RandomSymmetric(int n, int seed)
    {
        var rng = new Random(seed);
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
                a[i, j] = a[j, i] = rng.NextDouble() * 2 - 1;
        }
        return a;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Decompose_RandomSymmetric_ReconstructsWithOrthonormalVectors(int n, int seed, EigenMethod method)
    {
        var a = RandomSymmetric(n, seed);
        var eig = SymmetricEigen.Decompose(a, method);
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
                Assert.Equal(i == j ? 1.0 : 0.0, dot, 1e-11);
                Assert.Equal(a[i, j], rec, 1e-11);
            }
        }
    }

    [Theory]
    [InlineData(EigenMethod.Tridiagonal)]
    [InlineData(EigenMethod.Jacobi)]
    public void Decompose_SpecialMatrices_ExactEigenvalues(EigenMethod method)
    {
        Assert.Equal([5.0, 2, 2], SymmetricEigen.Decompose(new double[,] { { 2, 0, 0 }, { 0, 2, 0 }, { 0, 0, 5 } }, method).Values);
        Assert.Equal([0.0, 0, 0], SymmetricEigen.Decompose(new double[3, 3], method).Values);
        var pair = SymmetricEigen.Decompose(new double[,] { { 2, 1 }, { 1, 2 } }, method).Values;
        Assert.Equal(3, pair[0], 1e-14);
        Assert.Equal(1, pair[1], 1e-14);
        // Rank one: all ones (n = 6) has eigenvalues 6, 0, ..., 0.
        var ones = new double[6, 6];
        for (int i = 0; i < 6; i++)
        {
            for (int j = 0; j < 6; j++)
                ones[i, j] = 1;
        }
        var values = SymmetricEigen.Decompose(ones, method).Values;
        Assert.Equal(6, values[0], 1e-13);
        Assert.All(values.Skip(1), v => Assert.Equal(0, v, 1e-13));
    }

    [Fact]
    public void Decompose_TridiagonalAndJacobi_AgreeOnEigenvaluesAndVectorsUpToSign()
    {
        var a = RandomSymmetric(30, 11);
        var t = SymmetricEigen.Decompose(a, EigenMethod.Tridiagonal);
        var j = SymmetricEigen.Decompose(a, EigenMethod.Jacobi);
        for (int k = 0; k < 30; k++)
        {
            Assert.Equal(j.Values[k], t.Values[k], 1e-12);
            double dot = Enumerable.Range(0, 30).Sum(r => t.Vectors[r, k] * j.Vectors[r, k]);
            Assert.Equal(1, Math.Abs(dot), 1e-9);
        }
    }

    [Fact]
    public void Decompose_BadInput_Throws()
    {
        Assert.Contains("square", Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[2, 3])).Message);
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[0, 0]));
        Assert.Contains("not symmetric", Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[,] { { 1, 2 }, { 3, 1 } })).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[,] { { double.NaN } })).Message);
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[,] { { 1 } }, (EigenMethod)9));
    }
}
