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

        var x = input.Dense().Span;
        var mean = new float[c];
        var invStd = new float[c];
        for (int ch = 0; ch < c; ch++)
        {
            if (useBatch)
            {
                double s = 0;
                for (int b = 0; b < n; b++)
                {
                    var row = x.Slice(((b * c) + ch) * spatial, spatial);
                    foreach (float v in row)
                    {
                        s += v;
                    }
                }

                double mu = s / m;
                double sq = 0;
                for (int b = 0; b < n; b++)
                {
                    var row = x.Slice(((b * c) + ch) * spatial, spatial);
                    foreach (float v in row)
                    {
                        double dv = v - mu;
                        sq += dv * dv;
                    }
                }

                double varBiased = sq / m;
                mean[ch] = (float)mu;
                invStd[ch] = (float)(1.0 / Math.Sqrt(varBiased + eps));
                if (training && runningMean != null && runningVar != null)
                {
                    double varUnbiased = m > 1 ? sq / (m - 1) : varBiased;
                    runningMean[ch] = (float)(((1 - momentum) * runningMean[ch]) + (momentum * mu));
                    runningVar[ch] = (float)(((1 - momentum) * runningVar[ch]) + (momentum * varUnbiased));
                }
            }
            else
            {
                mean[ch] = runningMean![ch];
                invStd[ch] = (float)(1.0 / Math.Sqrt(runningVar![ch] + (double)eps));
            }
        }

        var wv = weight?.ToArray();
        var bv = bias?.ToArray();
        var y = Tensor.Zeros([.. input.Shape]);
        var ys = y.AsSpan();
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                float scale = invStd[ch] * (wv?[ch] ?? 1f);
                float shift = (bv?[ch] ?? 0f) - (mean[ch] * scale);
                int o = ((b * c) + ch) * spatial;
                for (int i = 0; i < spatial; i++)
                {
                    ys[o + i] = (x[o + i] * scale) + shift;
                }
            }
        }

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

        var xd = input.Dense();
        return y.RecordOp("BatchNorm", ins, grad =>
        {
            var g = grad.Dense().Span;
            var xs = xd.Span;
            var gx = Tensor.Zeros([.. input.Shape]);
            var gxs = gx.AsSpan();
            var gw = new float[c];
            var gb = new float[c];
            for (int ch = 0; ch < c; ch++)
            {
                double sg = 0, sgx = 0;
                for (int b = 0; b < n; b++)
                {
                    int o = ((b * c) + ch) * spatial;
                    for (int i = 0; i < spatial; i++)
                    {
                        double xhat = (xs[o + i] - mean[ch]) * invStd[ch];
                        sg += g[o + i];
                        sgx += g[o + i] * xhat;
                    }
                }

                gw[ch] = (float)sgx;
                gb[ch] = (float)sg;
                float w = wv?[ch] ?? 1f;
                if (useBatch)
                {
                    // dx = w·invstd/M · (M·g - Σg - x̂·Σ(g·x̂))
                    double k = w * invStd[ch] / m;
                    for (int b = 0; b < n; b++)
                    {
                        int o = ((b * c) + ch) * spatial;
                        for (int i = 0; i < spatial; i++)
                        {
                            double xhat = (xs[o + i] - mean[ch]) * invStd[ch];
                            gxs[o + i] = (float)(k * ((m * g[o + i]) - sg - (xhat * sgx)));
                        }
                    }
                }
                else
                {
                    float k = w * invStd[ch];
                    for (int b = 0; b < n; b++)
                    {
                        int o = ((b * c) + ch) * spatial;
                        for (int i = 0; i < spatial; i++)
                        {
                            gxs[o + i] = k * g[o + i];
                        }
                    }
                }
            }

            var result = new List<Tensor?> { input.RequiresGrad ? gx : null };
            if (weight != null)
            {
                result.Add(Tensor.FromArray(gw, weight.Shape.ToArray()));
            }

            if (bias != null)
            {
                result.Add(Tensor.FromArray(gb, bias.Shape.ToArray()));
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
