using FsCheck;
using FsCheck.Fluent;

namespace Affetto.Plotting.Tests;

public class NiceTicksTests
{
    private static bool IsNiceStep(double step)
    {
        double p = Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
        double f = step / p;
        return new[] { 1.0, 2.0, 5.0, 10.0 }.Any(n => Math.Abs(f - n) < 1e-6);
    }

    [Fact]
    public void Compute_Properties_HoldForRandomRanges()
    {
        Gen<(int, int, int, int)> cases =
            from a in Gen.Choose(-1000000, 1000000)
            from width in Gen.Choose(1, 1000000)
            from exp in Gen.Choose(-6, 6)
            from target in Gen.Choose(2, 12)
            select (a, width, exp, target);
        Prop.ForAll(
            cases.ToArbitrary(),
            ((int A, int Width, int Exp, int Target) c) =>
            {
                (int a, int width, int exp, int target) = c;
                double scale = Math.Pow(10, exp);
                double min = a * scale / 1000, max = min + width * scale / 1000;
                double[] t = NiceTicks.Compute(min, max, target);
                double step = t[1] - t[0];
                double eps = (max - min) * 1e-9;
                bool ok = t.Length >= 2 && t.Length <= 2 * target + 1
                    && t.All(v => v >= min - eps && v <= max + eps)
                    && IsNiceStep(step)
                    && t.Zip(t.Skip(1)).All(p => Math.Abs(p.Second - p.First - step) <= step * 1e-6)
                    && t.All(v => Math.Abs(v / step - Math.Round(v / step)) < 1e-6)
                    && t[0] - min < step + eps && max - t[^1] < step + eps;
                return ok.Label($"min={min} max={max} target={target} ticks=[{string.Join(", ", t)}]");
            }).QuickCheckThrowOnFailure();
    }

    public static TheoryData<double, double, int, double[]> Known => new()
    {
        { 0, 1, 5, [0, 0.2, 0.4, 0.6, 0.8, 1.0] },
        { 0, 100, 5, [0, 20, 40, 60, 80, 100] },
        { -80, 0, 4, [-80, -60, -40, -20, 0] },
        { 0.3, 0.7, 4, [0.3, 0.4, 0.5, 0.6, 0.7] },
        { 3, 3, 5, [2.7, 2.8, 2.9, 3.0, 3.1, 3.2, 3.3] },
        { 0, 11025, 5, [0, 2000, 4000, 6000, 8000, 10000] },
    };

    [Theory]
    [MemberData(nameof(Known))]
    public void Compute_KnownRanges(double min, double max, int target, double[] expected)
    {
        double[] t = NiceTicks.Compute(min, max, target);
        Assert.Equal(expected.Length, t.Length);
        for (int i = 0; i < t.Length; i++) Assert.Equal(expected[i], t[i], 9);
    }

    [Theory]
    [InlineData(0.30000000000000004, 0.1, "0.3")]
    [InlineData(-1e-17, 0.5, "0.0")]
    [InlineData(-1e-17, 5, "0")]
    [InlineData(2500, 500, "2500")]
    [InlineData(-60, 10, "-60")]
    [InlineData(0.125, 0.005, "0.125")]
    [InlineData(2e7, 5e6, "2e+7")]
    [InlineData(3e-5, 1e-5, "3e-5")]
    public void Format_UsesJustEnoughDecimals(double value, double step, string expected)
        => Assert.Equal(expected, NiceTicks.Format(value, step));

    [Fact]
    public void NiceNumber_And_BadArguments()
    {
        Assert.Equal(2, NiceNumber(2.2));
        Assert.Equal(5, NiceNumber(4));
        Assert.Equal(10, NiceNumber(8));
        Assert.Equal(0.01, NiceNumber(0.012), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => NiceTicks.NiceNumber(0));
        Assert.Throws<ArgumentException>(() => NiceTicks.Compute(2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => NiceTicks.Compute(double.NaN, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => NiceTicks.Compute(0, 1, 1));
        static double NiceNumber(double x) => NiceTicks.NiceNumber(x);
    }
}
