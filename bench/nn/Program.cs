using System.Diagnostics;
using Affetto.Nn.Autograd;
using Affetto.Nn.Kernels;
using Affetto.Nn.Modules;
using Affetto.Nn.Optim;
using Affetto.Nn.Tensors;

// Affetto side of bench/nn: times the seed CNN through the real Affetto.Nn modules.
//   affetto-bench-nn cnn [--iters N]   -> "train <ms>" and "infer <ms>" lines (medians)
//   affetto-bench-nn serve             -> one step per stdin command (used by bench/nn/run to interleave with PyTorch)
//   affetto-bench-nn gemm              -> "gemm <label> <GFLOP/s>" lines
// The thread count comes from AFFETTO_NUM_THREADS (read by Affetto.Nn.Kernels.Parallelism).
string mode = args.Length > 0 ? args[0] : "cnn";
int iters = 20;
for (int i = 1; i + 1 < args.Length; i++)
{
    if (args[i] == "--iters") iters = int.Parse(args[i + 1]);
}

if (mode == "gemm")
{
    Gemm(1024, 1024, 1024, "1024x1024x1024");
    Gemm(64, 1024, 288 * 1, "conv3-shaped 64x1024x288");
    Gemm(128, 256 * 32, 576, "conv4-batched 128x8192x576");
    return;
}

const int batch = 32;
var gen = new Generator(1234);
var model = new Sequential(
    Block(1, 16), Block(16, 32), Block(32, 64), Block(64, 128),
    new Dropout(0.5f, 99), new Flatten(), new Linear(128 * 8 * 8, 4, generator: gen));
var x = Tensor.Randn([batch, 1, 128, 128], gen);
var labels = new float[batch];
for (int i = 0; i < batch; i++) labels[i] = i % 4;
var target = Tensor.FromArray(labels, batch);
var loss = new CrossEntropyLoss();
var opt = new SGD(model.Parameters(), 0.01f, momentum: 0.9f);

void TrainStep()
{
    model.Train();
    opt.ZeroGrad();
    var l = loss.Forward(model.Forward(x), target);
    l.Backward();
    opt.Step();
}

void InferStep()
{
    model.Eval();
    using var _ = GradMode.NoGrad();
    model.Forward(x);
}

if (mode == "serve")
{
    // Driven by bench/nn/run over stdin ("train" / "infer" / "warm" / "quit"), one step per command and its
    // time in ms per reply, so Affetto and PyTorch steps can be interleaved under the same background load.
    Console.WriteLine($"ready threads {Parallelism.MaxThreads}");
    string? line;
    while ((line = Console.ReadLine()) != null && line != "quit")
    {
        long start = Stopwatch.GetTimestamp();
        if (line == "train") TrainStep();
        else if (line == "infer") InferStep();
        else if (line == "warm")
        {
            for (int i = 0; i < 3; i++) { TrainStep(); InferStep(); }
        }
        else throw new ArgumentException($"unknown command '{line}'");
        Console.WriteLine(Stopwatch.GetElapsedTime(start).TotalMilliseconds.ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
    }

    return;
}

Console.WriteLine($"threads {Parallelism.MaxThreads}");
int gen2 = GC.CollectionCount(2);
TimeSpan pause = GC.GetTotalPauseDuration();
Console.WriteLine($"train {Median(iters, TrainStep):F2}");
Console.WriteLine($"gc {(GC.CollectionCount(2) - gen2) / (double)(iters + 3):F2} gen2 collections and {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds / (iters + 3):F1} ms pause per training step");
Console.WriteLine($"infer {Median(iters, InferStep):F2}");

static Sequential Block(int cin, int cout) =>
    new(new Conv2d(cin, cout, 3, padding: 1), new BatchNorm2d(cout), new ReLU(), new MaxPool2d(2));

static double Median(int iters, Action step)
{
    for (int i = 0; i < 3; i++) step(); // warm-up (JIT tiers, scratch buffers)
    var t = new double[iters];
    for (int i = 0; i < iters; i++)
    {
        long start = Stopwatch.GetTimestamp();
        step();
        t[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    Array.Sort(t);
    return t[iters / 2];
}

static double Best(int iters, Action step)
{
    for (int i = 0; i < 3; i++) step();
    double best = double.MaxValue;
    for (int i = 0; i < iters; i++)
    {
        long start = Stopwatch.GetTimestamp();
        step();
        best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    return best;
}

static void Gemm(int m, int n, int k, string label)
{
    var a = new float[m * k];
    var b = new float[k * n];
    var c = new float[m * n];
    var rng = new Random(1);
    for (int i = 0; i < a.Length; i++) a[i] = (float)rng.NextDouble() - 0.5f;
    for (int i = 0; i < b.Length; i++) b[i] = (float)rng.NextDouble() - 0.5f;
    // Best of N: GFLOP/s is a capability figure, and the shared machine's background load only ever slows a run.
    double ms = Best(25, () => Affetto.Nn.Kernels.Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n));
    Console.WriteLine($"gemm {label} {2.0 * m * n * k / ms / 1e6:F1}");
}
