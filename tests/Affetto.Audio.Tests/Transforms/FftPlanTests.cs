using Affetto.Audio.Tests.Features;
using Affetto.Audio.Transforms;

namespace Affetto.Audio.Tests.Transforms;

public class FftPlanTests
{
    public static IEnumerable<object[]> Sizes()
    {
        var sizes = Enumerable.Range(1, 64).Concat([67, 101, 127, 251, 257, 501, 509, 1000, 1021, 1024, 2310, 4096, 4097, 8192]);
        foreach (int n in sizes) yield return [n];
    }

    public static IEnumerable<object[]> SizesAndWidths()
    {
        foreach (int n in new[] { 1, 2, 3, 4, 8, 16, 32, 48, 64, 128, 256, 501, 1024, 2048, 4096 })
            foreach (int w in SimdWidth.All) yield return [n, w];
    }

    private static (double[] Re, double[] Im) NaiveDft(float[] re, float[] im, bool inverse = false)
    {
        int n = re.Length;
        var or = new double[n]; var oi = new double[n];
        double sign = inverse ? 1 : -1;
        for (int k = 0; k < n; k++)
        {
            double sr = 0, si = 0;
            for (int j = 0; j < n; j++)
            {
                double a = sign * 2 * Math.PI * ((long)j * k % n) / n;
                double c = Math.Cos(a), s = Math.Sin(a);
                sr += re[j] * c - im[j] * s; si += re[j] * s + im[j] * c;
            }
            or[k] = inverse ? sr / n : sr; oi[k] = inverse ? si / n : si;
        }
        return (or, oi);
    }

    private static double MaxRelError(ReadOnlySpan<float> re, ReadOnlySpan<float> im, double[] er, double[] ei)
    {
        double err = 0, max = 1e-30;
        for (int i = 0; i < er.Length; i++)
        {
            err = Math.Max(err, Math.Max(Math.Abs(re[i] - er[i]), Math.Abs(im[i] - ei[i])));
            max = Math.Max(max, Math.Max(Math.Abs(er[i]), Math.Abs(ei[i])));
        }
        return err / max;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Forward_AnySize_MatchesNaiveDft(int n)
    {
        var re = FeatureFixtures.Noise(n, n); var im = FeatureFixtures.Noise(n, n + 1000);
        var plan = FftPlan.Get(n);
        var or = new float[n]; var oi = new float[n];
        plan.Forward(re, im, or, oi, new float[plan.ScratchLength]);
        var (er, ei) = NaiveDft(re, im);
        Assert.True(MaxRelError(or, oi, er, ei) < 2e-6 * Math.Max(1, Math.Log2(n)), $"n={n}: {MaxRelError(or, oi, er, ei):E2}");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Inverse_AfterForward_RecoversInput(int n)
    {
        var re = FeatureFixtures.Noise(n, 3 * n); var im = FeatureFixtures.Noise(n, 3 * n + 1);
        var plan = FftPlan.Get(n);
        var scratch = new float[plan.ScratchLength];
        var fr = new float[n]; var fi = new float[n];
        plan.Forward(re, im, fr, fi, scratch);
        plan.Inverse(fr, fi, fr, fi, scratch);   // in place
        for (int i = 0; i < n; i++) { Assert.Equal(re[i], fr[i], 1e-5f); Assert.Equal(im[i], fi[i], 1e-5f); }
    }

    [Theory]
    [MemberData(nameof(SizesAndWidths))]
    public void Forward_EveryVectorWidth_GivesSameResultAsNaiveDft(int n, int width)
    {
        var re = FeatureFixtures.Noise(n, 11); var im = FeatureFixtures.Noise(n, 12);
        var plan = FftPlan.Get(n);
        var or = new float[n]; var oi = new float[n];
        plan.Run(re, im, or, oi, new float[plan.ScratchLength], inverse: false, width);
        var (er, ei) = NaiveDft(re, im);
        Assert.True(MaxRelError(or, oi, er, ei) < 3e-6 * Math.Max(1, Math.Log2(n)));
        var rp = RealFftPlan.Get(2 * n);
        var x = FeatureFixtures.Noise(2 * n, 13);
        var rr = new float[rp.Bins]; var ri = new float[rp.Bins]; var sr = new float[rp.Bins]; var si = new float[rp.Bins];
        rp.Forward(x, rr, ri, new float[rp.ScratchLength], width);
        rp.Forward(x, sr, si, new float[rp.ScratchLength], 0);
        for (int k = 0; k < rp.Bins; k++) { Assert.Equal(sr[k], rr[k], 1e-4f); Assert.Equal(si[k], ri[k], 1e-4f); }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void RealForward_AnySize_MatchesNaiveDftAndInverts(int n)
    {
        var x = FeatureFixtures.Noise(n, 5 * n);
        var plan = RealFftPlan.Get(n);
        var scratch = new float[plan.ScratchLength];
        var re = new float[plan.Bins]; var im = new float[plan.Bins];
        plan.Forward(x, re, im, scratch);
        var (er, ei) = NaiveDft(x, new float[n]);
        Assert.True(MaxRelError(re, im, er[..plan.Bins], ei[..plan.Bins]) < 2e-6 * Math.Max(1, Math.Log2(n)));
        var back = new float[n];
        plan.Inverse(re, im, back, scratch);
        for (int i = 0; i < n; i++) Assert.Equal(x[i], back[i], 1e-5f);
    }

    [Theory]
    [InlineData(501)]
    [InlineData(1009)]
    [InlineData(1155)]
    [InlineData(4096)]
    public void Forward_MatchesScipyFft(int n)
    {
        var input = FeatureFixtures.Load($"fft_{n}_in").Data;
        var expected = FeatureFixtures.Load($"fft_{n}_out").Data;
        var plan = FftPlan.Get(n);
        var or = new float[n]; var oi = new float[n];
        plan.Forward(input.AsSpan(0, n), input.AsSpan(n, n), or, oi, new float[plan.ScratchLength]);
        FeatureFixtures.AssertClose(or.Concat(oi).ToArray(), expected, 1e-5, $"fft {n}");

        var rin = FeatureFixtures.Load($"rfft_{n}_in").Data;
        var rexp = FeatureFixtures.Load($"rfft_{n}_out").Data;
        var rp = RealFftPlan.Get(n);
        var rr = new float[rp.Bins]; var ri = new float[rp.Bins];
        rp.Forward(rin, rr, ri, new float[rp.ScratchLength]);
        FeatureFixtures.AssertClose(rr.Concat(ri).ToArray(), rexp, 1e-5, $"rfft {n}");
    }

    [Fact]
    public void Get_SameSize_ReturnsCachedPlanUsableFromManyThreads()
    {
        Assert.Same(FftPlan.Get(2048), FftPlan.Get(2048));
        Assert.Same(RealFftPlan.Get(501), RealFftPlan.Get(501));
        var x = FeatureFixtures.Noise(2048, 1);
        var plan = RealFftPlan.Get(2048);
        var reference = new float[plan.Bins];
        plan.Forward(x, reference, new float[plan.Bins], new float[plan.ScratchLength]);
        Parallel.For(0, 64, _ =>
        {
            var re = new float[plan.Bins];
            plan.Forward(x, re, new float[plan.Bins], new float[plan.ScratchLength]);
            Assert.Equal(reference, re);
        });
    }

    [Fact]
    public void Get_NonPositiveSize_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FftPlan.Get(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RealFftPlan.Get(-4));
    }

    [Fact]
    public void Forward_ShortSpansOrScratch_Throws()
    {
        var plan = FftPlan.Get(16);
        Assert.Throws<ArgumentException>(() => plan.Forward(new float[8], new float[16], new float[16], new float[16], new float[plan.ScratchLength]));
        Assert.Throws<ArgumentException>(() => plan.Forward(new float[16], new float[16], new float[16], new float[16], new float[1]));
        var rp = RealFftPlan.Get(16);
        Assert.Throws<ArgumentException>(() => rp.Forward(new float[15], new float[9], new float[9], new float[rp.ScratchLength]));
        Assert.Throws<ArgumentException>(() => rp.Forward(new float[16], new float[8], new float[9], new float[rp.ScratchLength]));
        Assert.Throws<ArgumentException>(() => rp.Inverse(new float[9], new float[9], new float[16], new float[2]));
    }
}
