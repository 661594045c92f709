using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Nn.Modules;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Emotion.Inference;

/// <summary>
/// Evaluation-mode probabilities of a <see cref="Cnn4Network"/> with less work per segment: each BatchNorm2d (running
/// statistics) is folded into the convolution before it (w' = w·s, b' = (b - mean)·s + beta with
/// s = gamma / sqrt(var + eps)), and each block pools before its ReLU (max pooling and ReLU commute, so the ReLU runs
/// on a quarter of the values); a one-channel first block runs as a direct 3x3 stencil with the pooling fused in
/// (<see cref="SingleChannelConvPool"/>). Results equal <see cref="NetworkPredictor"/>'s up to float rounding. Unlike a module
/// it keeps no per-call state, so several threads may predict at once without a lock.
/// </summary>
public sealed class FusedCnn4Predictor
{
    private readonly (Tensor Weight, Tensor Bias)[] _blocks;
    private readonly Tensor _linearWeight;
    private readonly Tensor _linearBias;
    private readonly int _classes;

    private FusedCnn4Predictor((Tensor, Tensor)[] blocks, Tensor linearWeight, Tensor linearBias)
    {
        _blocks = blocks;
        _linearWeight = linearWeight;
        _linearBias = linearBias;
        _classes = linearWeight.Size(0);
    }

    /// <summary>
    /// Folds <paramref name="network"/>'s current weights (later changes to the network are not seen), or returns
    /// null when it is not a cnn4 network of the expected layout.
    /// </summary>
    /// <param name="network">A network (any architecture).</param>
    /// <returns>The predictor, or null.</returns>
    public static FusedCnn4Predictor? TryCreate(EmotionNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network is not Cnn4Network) return null;
        var modules = network.NamedModules().ToDictionary(m => m.Name, m => m.Module, StringComparer.Ordinal);
        var blocks = new (Tensor, Tensor)[Cnn4Network.BaseChannels.Length];
        using (Tensor.NoGrad())
        {
            for (int i = 0; i < blocks.Length; i++)
            {
                if (!modules.TryGetValue($"features.{4 * i}", out var c) || c is not Conv2d conv
                    || !modules.TryGetValue($"features.{4 * i + 1}", out var b) || b is not BatchNorm2d bn
                    || conv.KernelSize != (3, 3) || conv.Padding != (1, 1) || conv.Stride != (1, 1) || conv.Dilation != (1, 1) || conv.Groups != 1
                    || bn.RunningMean is null || bn.RunningVar is null)
                    return null;
                blocks[i] = Fold(conv, bn);
            }
            if (!modules.TryGetValue("classifier.1", out var l) || l is not Linear linear)
                return null;
            var state = linear.StateDict();
            return new FusedCnn4Predictor(blocks, Copy(state["weight"]), Copy(state["bias"]));
        }
    }

    /// <summary>Class probabilities, <c>batch.Count x classes</c>, segment-major; safe to call from several threads.</summary>
    /// <param name="batch">Front-end output with spectrograms.</param>
    /// <returns>The softmax probabilities.</returns>
    /// <exception cref="ArgumentException">The batch has no spectrograms.</exception>
    public float[] PredictProbabilities(SegmentBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Spectrograms is null)
            throw new ArgumentException("the network needs spectrograms but the front end computed none", nameof(batch));
        using (Tensor.NoGrad())
        {
            Tensor x;
            int first = 0;
            var (w0, b0) = _blocks[0];
            if (w0.Size(1) == 1)
            {
                // One input channel: the first block as a direct stencil with pooling fused in.
                x = SingleChannelConvPool.Forward(batch.Spectrograms, batch.Count, batch.Height, batch.Width, w0.AsSpan(), b0.AsSpan());
                first = 1;
            }
            else
            {
                x = Tensor.FromArray(batch.Spectrograms, batch.Count, w0.Size(1), batch.Height, batch.Width);
            }
            // Each activation goes back to the engine's pool as soon as the next exists: a batch's activations are
            // megabytes, and allocating them afresh for every batch kept the garbage collector busy.
            for (int i = first; i < _blocks.Length; i++)
            {
                var conv = Functional.Conv2d(x, _blocks[i].Weight, _blocks[i].Bias, padding: (1, 1));
                x.Recycle();
                x = MaxPoolRelu(conv);
                conv.Recycle();
            }
            var embedding = Functional.AdaptiveAvgPool2d(x, (1, 1)).Flatten(1);
            x.Recycle();
            var probabilities = Functional.Linear(embedding, _linearWeight, _linearBias).Softmax(1).ToArray();
            if (probabilities.Length != batch.Count * _classes)
                throw new InvalidOperationException($"the folded network returned {probabilities.Length} values for {batch.Count} segments");
            return probabilities;
        }
    }

    /// <summary>
    /// ReLU(MaxPool2d(2)) of [N, C, H, W] in one pass (floor mode, as PyTorch): the 2x2 maximum of each window, then
    /// max(., 0). NaN propagates as in the unfused layers.
    /// </summary>
    internal static unsafe Tensor MaxPoolRelu(Tensor x)
    {
        int n = x.Size(0), c = x.Size(1), h = x.Size(2), w = x.Size(3);
        int oh = h / 2, ow = w / 2, planes = n * c;
        var output = Tensor.Empty(n, c, oh, ow);
        int workers = Math.Min(Affetto.Nn.Kernels.Parallelism.MaxThreads, planes);
        fixed (float* source = x.Contiguous().AsSpan(), destination = output.AsSpan())
        {
            float* src = source, dst = destination;
            if (workers <= 1)
            {
                PoolPlanes(src, dst, 0, planes, h, w);
            }
            else
            {
                int per = (planes + workers * 4 - 1) / (workers * 4);
                Parallel.For(0, (planes + per - 1) / per, new ParallelOptions { MaxDegreeOfParallelism = workers },
                    part => PoolPlanes(src, dst, part * per, Math.Min(planes, (part + 1) * per), h, w));
            }
        }
        return output;
    }

    private static unsafe void PoolPlanes(float* source, float* output, int first, int last, int h, int w)
    {
        int oh = h / 2, ow = w / 2;
        float[]? heap = 2 * ow > 8192 ? new float[2 * ow] : null;  // very wide images only
        Span<float> rowMax = heap ?? stackalloc float[2 * ow];
        fixed (float* m = rowMax)
        {
            for (int p = first; p < last; p++)
            {
                float* plane = source + (long)p * h * w;
                for (int i = 0; i < oh; i++)
                {
                    // Vertical maximum of the two rows, then of each horizontal pair, then ReLU.
                    System.Numerics.Tensors.TensorPrimitives.Max(
                        new ReadOnlySpan<float>(plane + 2L * i * w, 2 * ow), new ReadOnlySpan<float>(plane + (2L * i + 1) * w, 2 * ow), rowMax);
                    PairMax.Relu(m, output + ((long)p * oh + i) * ow, ow);
                }
            }
        }
    }

    private static (Tensor Weight, Tensor Bias) Fold(Conv2d conv, BatchNorm2d bn)
    {
        var convState = conv.StateDict();
        float[] w = convState["weight"].ToArray();
        float[] b = convState.TryGetValue("bias", out var convBias) ? convBias.ToArray() : new float[conv.OutChannels];
        float[] mean = bn.RunningMean!.ToArray(), variance = bn.RunningVar!.ToArray();
        float[]? gamma = bn.Weight?.ToArray(), beta = bn.Bias?.ToArray();
        int outChannels = conv.OutChannels, perChannel = w.Length / outChannels;
        var foldedBias = new float[outChannels];
        for (int o = 0; o < outChannels; o++)
        {
            // In double, so folding adds no more rounding than one float multiply per weight.
            double s = (gamma?[o] ?? 1.0) / Math.Sqrt(variance[o] + (double)bn.Eps);
            for (int k = 0; k < perChannel; k++) w[o * perChannel + k] = (float)(w[o * perChannel + k] * s);
            foldedBias[o] = (float)((b[o] - (double)mean[o]) * s + (beta?[o] ?? 0.0));
        }
        var shape = convState["weight"].Shape;
        return (Tensor.FromArray(w, shape[0], shape[1], shape[2], shape[3]), Tensor.FromArray(foldedBias, outChannels));
    }

    private static Tensor Copy(Tensor t) => Tensor.FromArray(t.ToArray(), [.. t.Shape]);
}
