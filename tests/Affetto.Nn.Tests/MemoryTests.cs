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

    private static long Settle()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(true);
    }
}
