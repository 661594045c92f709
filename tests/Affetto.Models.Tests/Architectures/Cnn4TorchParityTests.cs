using Affetto.Models.Emotion.Architectures;
using Affetto.Nn.Modules;
using Affetto.Nn.Serialization;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Tests.Architectures;

/// <summary>
/// cnn4 (width 0.5, dropout 0) against the same network in PyTorch 1.13 with the same weights
/// (Fixtures/generate_architectures.py → architectures/cnn4.safetensors): training-mode logits, loss, parameter and
/// input gradients, then evaluation logits and embedding with the running statistics of that step.
/// </summary>
public sealed class Cnn4TorchParityTests
{
    private const double Tolerance = 1e-4;

    [Fact]
    public void Cnn4_TrainAndEval_MatchPyTorch()
    {
        var (t, _) = SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "architectures", "cnn4.safetensors"));
        var spec = new NetworkSpec { Architecture = Architecture.Cnn4, InputHeight = 32, InputWidth = 24, Width = 0.5, Dropout = 0f };
        var net = NetworkFactory.Create(spec, 1);
        net.LoadStateDict(t.Where(kv => kv.Key.StartsWith("model.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key["model.".Length..], kv => kv.Value));

        var x = t["input"].Contiguous().Detach();
        x.RequiresGrad = true;
        var logits = net.Forward(x);
        AssertClose(t["train.logits"], logits, "train logits", absolute: true);
        var loss = new CrossEntropyLoss().Forward(logits, t["target"]);
        AssertClose(t["train.loss"], loss.Reshape(1), "loss", absolute: true);
        loss.Backward();
        foreach (var (name, p) in net.NamedParameters())
        {
            AssertClose(t["grad." + name], p.Grad!, "grad " + name);
        }

        AssertClose(t["grad.input"], x.Grad!, "grad input");

        net.Eval();
        using (Tensor.NoGrad())
        {
            AssertClose(t["eval.logits"], net.Logits(x, null), "eval logits", absolute: true);
            AssertClose(t["eval.embedding"], net.Embed(x, null), "eval embedding", absolute: true);
        }
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what, bool absolute = false)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray();
        var a = actual.ToArray();
        if (absolute)
        {
            double worst = e.Zip(a, (p, q) => Math.Abs(p - q)).Max();
            Assert.True(worst <= Tolerance, $"{what}: max |difference| {worst:G3} > {Tolerance}");
        }
        else
        {
            double num = 0, den = 0;
            for (int i = 0; i < e.Length; i++)
            {
                num += (e[i] - a[i]) * (double)(e[i] - a[i]);
                den += e[i] * (double)e[i];
            }

            // A convolution bias followed by BatchNorm has an analytically zero gradient: both sides hold only rounding
            // noise (~1e-9), so such a tensor is compared absolutely instead.
            if (Math.Sqrt(den) < 1e-6)
            {
                Assert.True(Math.Sqrt(num) < 1e-5, $"{what}: expected ~0, difference norm {Math.Sqrt(num):G3}");
                return;
            }

            double rel = Math.Sqrt(num) / Math.Sqrt(den);
            Assert.True(rel <= Tolerance, $"{what}: norm-wise relative error {rel:G3} > {Tolerance}");
        }
    }
}
