using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Tests.Support;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Tests.Architectures;

/// <summary>
/// Whole-network forward parity of every architecture against its plain-torch rebuild
/// (Fixtures/generate_architectures.py → architectures/forward.json). Weights are not stored: both sides fill every
/// parameter and buffer with the same closed-form pattern (see <see cref="DeterministicFill"/>), so the fixture holds
/// only the outputs.
/// </summary>
public sealed class ArchitectureForwardTests
{
    private const double Tolerance = 1e-4;

    [Theory]
    [MemberData(nameof(ArchitectureTestData.TorchReferenced), MemberType = typeof(ArchitectureTestData))]
    public void EvalAndTrainForward_WithPatternWeights_MatchPyTorch(Architecture a)
    {
        var reference = Fixture.Load("architectures/forward.json").GetProperty(ArchitectureNames.ToName(a));
        var net = NetworkFactory.Create(ArchitectureTestData.Spec(a, dropout: 0f, stochasticDepth: 0f), 1);
        DeterministicFill(net);
        var x = Pattern([2, 1, ArchitectureTestData.Height, ArchitectureTestData.Frames], 0.0);
        var f = Pattern([2, ArchitectureTestData.FeatureDim], 0.5);
        var s = net.UsesSpectrogram ? x : null;
        var v = net.UsesFeatures ? f : null;
        using (Tensor.NoGrad())
        {
            net.Eval();
            AssertClose(reference.GetProperty("eval").Doubles(), net.Logits(s, v).ToArray(), "eval logits");
            AssertClose(reference.GetProperty("embedding").Doubles(), net.Embed(s, v).ToArray(), "embedding");
            net.Train();

            // Training-mode BatchNorm over a few values per channel is ill-conditioned in the deep networks (torch's
            // own float32 result is 6e-4 from float64 for vgg16): compare with the float64 reference, allowing five
            // times torch's float32 error (1e-4 at least).
            double torchError = reference.GetProperty("train_f32_error").GetDouble();
            AssertClose(reference.GetProperty("train_f64").Doubles(), net.Logits(s, v).ToArray(), "train logits vs float64",
                Math.Max(Tolerance, 5 * torchError));
        }
    }

    /// <summary>The fixture script's deterministic_fill: tensor t in state-dict order, element i, a = 0.37 i + 1.1 t.</summary>
    private static void DeterministicFill(EmotionNetwork net)
    {
        int t = 0;
        foreach (var (key, tensor) in net.StateDict())
        {
            int index = t++;
            if (key.EndsWith("num_batches_tracked", StringComparison.Ordinal))
            {
                continue;
            }

            var values = new float[tensor.Length];
            double fanScale = tensor.Rank >= 2 ? Math.Sqrt(3.0 / (tensor.Length / tensor.Size(0))) : 0;
            for (int i = 0; i < values.Length; i++)
            {
                double s = Math.Sin((i * 0.37) + (1.1 * index));
                values[i] = (float)(key.EndsWith("running_var", StringComparison.Ordinal) ? 1 + (0.5 * s * s)
                    : key.EndsWith("running_mean", StringComparison.Ordinal) || key.EndsWith("bias", StringComparison.Ordinal) ? 0.1 * s
                    : tensor.Rank == 1 ? 1 + (0.2 * s)
                    : s * fanScale);
            }

            using (Tensor.NoGrad())
            {
                tensor.CopyFrom(Tensor.FromArray(values, [.. tensor.Shape]));
            }
        }
    }

    private static Tensor Pattern(int[] shape, double phase)
    {
        int n = shape.Aggregate(1, (p, d) => p * d);
        var v = new float[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = (float)Math.Sin((i * 0.11) + phase);
        }

        return Tensor.FromArray(v, shape);
    }

    private static void AssertClose(double[] expected, float[] actual, string what, double tolerance = Tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double num = 0, den = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            num += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            den += expected[i] * expected[i];
        }

        double rel = Math.Sqrt(num) / Math.Max(Math.Sqrt(den), 1e-12);
        Assert.True(rel <= tolerance, $"{what}: norm-wise relative error {rel:G3} > {tolerance:G3}");
    }
}
