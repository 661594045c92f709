using Affetto.Nn.Tensors;

namespace Affetto.Nn.Optim;

/// <summary>
/// Stochastic gradient descent exactly as PyTorch: d = g + wd·p; with momentum, buf = d on the first step else
/// buf = μ·buf + (1 - dampening)·d, and d = d + μ·buf (Nesterov) or buf; p -= lr·d.
/// </summary>
public sealed class SGD : Optimizer
{
    private readonly float[]?[] _buffers;

    /// <summary>Creates the optimiser.</summary>
    public SGD(IEnumerable<Tensor> parameters, float learningRate, float momentum = 0f, float dampening = 0f, float weightDecay = 0f,
        bool nesterov = false, bool maximize = false)
        : base(parameters, learningRate)
    {
        if (momentum < 0f || weightDecay < 0f)
        {
            throw new ArgumentException($"SGD: momentum ({momentum}) and weight decay ({weightDecay}) must be >= 0.", nameof(momentum));
        }

        if (nesterov && (momentum <= 0f || dampening != 0f))
        {
            throw new ArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening.", nameof(nesterov));
        }

        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        Maximize = maximize;
        _buffers = new float[]?[Parameters.Count];
    }

    /// <inheritdoc />
    public override float Momentum { get; set; }

    /// <summary>Dampening of the momentum.</summary>
    public float Dampening { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public float WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>Whether the objective is maximised.</summary>
    public bool Maximize { get; }

    /// <inheritdoc />
    public override void Step()
    {
        for (int k = 0; k < Parameters.Count; k++)
        {
            var p = Parameters[k];
            if (p.Grad == null)
            {
                continue;
            }

            var w = p.AsSpan();
            var g = p.Grad.Contiguous().AsSpan();
            var buf = _buffers[k];
            bool first = buf == null;
            if (Momentum != 0f && buf == null)
            {
                buf = _buffers[k] = new float[w.Length];
            }

            for (int i = 0; i < w.Length; i++)
            {
                float d = Maximize ? -g[i] : g[i];
                if (WeightDecay != 0f)
                {
                    d += WeightDecay * w[i];
                }

                if (Momentum != 0f)
                {
                    buf![i] = first ? d : (Momentum * buf[i]) + ((1f - Dampening) * d);
                    d = Nesterov ? d + (Momentum * buf[i]) : buf[i];
                }

                w[i] -= LearningRate * d;
            }
        }
    }

    /// <inheritdoc />
    protected override void WriteState(Dictionary<string, Tensor> state)
    {
        for (int k = 0; k < Parameters.Count; k++)
        {
            if (_buffers[k] is { } buf)
            {
                state[$"state.{k}.momentum_buffer"] = Tensor.FromArray(buf, buf.Length);
            }
        }
    }

    /// <inheritdoc />
    protected override bool ReadState(int index, string name, float[] values)
    {
        if (name != "momentum_buffer")
        {
            return false;
        }

        _buffers[index] = values;
        return true;
    }
}
