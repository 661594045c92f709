using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

public static partial class Functional
{
    /// <summary>
    /// Cross-entropy of logits [N, C] (or [N, C, d...]) against class indices [N] (or [N, d...]) stored as integral
    /// floats, with optional class weights and PyTorch 1.13's label smoothing:
    /// <c>(1 - ε)·nll + ε/C·Σ_c -w_c·log p_c</c>, where with weights and mean reduction both terms are divided by
    /// Σ w[target].
    /// </summary>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean,
        float labelSmoothing = 0f)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (labelSmoothing < 0f || labelSmoothing > 1f)
        {
            throw new ArgumentException($"CrossEntropy: labelSmoothing {labelSmoothing} must be in [0, 1].", nameof(labelSmoothing));
        }

        if (input.Rank < 2)
        {
            throw new ArgumentException($"CrossEntropy: input must be [N, C, ...]; got [{string.Join(", ", input.Shape)}].", nameof(input));
        }

        // Move classes last and flatten: logits [M, C], targets [M].
        int c = input.Size(1);
        var logits = input.Rank == 2 ? input : input.Transpose(1, -1).Reshape(-1, c);
        var tgt = target.Reshape(-1);
        if (tgt.Length != logits.Size(0))
        {
            throw new ArgumentException($"CrossEntropy: {tgt.Length} targets for {logits.Size(0)} samples (input [{string.Join(", ", input.Shape)}], target [{string.Join(", ", target.Shape)}]).", nameof(target));
        }

        if (weight != null && weight.Length != c)
        {
            throw new ArgumentException($"CrossEntropy: weight has {weight.Length} elements for {c} classes.", nameof(weight));
        }

        var tv = tgt.ToArray();
        int mCount = tv.Length;
        var oneHot = Tensor.Zeros(mCount, c);
        var wTarget = new float[mCount];
        var wv = weight?.ToArray();
        for (int i = 0; i < mCount; i++)
        {
            int k = (int)tv[i];
            if (k != tv[i] || k < 0 || k >= c)
            {
                throw new ArgumentOutOfRangeException(nameof(target), $"CrossEntropy: target {tv[i]} at position {i} is not a class index in [0, {c}).");
            }

            oneHot[i, k] = 1f;
            wTarget[i] = wv?[k] ?? 1f;
        }

        var logp = logits.LogSoftmax(1);
        var wt = Tensor.FromArray(wTarget, mCount);
        var nll = logp.Mul(oneHot).Sum(1).Neg().Mul(wt);
        Tensor? smooth = null;
        if (labelSmoothing > 0f)
        {
            var lp = weight != null ? logp.Mul(weight.Reshape(1, c)) : logp;
            smooth = lp.Sum(1).Neg();
        }

        Tensor Reduce(Tensor perSample) => reduction switch
        {
            Reduction.Mean => weight != null ? perSample.Sum().Div(wTarget.Sum()) : perSample.Mean(),
            Reduction.Sum => perSample.Sum(),
            _ => input.Rank == 2 ? perSample : perSample.Reshape([.. target.Shape]),
        };

        var loss = Reduce(nll);
        if (smooth != null)
        {
            loss = loss.Mul(1f - labelSmoothing).Add(Reduce(smooth).Mul(labelSmoothing / c));
        }

        return loss;
    }

    /// <summary>Cross-entropy against class indices given as integers.</summary>
    public static Tensor CrossEntropy(Tensor input, IReadOnlyList<int> target, Tensor? weight = null, Reduction reduction = Reduction.Mean,
        float labelSmoothing = 0f) =>
        CrossEntropy(input, Tensor.FromArray(target.Select(t => (float)t).ToArray()), weight, reduction, labelSmoothing);

    /// <summary>Negative log-likelihood of log-probabilities [N, C] at class indices [N], optional class weights.</summary>
    public static Tensor NllLoss(Tensor logProbabilities, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean)
    {
        // nll of log-probabilities = cross-entropy of log-probabilities up to the (zero) log-sum-exp shift.
        ArgumentNullException.ThrowIfNull(logProbabilities);
        if (logProbabilities.Rank != 2)
        {
            throw new ArgumentException($"NllLoss: expects [N, C]; got [{string.Join(", ", logProbabilities.Shape)}].", nameof(logProbabilities));
        }

        int n = logProbabilities.Size(0), c = logProbabilities.Size(1);
        var tv = target.ToArray();
        if (tv.Length != n)
        {
            throw new ArgumentException($"NllLoss: {tv.Length} targets for {n} samples.", nameof(target));
        }

        var oneHot = Tensor.Zeros(n, c);
        var wt = new float[n];
        var wv = weight?.ToArray();
        for (int i = 0; i < n; i++)
        {
            int k = (int)tv[i];
            if (k != tv[i] || k < 0 || k >= c)
            {
                throw new ArgumentOutOfRangeException(nameof(target), $"NllLoss: target {tv[i]} at position {i} is not a class index in [0, {c}).");
            }

            oneHot[i, k] = 1f;
            wt[i] = wv?[k] ?? 1f;
        }

        var per = logProbabilities.Mul(oneHot).Sum(1).Neg().Mul(Tensor.FromArray(wt, n));
        return reduction switch
        {
            Reduction.Mean => weight != null ? per.Sum().Div(wt.Sum()) : per.Mean(),
            Reduction.Sum => per.Sum(),
            _ => per,
        };
    }

    /// <summary>
    /// Binary cross-entropy on logits, <c>(1 - y)·x + (1 + (pw - 1)·y)·softplus(-x)</c>, stable for large |x|;
    /// <paramref name="posWeight"/> broadcasts over the last dimension as in PyTorch.
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? posWeight = null, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.Shape.SequenceEqual(target.Shape))
        {
            throw new ArgumentException($"BinaryCrossEntropyWithLogits: target shape [{string.Join(", ", target.Shape)}] differs from input shape [{string.Join(", ", input.Shape)}].", nameof(target));
        }

        var x = input.Dense();
        var y = target.Dense().ToArray();
        var pw = posWeight == null ? null : posWeight.Expand([.. input.Shape]).ToArray();
        var xs = x.ToArray();
        var loss = Tensor.Zeros([.. input.Shape]);
        var ls = loss.AsSpan();
        for (int i = 0; i < xs.Length; i++)
        {
            double xv = xs[i];
            double l = 1 + (((pw?[i] ?? 1f) - 1) * y[i]);
            double softplusNeg = Math.Max(-xv, 0) + Math.Log(1 + Math.Exp(-Math.Abs(xv)));
            ls[i] = (float)(((1 - y[i]) * xv) + (l * softplusNeg));
        }

        if (Tensor.NeedsGradAny([input]))
        {
            loss.RecordOp("BinaryCrossEntropyWithLogits", [input], g =>
            {
                var gd = g.Dense().ToArray();
                var gx = Tensor.Zeros([.. input.Shape]);
                var gs = gx.AsSpan();
                for (int i = 0; i < xs.Length; i++)
                {
                    double l = 1 + (((pw?[i] ?? 1f) - 1) * y[i]);
                    double sigNeg = 1.0 / (1.0 + Math.Exp(xs[i]));
                    gs[i] = (float)(gd[i] * ((1 - y[i]) - (l * sigNeg)));
                }

                return [gx];
            });
        }

        return reduction switch
        {
            Reduction.Mean => loss.Mean(),
            Reduction.Sum => loss.Sum(),
            _ => loss,
        };
    }

    /// <summary>Mean squared error.</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(input, target, "MseLoss");
        var d = input.Sub(target);
        return ReduceLoss(d.Mul(d), reduction);
    }

    /// <summary>Mean absolute error.</summary>
    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(input, target, "L1Loss");
        return ReduceLoss(input.Sub(target).Abs(), reduction);
    }

    private static Tensor ReduceLoss(Tensor loss, Reduction reduction) => reduction switch
    {
        Reduction.Mean => loss.Mean(),
        Reduction.Sum => loss.Sum(),
        _ => loss,
    };

    private static void CheckSameShape(Tensor input, Tensor target, string op)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.Shape.SequenceEqual(target.Shape))
        {
            throw new ArgumentException($"{op}: target shape [{string.Join(", ", target.Shape)}] differs from input shape [{string.Join(", ", input.Shape)}].", nameof(target));
        }
    }
}
