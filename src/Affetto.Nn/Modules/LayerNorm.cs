using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Layer normalisation over the trailing <c>normalizedShape</c> dimensions (weight 1, bias 0).</summary>
public sealed class LayerNorm : Module
{
    private readonly int[] _shape;

    /// <summary>Creates the layer.</summary>
    public LayerNorm(int[] normalizedShape, float eps = 1e-5f, bool elementwiseAffine = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || normalizedShape.Any(d => d <= 0))
        {
            throw new ArgumentException($"LayerNorm: normalizedShape [{string.Join(", ", normalizedShape)}] must be non-empty and positive.", nameof(normalizedShape));
        }

        _shape = (int[])normalizedShape.Clone();
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(_shape));
            Bias = RegisterParameter("bias", Tensor.Zeros(_shape));
        }
    }

    /// <summary>Creates the layer over the last dimension.</summary>
    public LayerNorm(int normalizedShape, float eps = 1e-5f, bool elementwiseAffine = true)
        : this([normalizedShape], eps, elementwiseAffine)
    {
    }

    /// <summary>Added to the variance.</summary>
    public float Eps { get; }

    /// <summary>Scale or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>Shift or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.LayerNorm(input, _shape, Weight, Bias, Eps);
}
