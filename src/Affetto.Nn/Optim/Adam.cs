using Affetto.Nn.Tensors;

namespace Affetto.Nn.Optim;

/// <summary>
/// Adam as in PyTorch 1.13: g += wd·p (L2, Adam) or p *= 1 - lr·wd (decoupled, AdamW); m = β1·m + (1-β1)·g;
/// v = β2·v + (1-β2)·g²; p -= lr/(1-β1ᵗ) · m / (√v̂/√(1-β2ᵗ) + ε), with v̂ = max over steps of v when amsgrad.
/// </summary>
public class Adam : Optimizer
{
    private readonly float[]?[] _m;
    private readonly float[]?[] _v;
    private readonly float[]?[] _vMax;
    private readonly int[] _steps;

    /// <summary>Creates the optimiser (PyTorch's defaults lr 1e-3, betas (0.9, 0.999), eps 1e-8).</summary>
    public Adam(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f,
        float weightDecay = 0f, bool amsgrad = false)
        : this(parameters, learningRate, beta1, beta2, eps, weightDecay, amsgrad, decoupled: false)
    {
    }

    /// <summary>Creates the optimiser with L2 (Adam) or decoupled (AdamW) weight decay.</summary>
    protected Adam(IEnumerable<Tensor> parameters, float learningRate, float beta1, float beta2, float eps, float weightDecay, bool amsgrad, bool decoupled)
        : base(parameters, learningRate)
    {
        if (beta1 < 0f || beta1 >= 1f || beta2 < 0f || beta2 >= 1f || eps < 0f || weightDecay < 0f)
        {
            throw new ArgumentException($"Adam: invalid hyper-parameters (betas ({beta1}, {beta2}), eps {eps}, weight decay {weightDecay}).", nameof(beta1));
        }

        Momentum = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        Amsgrad = amsgrad;
        Decoupled = decoupled;
        _m = new float[]?[Parameters.Count];
        _v = new float[]?[Parameters.Count];
        _vMax = new float[]?[Parameters.Count];
        _steps = new int[Parameters.Count];
    }

    /// <summary>β1 (the one-cycle "momentum").</summary>
    public override float Momentum { get; set; }

    /// <summary>β2.</summary>
    public float Beta2 { get; }

    /// <summary>Denominator term.</summary>
    public float Eps { get; }

    /// <summary>Weight decay.</summary>
    public float WeightDecay { get; }

    /// <summary>Whether the running maximum of v is used.</summary>
    public bool Amsgrad { get; }

    /// <summary>Whether the weight decay is decoupled (AdamW).</summary>
    public bool Decoupled { get; }

    /// <inheritdoc />
    public override void Step()
    {
        float beta1 = Momentum;
        for (int k = 0; k < Parameters.Count; k++)
        {
            var p = Parameters[k];
            if (p.Grad == null)
            {
                continue;
            }

            var w = p.AsSpan();
            var g = p.Grad.Contiguous().AsSpan();
            var m = _m[k] ??= new float[w.Length];
            var v = _v[k] ??= new float[w.Length];
            var vMax = Amsgrad ? _vMax[k] ??= new float[w.Length] : null;
            int step = ++_steps[k];
            double bc1 = 1 - Math.Pow(beta1, step);
            // As PyTorch: the bias corrections are Python floats, applied to float32 tensors in float32.
            var c = new AdamCoefficients(
                Decay: Decoupled ? 1f - (LearningRate * WeightDecay) : 1f,
                L2: Decoupled ? 0f : WeightDecay,
                OneMinusBeta1: 1f - beta1,
                Beta2: Beta2,
                OneMinusBeta2: 1f - Beta2,
                Bc2Sqrt: (float)Math.Sqrt(1 - Math.Pow(Beta2, step)),
                Eps: Eps,
                StepSize: (float)(LearningRate / bc1));
            AdamKernel.Update(w, g, m, v, vMax, c);
        }
    }

    /// <inheritdoc />
    protected override void WriteState(Dictionary<string, Tensor> state)
    {
        for (int k = 0; k < Parameters.Count; k++)
        {
            if (_m[k] is null)
            {
                continue;
            }

            state[$"state.{k}.step"] = Tensor.FromArray([(float)_steps[k]], 1);
            state[$"state.{k}.exp_avg"] = Tensor.FromArray(_m[k]!, _m[k]!.Length);
            state[$"state.{k}.exp_avg_sq"] = Tensor.FromArray(_v[k]!, _v[k]!.Length);
            if (_vMax[k] is { } vMax)
            {
                state[$"state.{k}.max_exp_avg_sq"] = Tensor.FromArray(vMax, vMax.Length);
            }
        }
    }

    /// <inheritdoc />
    protected override bool ReadState(int index, string name, float[] values)
    {
        switch (name)
        {
            case "step": _steps[index] = (int)values[0]; return true;
            case "exp_avg": _m[index] = values; return true;
            case "exp_avg_sq": _v[index] = values; return true;
            case "max_exp_avg_sq": _vMax[index] = values; return true;
            default: return false;
        }
    }
}
