using Affetto.Audio.Filters;
using Affetto.Audio.Tests.Features;

namespace Affetto.Audio.Tests.Filters;

public class MelFilterBankTests
{
    [Theory]
    [InlineData("melfb_512_40_slaney", false, MelNorm.Slaney, 0.0, null)]
    [InlineData("melfb_512_40_htk", true, MelNorm.Slaney, 0.0, null)]
    [InlineData("melfb_512_40_slaney_nonorm_300_8000", false, MelNorm.None, 300.0, 8000.0)]
    public void Create_MatchesTorchaudioMelscaleFbanks(string name, bool htk, MelNorm norm, double fMin, double? fMax)
    {
        var expected = FeatureFixtures.Load(name);
        var bank = MelFilterBank.Create(22050, 512, 40, fMin, fMax, htk, norm);
        Assert.Equal(new[] { 40, 257 }, expected.Shape);
        Assert.Equal(40, bank.Weights.Rows);
        Assert.Equal(257, bank.Weights.Columns);
        for (int m = 0; m < 40; m++)
            FeatureFixtures.AssertClose(bank.Weights.Row(m), expected.Data.AsSpan(m * 257, 257), 1e-4, $"{name} filter {m}");
    }

    [Theory]
    [InlineData(2048, 128, false)]
    [InlineData(4096, 64, true)]
    [InlineData(8192, 40, false)]
    public void Create_SlaneyNorm_GivesUnitAreaTriangles(int nFft, int nMels, bool htk)
    {
        // Slaney normalisation scales each triangle to height 2/(f2 - f0), i.e. unit area in Hz.
        var bank = MelFilterBank.Create(22050, nFft, nMels, htk: htk);
        double df = 22050.0 / nFft;
        int checkedFilters = 0;
        for (int m = 0; m < nMels; m++)
        {
            var row = bank.Weights.Row(m);
            int support = 0;
            double area = 0;
            foreach (float v in row) { area += v * df; if (v > 0) support++; }
            if (support < 20) continue;   // too few bins for a Riemann sum
            Assert.InRange(area, 0.97, 1.03);
            checkedFilters++;
        }
        Assert.True(checkedFilters >= 5, $"only {checkedFilters} filters wide enough to integrate");
    }

    [Fact]
    public void Apply_SparseBandProduct_EqualsDenseProduct()
    {
        var bank = MelFilterBank.Create(22050, 2048);
        var spec = FeatureFixtures.Noise(1025, 3).Select(Math.Abs).ToArray();
        var mel = new float[128];
        bank.Apply(spec, mel);
        for (int m = 0; m < 128; m++)
        {
            double d = 0;
            for (int k = 0; k < 1025; k++) d += bank.Weights[m, k] * spec[k];
            Assert.Equal(d, mel[m], 1e-5 * Math.Max(1, Math.Abs(d)));
        }
    }

    [Fact]
    public void Create_TooManyMels_WarnsThroughCallbackWithoutThrowing()
    {
        var warnings = new List<string>();
        var bank = MelFilterBank.Create(22050, 256, 128, onWarning: warnings.Add);
        Assert.Single(warnings);
        Assert.Contains("Empty filters", warnings[0]);
        Assert.NotEmpty(bank.EmptyFilters);
        var none = new List<string>();
        MelFilterBank.Create(22050, 2048, 128, onWarning: none.Add);
        Assert.Empty(none);
    }

    [Fact]
    public void Create_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MelFilterBank.Create(0, 2048));
        Assert.Throws<ArgumentOutOfRangeException>(() => MelFilterBank.Create(22050, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MelFilterBank.Create(22050, 2048, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MelFilterBank.Create(22050, 2048, fMin: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MelFilterBank.Create(22050, 2048, fMin: 500, fMax: 400));
        Assert.Throws<ArgumentOutOfRangeException>(() => MelFilterBank.Create(22050, 2048, norm: (MelNorm)5));
        var bank = MelFilterBank.Create(22050, 512, 40);
        Assert.Throws<ArgumentException>(() => bank.Apply(new float[100], new float[40]));
        Assert.Throws<ArgumentException>(() => bank.Apply(new float[257], new float[10]));
    }

    [Theory]
    [InlineData(0.0, false, 0.0)]
    [InlineData(1000.0, false, 15.0)]
    [InlineData(200.0, false, 3.0)]
    [InlineData(1000.0, true, 999.9855)]
    public void HzToMel_KnownValues_AndRoundTrip(double hz, bool htk, double mel)
    {
        Assert.Equal(mel, MelScale.HzToMel(hz, htk), 3);
        Assert.Equal(hz, MelScale.MelToHz(MelScale.HzToMel(hz, htk), htk), 6);
        Assert.Equal(5000.0, MelScale.MelToHz(MelScale.HzToMel(5000.0, htk), htk), 6);
    }
}
