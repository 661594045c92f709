using Affetto.Nn.Kernels;
using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

public static partial class Functional
{
    /// <summary>
    /// Batch normalisation of [N, C] or [N, C, *] input. In training the batch statistics normalise (biased variance)
    /// and the running statistics are updated in place (unbiased variance, <c>running = (1 - momentum)·running +
    /// momentum·batch</c>); otherwise the running statistics normalise.
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum = 0.1f, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2)
        {
            throw new ArgumentException($"BatchNorm: expects [N, C, ...]; got shape [{string.Join(", ", input.Shape)}].", nameof(input));
        }

        int n = input.Size(0), c = input.Size(1);
        int spatial = input.Length / Math.Max(n * c, 1);
        int m = n * spatial;
        foreach (var (t, name) in new[] { (runningMean, "runningMean"), (runningVar, "runningVar"), (weight, "weight"), (bias, "bias") })
        {
            if (t != null && t.Length != c)
            {
                throw new ArgumentException($"BatchNorm: {name} has {t.Length} elements for {c} channels.", name);
            }
        }

        bool useBatch = training || runningMean == null || runningVar == null;
        if (useBatch && m <= 1 && training)
        {
            throw new ArgumentException($"BatchNorm: expected more than 1 value per channel when training, got input shape [{string.Join(", ", input.Shape)}].", nameof(input));
        }

        var xd = input.Dense();
        var x = xd.Span;
        var mean = new float[c];
        var invStd = new float[c];
        if (useBatch)
        {
            var variance = new float[c];
            BatchNormKernels.Statistics(x, n, c, spatial, mean, variance);
            for (int ch = 0; ch < c; ch++)
            {
                invStd[ch] = (float)(1.0 / Math.Sqrt(variance[ch] + (double)eps));
                if (training && runningMean != null && runningVar != null)
                {
                    double varUnbiased = m > 1 ? variance[ch] * (double)m / (m - 1) : variance[ch];
                    var rm = runningMean.AsSpan();
                    var rv = runningVar.AsSpan();
                    rm[ch] = (float)(((1 - momentum) * (double)rm[ch]) + (momentum * (double)mean[ch]));
                    rv[ch] = (float)(((1 - momentum) * (double)rv[ch]) + (momentum * varUnbiased));
                }
            }
        }
        else
        {
            var rm = runningMean!.Contiguous().AsSpan();
            var rv = runningVar!.Contiguous().AsSpan();
            for (int ch = 0; ch < c; ch++)
            {
                mean[ch] = rm[ch];
                invStd[ch] = (float)(1.0 / Math.Sqrt(rv[ch] + (double)eps));
            }
        }

        var wv = weight?.ToArray();
        var bv = bias?.ToArray();
        var scale = new float[c];
        var shift = new float[c];
        for (int ch = 0; ch < c; ch++)
        {
            scale[ch] = invStd[ch] * (wv?[ch] ?? 1f);
            shift[ch] = (bv?[ch] ?? 0f) - (mean[ch] * scale[ch]);
        }

        var y = Tensor.Uninitialized([.. input.Shape]);
        BatchNormKernels.ScaleShift(x, scale, shift, y.AsSpan(), n, c, spatial);
        var inputs = new List<Tensor> { input };
        if (weight != null)
        {
            inputs.Add(weight);
        }

        if (bias != null)
        {
            inputs.Add(bias);
        }

        var ins = inputs.ToArray();
        if (!Tensor.NeedsGradAny(ins))
        {
            return y;
        }

        return y.RecordOp("BatchNorm", ins, grad =>
        {
            var g = grad.Dense();
            var gw = new float[c];
            var gb = new float[c];
            BatchNormKernels.BackwardSums(xd.Span, g.Span, mean, invStd, gb, gw, n, c, spatial);
            Tensor? gx = null;
            if (input.RequiresGrad)
            {
                gx = Tensor.Uninitialized([.. input.Shape]);
                if (useBatch)
                {
                    BatchNormKernels.BackwardInput(xd.Span, g.Span, mean, invStd, wv ?? ReadOnlySpan<float>.Empty, gb, gw, gx.AsSpan(), n, c, spatial);
                }
                else
                {
                    BatchNormKernels.ScaleShift(g.Span, scale.Select((_, ch) => invStd[ch] * (wv?[ch] ?? 1f)).ToArray(), new float[c], gx.AsSpan(), n, c, spatial);
                }
            }

            var result = new List<Tensor?> { gx };
            if (weight != null)
            {
                result.Add(Tensor.FromArray(gw, [.. weight.Shape]));
            }

            if (bias != null)
            {
                result.Add(Tensor.FromArray(gb, [.. bias.Shape]));
            }

            return result.ToArray();
        });
    }

    /// <summary>Layer normalisation over the trailing dimensions given by <paramref name="normalizedShape"/> (biased variance).</summary>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        int k = normalizedShape.Length;
        if (k == 0 || k > input.Rank)
        {
            throw new ArgumentException($"LayerNorm: normalizedShape of {k} dims does not fit input [{string.Join(", ", input.Shape)}].", nameof(normalizedShape));
        }

        for (int i = 0; i < k; i++)
        {
            if (input.Size(input.Rank - k + i) != normalizedShape[i])
            {
                throw new ArgumentException($"LayerNorm: input [{string.Join(", ", input.Shape)}] does not end with normalizedShape [{string.Join(", ", normalizedShape)}].", nameof(normalizedShape));
            }
        }

        var axes = Enumerable.Range(input.Rank - k, k).ToArray();
        var mean = input.Mean(axes, keepDim: true);
        var centered = input.Sub(mean);
        var variance = centered.Mul(centered).Mean(axes, keepDim: true);
        var y = centered.Div(variance.Add(eps).Sqrt());
        if (weight != null)
        {
            y = y.Mul(weight);
        }

        if (bias != null)
        {
            y = y.Add(bias);
        }

        return y;
    }
}
