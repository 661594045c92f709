using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Zeroes elements with probability P in training (scaling the rest by 1/(1-P)); identity in evaluation.</summary>
public sealed class Dropout : Module
{
    private readonly Generator? _generator;

    /// <summary>Creates the layer; pass a generator (or seed) for reproducible masks.</summary>
    public Dropout(float p = 0.5f, Generator? generator = null)
    {
        if (p < 0f || p > 1f)
        {
            throw new ArgumentException($"Dropout: probability {p} must be in [0, 1].", nameof(p));
        }

        P = p;
        _generator = generator;
    }

    /// <summary>Creates the layer with its own seeded generator.</summary>
    public Dropout(float p, long seed)
        : this(p, new Generator(seed))
    {
    }

    /// <summary>Drop probability.</summary>
    public float P { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, Training, _generator);
}
