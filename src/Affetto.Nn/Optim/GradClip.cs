using Affetto.Nn.Tensors;

namespace Affetto.Nn.Optim;

/// <summary>Gradient clipping (PyTorch's <c>clip_grad_norm_</c>).</summary>
public static class GradClip
{
    /// <summary>
    /// Scales all gradients by min(1, maxNorm/(total + 1e-6)), where total is the 2-norm of all gradients together.
    /// Returns the total norm before clipping.
    /// </summary>
    public static float ClipGradNorm(IEnumerable<Tensor> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (maxNorm < 0f || float.IsNaN(maxNorm))
        {
            throw new ArgumentException($"ClipGradNorm: maxNorm must be >= 0, got {maxNorm}.", nameof(maxNorm));
        }

        var grads = parameters.Select(p => p.Grad).Where(g => g != null).Select(g => g!).ToList();
        double sq = 0;
        foreach (var g in grads)
        {
            foreach (float v in g.Contiguous().AsSpan())
            {
                sq += (double)v * v;
            }
        }

        float total = (float)Math.Sqrt(sq);
        float coef = Math.Min(1f, maxNorm / (total + 1e-6f));
        if (coef < 1f)
        {
            foreach (var g in grads)
            {
                g.MulInPlace(coef);
            }
        }

        return total;
    }
}
