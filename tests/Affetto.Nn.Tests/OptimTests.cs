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
