using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Nn.Modules;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Emotion.Inference;

/// <summary>
/// Evaluation-mode probabilities of a <see cref="Cnn4Network"/> with less work per segment: each BatchNorm2d (running
/// statistics) is folded into the convolution before it (w' = w·s, b' = (b - mean)·s + beta with
/// s = gamma / sqrt(var + eps)), and each block pools before its ReLU (max pooling and ReLU commute, so the ReLU runs
/// on a quarter of the values). Results equal <see cref="NetworkPredictor"/>'s up to float rounding. Unlike a module
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
            var x = Tensor.FromArray(batch.Spectrograms, batch.Count, 1, batch.Height, batch.Width);
            foreach (var (weight, bias) in _blocks)
            {
                x = Functional.Conv2d(x, weight, bias, padding: (1, 1));
                x = Functional.MaxPool2d(x, (2, 2)).Relu();
            }
            var embedding = Functional.AdaptiveAvgPool2d(x, (1, 1)).Flatten(1);
            var probabilities = Functional.Linear(embedding, _linearWeight, _linearBias).Softmax(1).ToArray();
            if (probabilities.Length != batch.Count * _classes)
                throw new InvalidOperationException($"the folded network returned {probabilities.Length} values for {batch.Count} segments");
            return probabilities;
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
