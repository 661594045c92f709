using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>
/// Stochastic depth in "row" mode (torchvision): in training each sample's residual branch is dropped with probability
/// P and kept ones are scaled by 1/(1-P); identity in evaluation or when P is 0.
/// </summary>
public sealed class StochasticDepth : Module
{
    private readonly Generator? _generator;

    /// <summary>Creates the layer.</summary>
    public StochasticDepth(float p, Generator? generator = null)
    {
        if (p < 0f || p > 1f)
        {
            throw new ArgumentException($"StochasticDepth: probability {p} must be in [0, 1].", nameof(p));
        }

        P = p;
        _generator = generator;
    }

    /// <summary>Drop probability.</summary>
    public float P { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (!Training || P == 0f)
        {
            return input;
        }

        var gen = _generator ?? Generator.Default;
        var shape = new int[input.Rank];
        shape[0] = input.Size(0);
        for (int i = 1; i < shape.Length; i++)
        {
            shape[i] = 1;
        }

        var mask = Tensor.Zeros(shape);
        var ms = mask.AsSpan();
        for (int i = 0; i < ms.Length; i++)
        {
            ms[i] = gen.NextDouble() < 1.0 - P ? 1f / (1f - P) : 0f;
        }

        return P == 1f ? input.Mul(0f) : input.Mul(mask);
    }
}
