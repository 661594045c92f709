using Affetto.Audio.Filters;
using Affetto.Audio.Tests.Features;

namespace Affetto.Audio.Tests.Filters;

public class ChromaAndDctTests
{
    [Fact]
    public void ChromaCreate_Defaults_MatchesNaiveLibrosaFormula()
    {
        var expected = FeatureFixtures.Load("chromafb_2048");
        var fb = ChromaFilterBank.Create(22050, 2048);
        Assert.Equal(new[] { 12, 1025 }, expected.Shape);
        FeatureFixtures.AssertClose(fb.Data, expected.Data, 1e-5, "chroma filters");
    }

    [Fact]
    public void ChromaCreate_A440_PeaksInPitchClassA()
    {
        var fb = ChromaFilterBank.Create(22050, 8192);
        int bin = (int)Math.Round(440.0 * 8192 / 22050);
        int best = Enumerable.Range(0, 12).MaxBy(c => fb[c, bin]);
        Assert.Equal(9, best);   // C=0 ... A=9 with baseC
        var fromA = ChromaFilterBank.Create(22050, 8192, baseC: false);
        Assert.Equal(0, Enumerable.Range(0, 12).MaxBy(c => fromA[c, bin]));
    }

    [Fact]
    public void ChromaCreate_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChromaFilterBank.Create(0, 2048));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChromaFilterBank.Create(22050, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChromaFilterBank.Create(22050, 2048, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChromaFilterBank.Create(22050, 2048, tuning: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChromaFilterBank.Create(22050, 2048, octwidth: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChromaFilterBank.Create(22050, 2048, norm: 3));
    }

    [Fact]
    public void DctCreateOrthonormal_SquareMatrixIsOrthogonal_AndMatchesFormula()
    {
        var d = DctMatrix.CreateOrthonormal(16, 16);
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 16; j++)
            {
                double s = 0;
                for (int k = 0; k < 16; k++) s += d[i, k] * d[j, k];
                Assert.Equal(i == j ? 1.0 : 0.0, s, 5);
            }
        var m = DctMatrix.CreateOrthonormal(20, 128);
        Assert.Equal(Math.Sqrt(1.0 / 128), m[0, 5], 6);
        Assert.Equal(Math.Sqrt(2.0 / 128) * Math.Cos(Math.PI * 3 * (2 * 7 + 1) / 256.0), m[3, 7], 6);
    }

    [Fact]
    public void DctCreateOrthonormal_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DctMatrix.CreateOrthonormal(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => DctMatrix.CreateOrthonormal(11, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => DctMatrix.CreateOrthonormal(5, 0));
    }
}
