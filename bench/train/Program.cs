using System.Diagnostics;
using System.Globalization;
using Affetto.Models.Emotion.Architectures;
using Affetto.Nn.Autograd;
using Affetto.Nn.Modules;
using Affetto.Nn.Optim;
using Affetto.Nn.Serialization;
using Affetto.Nn.Tensors;

// Affetto side of bench/train: one training step of an emotion network as `affetto train` takes it (train mode,
// Logits, cross-entropy with label smoothing 0.1, Backward handing the activations back to the pool, AdamW lr 1e-3
// weight decay 0.01) and one inference pass (eval, no gradients), on a fixed random batch.
//   affetto-bench-train serve ARCH HEIGHT WIDTH BATCH WEIGHTS.safetensors
// writes the initial weights to WEIGHTS (the peer loads them, so it runs the very same network), prints
// "ready <parameter count> <network spec JSON>", then answers each stdin command ("warm", "train", "infer", "quit") with its time in ms.
// Summary features (multimodal, mlp) have the extended set's 69 values. Threads: AFFETTO_NUM_THREADS.
if (args.Length != 6 || args[0] != "serve")
{
    Console.Error.WriteLine("usage: affetto-bench-train serve ARCH HEIGHT WIDTH BATCH WEIGHTS.safetensors");
    return 2;
}

const int featureDim = 69;
var architecture = ArchitectureNames.Parse(args[1]);
int height = int.Parse(args[2], CultureInfo.InvariantCulture), width = int.Parse(args[3], CultureInfo.InvariantCulture);
int batch = int.Parse(args[4], CultureInfo.InvariantCulture);
var spec = NetworkSpec.For(architecture, height, width, featureDim);
EmotionNetwork network;
try
{
    network = NetworkFactory.Create(spec, seed: 1);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"affetto-bench-train: {args[1]} on {height}x{width}: {e.Message}");
    return 2;
}

network.SaveSafeTensors(args[5]);

var gen = new Generator(1234);
Tensor? x = spec.UsesSpectrogram ? Tensor.Randn([batch, spec.InputChannels, height, width], gen) : null;
Tensor? f = spec.UsesFeatures ? Tensor.Randn([batch, featureDim], gen) : null;
var labels = new float[batch];
for (int i = 0; i < batch; i++) labels[i] = i % spec.NumClasses;
var loss = new CrossEntropyLoss(labelSmoothing: 0.1f);
var optimizer = new AdamW(network.Parameters(), 1e-3f, weightDecay: 0.01f);

void TrainStep()
{
    network.Train();
    optimizer.ZeroGrad();
    var l = loss.Forward(network.Logits(x, f), Tensor.FromArray(labels, batch));
    l.Item();
    l.Backward(releaseIntermediates: true);
    optimizer.Step();
}

void InferStep()
{
    network.Eval();
    using var _ = GradMode.NoGrad();
    network.Logits(x, f).ToArray();
}

Console.WriteLine($"ready {network.Parameters().Sum(p => (long)p.Length)} {spec.ToJson()}");
string? line;
while ((line = Console.ReadLine()) != null && line != "quit")
{
    long start = Stopwatch.GetTimestamp();
    switch (line)
    {
        case "train": TrainStep(); break;
        case "infer": InferStep(); break;
        case "warm": TrainStep(); InferStep(); break;
        default: Console.Error.WriteLine($"affetto-bench-train: unknown command '{line}'"); return 2;
    }
    Console.WriteLine(Stopwatch.GetElapsedTime(start).TotalMilliseconds.ToString("F3", CultureInfo.InvariantCulture));
}

return 0;
