using Affetto.Nn.Tensors;

namespace Affetto.Nn.Tests.Support;

/// <summary>
/// Finite-difference gradient check. The scalar probed is L = Σ f()·r with a fixed random r, evaluated in double from
/// the float32 outputs; numeric derivatives are central differences with step <c>eps</c>. The analytic gradients
/// (from Backward) must match with norm-wise relative error ‖a − n‖ / max(‖n‖, floor) below <c>tolerance</c>.
/// </summary>
internal static class GradCheck
{
    public static void Check(Func<Tensor> f, IReadOnlyList<Tensor> wrt, float eps = 1e-2f, double tolerance = 1e-2, string what = "")
    {
        foreach (var t in wrt)
        {
            t.Grad = null;
            t.RequiresGrad = true;
        }

        var y = f();
        var r = Tensor.Randn([.. y.Shape], new Generator(1234));
        y.Mul(r).Sum().Backward();
        var rv = r.ToArray();
        for (int k = 0; k < wrt.Count; k++)
        {
            var t = wrt[k];
            Assert.True(t.Grad != null, $"{what}: input {k} got no gradient");
            var analytic = t.Grad!.ToArray();
            var numeric = new double[t.Length];
            var span = t.AsSpan();
            for (int i = 0; i < span.Length; i++)
            {
                float orig = span[i];
                span[i] = orig + eps;
                double lp = Eval(f, rv);
                span[i] = orig - eps;
                double lm = Eval(f, rv);
                span[i] = orig;
                numeric[i] = (lp - lm) / (2 * eps);
            }

            double diff = 0, norm = 0;
            for (int i = 0; i < numeric.Length; i++)
            {
                diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
                norm += numeric[i] * numeric[i];
            }

            double rel = Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-3);
            Assert.True(rel < tolerance, $"{what}: input {k} (shape [{string.Join(", ", t.Shape)}]) gradient relative error {rel:E3} >= {tolerance:E1}; "
                + "analytic/numeric: " + string.Join(" ", analytic.Zip(numeric).Take(12).Select(p => $"{p.First:G4}/{p.Second:G4}")));
        }
    }

    private static double Eval(Func<Tensor> f, float[] r)
    {
        using (Tensor.NoGrad())
        {
            var y = f().ToArray();
            double s = 0;
            for (int i = 0; i < y.Length; i++)
            {
                s += (double)y[i] * r[i];
            }

            return s;
        }
    }

    /// <summary>‖a − b‖ / ‖b‖ (‖a − b‖ when b is all zeros).</summary>
    public static double RelativeError(float[] a, float[] b)
    {
        Assert.Equal(b.Length, a.Length);
        double diff = 0, norm = 0;
        for (int i = 0; i < a.Length; i++)
        {
            diff += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
            norm += (double)b[i] * b[i];
        }

        return norm == 0 ? Math.Sqrt(diff) : Math.Sqrt(diff / norm);
    }

    public static void AssertClose(Tensor actual, Tensor expected, double tolerance, string what)
    {
        Assert.True(actual.Shape.SequenceEqual(expected.Shape), $"{what}: shape [{string.Join(", ", actual.Shape)}] vs expected [{string.Join(", ", expected.Shape)}]");
        double rel = RelativeError(actual.ToArray(), expected.ToArray());
        Assert.True(rel < tolerance, $"{what}: relative error {rel:E3} >= {tolerance:E1}");
    }

    public static Tensor Rand(int seed, params int[] shape) => Tensor.Randn(shape, new Generator(seed));
}
