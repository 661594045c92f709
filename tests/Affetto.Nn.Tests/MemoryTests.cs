using Affetto.Nn.Modules;
using Affetto.Nn.Optim;
using Affetto.Nn.Tensors;

namespace Affetto.Nn.Tests;

/// <summary>Runs alone: the heap size it measures is process-wide.</summary>
[CollectionDefinition(nameof(MemoryTests), DisableParallelization = true)]
public class MemoryTestsCollection
{
}

[Collection(nameof(MemoryTests))]
public class MemoryTests
{
    [Fact]
    public void FiftyTrainingSteps_OfSmallCnn_DoNotGrowTheHeap()
    {
        var g = new Generator(1);
        var model = new Sequential(
            new Conv2d(1, 8, 3, padding: 1, generator: g), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 16, 3, padding: 1, generator: g), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Dropout(0.2f, 3), new Linear(16 * 8 * 8, 4, generator: g));
        var opt = new SGD(model.Parameters(), 0.01f, momentum: 0.9f);
        var x = Tensor.Randn([8, 1, 32, 32], g);
        var y = Tensor.FromArray([0f, 1, 2, 3, 0, 1, 2, 3], 8);
        long afterWarmup = 0;
        for (int step = 0; step < 50; step++)
        {
            opt.ZeroGrad();
            Functional.CrossEntropy(model.Forward(x), y).Backward();
            opt.Step();
            if (step == 9)
            {
                afterWarmup = Settle();
            }
        }

        long end = Settle();
        // Everything a step allocates is garbage by the next one: live memory stays flat (allow 1 MiB of noise).
        Assert.True(end - afterWarmup < 1 << 20, $"heap grew from {afterWarmup} to {end} bytes over 40 steps");
    }

    [Fact]
    public void RecycledGradientBuffers_DoNotCorruptLaterPasses()
    {
        var g = new Generator(2);
        var model = new Sequential(new Conv2d(2, 4, 3, padding: 1, generator: g), new BatchNorm2d(4), new ReLU(), new Flatten(), new Linear(4 * 32 * 32, 3, generator: g));
        var x = Tensor.Randn([2, 2, 32, 32], g);
        var y = Tensor.FromArray([0f, 2f]);
        float[][] Grads()
        {
            model.ZeroGrad();
            var input = x.Clone();
            input.RequiresGrad = true;
            var logits = model.Forward(input);
            Functional.CrossEntropy(logits, y).Backward();
            // The forward output and the input gradient stay valid after the pass even though buffers were recycled.
            return [.. model.Parameters().Select(p => p.Grad!.ToArray()), input.Grad!.ToArray(), logits.ToArray()];
        }

        var first = Grads();
        var second = Grads();
        var third = Grads();
        Assert.Equal(first.Length, second.Length);
        for (int i = 0; i < first.Length; i++)
        {
            Assert.Equal(first[i], second[i]);
            Assert.Equal(first[i], third[i]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReleasingIntermediates_TrainsBitForBitLikeKeepingThem(bool probe)
    {
        // The probe runs convolutions, batch norm, pooling, MBConv blocks with squeeze-excitation and stochastic depth,
        // views, LSTM, GRU, LayerNorm, dropout and Linear. The MLP's 64x64 weights have the size of its batch's
        // activations, so a weight (or a transposed view of one) released by mistake would be rented by the next step
        // and overwritten. Either way, any live buffer given back would make the two runs part.
        float[][] Train(bool release)
        {
            Module model = probe
                ? new ReleaseProbe(new Generator(7))
                : new Sequential(new Linear(64, 64, generator: new Generator(7)), new ReLU(), new Linear(64, 64, generator: new Generator(8)), new Tanh(),
                    new Linear(64, 4, generator: new Generator(9)));
            var opt = new Adam(model.Parameters(), 1e-3f);
            var g = new Generator(8);
            for (int step = 0; step < 6; step++)
            {
                int batch = probe ? 4 : 64;
                var x = probe ? Tensor.Randn([batch, 1, 16, 16], g) : Tensor.Randn([batch, 64], g);
                var y = Tensor.FromArray([.. Enumerable.Range(0, batch).Select(i => (float)((i + step) % 4))]);
                opt.ZeroGrad();
                Functional.CrossEntropy(model.Forward(x), y, labelSmoothing: 0.1f).Backward(releaseIntermediates: release);
                opt.Step();
            }

            return [.. model.StateDict().Values.Select(t => t.ToArray())];
        }

        var kept = Train(release: false);
        var released = Train(release: true);
        Assert.Equal(kept.Length, released.Length);
        for (int i = 0; i < kept.Length; i++)
        {
            Assert.Equal(kept[i], released[i]);
        }
    }

    [Fact]
    public void ReleasingIntermediates_ReusesTheActivationBuffers()
    {
        var g = new Generator(3);
        var model = new Sequential(
            new Conv2d(1, 16, 3, padding: 1, generator: g), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Linear(16 * 32 * 32, 4, generator: g));
        var opt = new SGD(model.Parameters(), 0.01f);
        var x = Tensor.Randn([16, 1, 64, 64], g);
        var y = Tensor.FromArray([0f, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
        long Allocated(bool release)
        {
            for (int warm = 0; warm < 3; warm++)
            {
                Step(release);
            }

            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int step = 0; step < 5; step++)
            {
                Step(release);
            }

            return GC.GetTotalAllocatedBytes(precise: true) - before;
        }

        void Step(bool release)
        {
            opt.ZeroGrad();
            Functional.CrossEntropy(model.Forward(x), y).Backward(releaseIntermediates: release);
            opt.Step();
        }

        long kept = Allocated(release: false), released = Allocated(release: true);
        // Each step's 16x16x64x64 activations (1 MiB each) come back from the pool instead of the heap.
        Assert.True(released < kept / 4, $"allocated {released} bytes over 5 steps with release, {kept} without");
    }

    [Fact]
    public void ReleasingIntermediates_WithRetainGraph_IsRefused()
    {
        var w = Tensor.Ones(3);
        w.RequiresGrad = true;
        var loss = w.Mul(2f).Sum();
        Assert.Throws<ArgumentException>(() => loss.Backward(retainGraph: true, releaseIntermediates: true));
    }

    [Fact]
    public void NoGradSequential_ReusesActivationBuffers_AndGivesTheSameOutputs()
    {
        var g = new Generator(4);
        var model = new Sequential(
            new Conv2d(1, 8, 3, padding: 1, generator: g), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
            new FusedMBConv(8, 16, 4, 3, 2, stochasticDepthProb: 0f, generator: g),
            new MBConv(16, 16, 4, 3, 1, stochasticDepthProb: 0.2f, generator: g),
            new Flatten(), new Dropout(0.3f, 5), new Linear(16 * 8 * 8, 4, generator: g));
        model.Eval();
        var x = Tensor.Randn([8, 1, 32, 32], g);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        float[] reference = model.Forward(x).ToArray(); // gradients on: nothing is recycled
        long kept = GC.GetTotalAllocatedBytes(precise: true) - before;
        using (Autograd.GradMode.NoGrad())
        {
            model.Forward(x); // fills the pool
            before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(reference, model.Forward(x).ToArray());
            }
        }

        long recycled = (GC.GetTotalAllocatedBytes(precise: true) - before) / 3;
        Assert.True(recycled < kept / 4, $"allocated {recycled} bytes per no-grad pass, {kept} with gradients on");
    }

    [Fact]
    public void NoGradSequential_LeavesActivationsNextToOtherModulesAlone()
    {
        var g = new Generator(5);
        var keeper = new Keeper();
        var model = new Sequential(new Linear(64, 64, generator: g), keeper, new ReLU(), new Linear(64, 64, generator: g),
            new Sequential(new Keeper()), new ReLU(), new Linear(64, 4, generator: g));
        using var _ = Autograd.GradMode.NoGrad();
        for (int i = 0; i < 4; i++)
        {
            model.Forward(Tensor.Randn([128, 64], g));
        }

        foreach (var (kept, copy) in keeper.Seen)
        {
            Assert.Equal(copy, kept.ToArray());
        }
    }

    [Fact]
    public void NoGradSequential_NeverRecyclesItsInput_EvenPassedOnOrViewed()
    {
        var g = new Generator(6);
        var models = new[]
        {
            new Sequential(new Flatten(), new Linear(8 * 16, 4, generator: g)),
            new Sequential(new Identity(), new Dropout(0.5f, 1), new ReLU(), new Flatten(), new Linear(8 * 16, 4, generator: g)),
        };
        foreach (var model in models)
        {
            model.Eval();
            var x = Tensor.Randn([64, 8, 4, 4], g);
            float[] copy = x.ToArray();
            using var _ = Autograd.GradMode.NoGrad();
            for (int i = 0; i < 3; i++)
            {
                model.Forward(x);
                model.Forward(Tensor.Randn([64, 8, 4, 4], g)); // would rent the input's storage if it had been recycled
            }

            Assert.Equal(copy, x.ToArray());
        }
    }

    /// <summary>A module from outside Affetto.Nn that keeps every input it sees (and passes it on).</summary>
    private sealed class Keeper : Module
    {
        public List<(Tensor Kept, float[] Copy)> Seen { get; } = [];

        public override Tensor Forward(Tensor input)
        {
            Seen.Add((input, input.ToArray()));
            return input.Mul(1f);
        }
    }

    /// <summary>A network touching most recorded operations.</summary>
    private sealed class ReleaseProbe : Module
    {
        private readonly Sequential _features;
        private readonly LSTM _lstm;
        private readonly GRU _gru;
        private readonly LayerNorm _norm;
        private readonly Dropout _dropout;
        private readonly Linear _head;

        public ReleaseProbe(Generator g)
        {
            _features = RegisterModule("features", new Sequential(
                new Conv2d(1, 8, 3, padding: 1, generator: g), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
                new FusedMBConv(8, 16, 4, 3, 2, stochasticDepthProb: 0f, generator: g),
                new MBConv(16, 16, 4, 3, 1, stochasticDepthProb: 0.2f, generator: g)));
            _lstm = RegisterModule("lstm", new LSTM(64, 12, batchFirst: true, bidirectional: true, generator: g));
            _gru = RegisterModule("gru", new GRU(24, 10, batchFirst: true, generator: g));
            _norm = RegisterModule("norm", new LayerNorm(10));
            _dropout = RegisterModule("dropout", new Dropout(0.3f, 5));
            _head = RegisterModule("head", new Linear(10, 4, generator: g));
        }

        public override Tensor Forward(Tensor input)
        {
            var f = _features.Forward(input);                              // [B, 16, 4, 4]
            var sequence = f.Permute(0, 3, 1, 2).Reshape(f.Size(0), 4, 64); // time = the 4 columns
            var (h, _) = _gru.Forward(_lstm.Forward(sequence), null);
            var last = h.Select(1, 3);
            return _head.Forward(_dropout.Forward(_norm.Forward(last)));
        }
    }

    private static long Settle()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(true);
    }
}
