using Affetto.Nn.Modules;
using Affetto.Nn.Optim;
using Affetto.Nn.Tensors;
using Affetto.Nn.Tests.Support;

namespace Affetto.Nn.Tests;

public class OptimTests
{
    [Fact]
    public void Sgd_PlainStep_IsLrTimesGradient()
    {
        var p = Tensor.FromArray([1f, 2f], 2);
        p.RequiresGrad = true;
        p.Grad = Tensor.FromArray([0.5f, -1f], 2);
        new SGD([p], 0.1f).Step();
        Assert.Equal([0.95f, 2.1f], p.ToArray());
    }

    [Fact]
    public void Adam_FirstStep_MovesByLearningRate()
    {
        // With bias correction the first Adam step is lr·sign(g) (up to eps).
        var p = Tensor.FromArray([1f, 2f], 2);
        p.Grad = Tensor.FromArray([0.3f, -4f], 2);
        new Adam([p], 0.01f).Step();
        Assert.Equal(0.99f, p[0], 5);
        Assert.Equal(2.01f, p[1], 5);
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("adam-l2-amsgrad")]
    [InlineData("adamw")]
    public void Adam_LargeTensor_SameAtEveryVectorWidthAsTheDoublePrecisionFormula(string kind)
    {
        // Large enough to be split over threads; the vector lanes and the scalar tail must agree bit for bit.
        const int n = 100_003;
        float[] Run(int bits)
        {
            var p = Tensor.Randn([n], new Generator(1));
            var grads = Enumerable.Range(0, 3).Select(i => Tensor.Randn([n], new Generator(10 + i))).ToArray();
            Optimizer opt = kind switch
            {
                "adam" => new Adam([p], 0.01f),
                "adam-l2-amsgrad" => new Adam([p], 0.01f, weightDecay: 0.1f, amsgrad: true),
                _ => new AdamW([p], 0.01f, weightDecay: 0.1f),
            };
            Kernels.KernelTestUtil.WithWidth(bits, () =>
            {
                foreach (var g in grads)
                {
                    p.Grad = g;
                    opt.Step();
                }
            });
            return p.ToArray();
        }

        float[] scalar = Run(0);
        foreach (int bits in new[] { 512, 256, 128 })
        {
            Assert.Equal(scalar, Run(bits));
        }

        // The same three steps in double precision.
        var w = Tensor.Randn([n], new Generator(1)).ToArray().Select(x => (double)x).ToArray();
        var m = new double[n];
        var v = new double[n];
        var vMax = new double[n];
        double lr = 0.01, wd = kind == "adam" ? 0 : 0.1;
        for (int t = 1; t <= 3; t++)
        {
            float[] g = Tensor.Randn([n], new Generator(9 + t)).ToArray();
            for (int i = 0; i < n; i++)
            {
                double gi = g[i];
                if (kind == "adamw") w[i] *= 1 - lr * wd;
                else gi += wd * w[i];
                m[i] = 0.9 * m[i] + 0.1 * gi;
                v[i] = 0.999 * v[i] + 0.001 * gi * gi;
                vMax[i] = Math.Max(vMax[i], v[i]);
                double vv = kind == "adam-l2-amsgrad" ? vMax[i] : v[i];
                w[i] -= lr / (1 - Math.Pow(0.9, t)) * m[i] / (Math.Sqrt(vv) / Math.Sqrt(1 - Math.Pow(0.999, t)) + 1e-8);
            }
        }

        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(scalar[i] - w[i]) <= 1e-5 * (1 + Math.Abs(w[i])), $"element {i}: {scalar[i]} against {w[i]}");
        }
    }

    [Fact]
    public void Optimisers_SkipParametersWithoutGradient()
    {
        var p = Tensor.FromArray([1f], 1);
        new SGD([p], 0.1f, momentum: 0.9f).Step();
        new AdamW([p]).Step();
        Assert.Equal(1f, p.Item());
    }

    [Fact]
    public void Optimisers_InvalidArguments_Throw()
    {
        var p = Tensor.Ones(1);
        Assert.Throws<ArgumentException>(() => new SGD([], 0.1f));
        Assert.Throws<ArgumentException>(() => new SGD([p], -1f));
        Assert.Throws<ArgumentException>(() => new SGD([p], 0.1f, nesterov: true));
        Assert.Throws<ArgumentException>(() => new SGD([p], 0.1f, momentum: -1f));
        Assert.Throws<ArgumentException>(() => new SGD([Tensor.Ones(2, 2).T], 0.1f));
        Assert.Throws<ArgumentException>(() => new Adam([p], beta1: 1f));
        Assert.Throws<ArgumentException>(() => new StepLR(new SGD([p], 0.1f), 0));
        Assert.Throws<ArgumentException>(() => new CosineAnnealingLR(new SGD([p], 0.1f), 0));
        Assert.Throws<ArgumentException>(() => new OneCycleLR(new SGD([p], 0.1f), 1, 0));
        Assert.Throws<ArgumentException>(() => GradClip.ClipGradNorm([p], -1f));
        var s = new OneCycleLR(new SGD([p], 0.1f, momentum: 0.9f), 1, 2);
        s.Step();
        s.Step();
        Assert.Throws<InvalidOperationException>(() => s.Step());
    }

    [Fact]
    public void TrainingLoop_LearnsSeparableProblem()
    {
        var g = new Generator(1);
        var x = Tensor.Randn([64, 2], g);
        var y = Tensor.FromArray(x.ToArray().Chunk(2).Select(v => v[0] + v[1] > 0 ? 1f : 0f).ToArray(), 64);
        var model = new Sequential(new Linear(2, 8, generator: g), new ReLU(), new Linear(8, 2, generator: g));
        var opt = new Adam(model.Parameters(), 0.05f);
        var sched = new CosineAnnealingLR(opt, 100);
        float first = 0, last = 0;
        for (int i = 0; i < 100; i++)
        {
            opt.ZeroGrad();
            var loss = Functional.CrossEntropy(model.Forward(x), y);
            loss.Backward();
            GradClip.ClipGradNorm(model.Parameters(), 5f);
            opt.Step();
            sched.Step();
            if (i == 0)
            {
                first = loss.Item();
            }

            last = loss.Item();
        }

        Assert.True(last < first * 0.3f, $"loss {first} -> {last}");
        using (Tensor.NoGrad())
        {
            var pred = model.Forward(x).ArgMax(1).ToArray();
            Assert.True(pred.Zip(y.ToArray()).Count(p => p.First == p.Second) >= 60);
        }
    }
}
