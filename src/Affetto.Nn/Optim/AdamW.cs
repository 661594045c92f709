using Affetto.Nn.Tensors;

namespace Affetto.Nn.Optim;

/// <summary>Adam with decoupled weight decay (PyTorch's AdamW; default weight decay 1e-2).</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimiser.</summary>
    public AdamW(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f,
        float weightDecay = 1e-2f, bool amsgrad = false)
        : base(parameters, learningRate, beta1, beta2, eps, weightDecay, amsgrad, decoupled: true)
    {
    }
}
