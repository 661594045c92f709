using System.Globalization;
using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>
/// Shared parameter layout of <see cref="LSTM"/> and <see cref="GRU"/>: per layer and direction
/// <c>weight_ih_l{k}[_reverse]</c> [gates·H, in], <c>weight_hh_l{k}</c> [gates·H, H], <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c>,
/// all initialised U(±1/√H) as PyTorch.
/// </summary>
public abstract class RecurrentBase : Module
{
    private readonly Tensor[][] _weights;
    private readonly Generator? _dropoutGenerator;

    /// <summary>Creates the parameters.</summary>
    protected RecurrentBase(int gates, int inputSize, int hiddenSize, int numLayers, bool bias, bool batchFirst, float dropout,
        bool bidirectional, Generator? generator)
    {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0)
        {
            throw new ArgumentException($"{GetType().Name}: inputSize ({inputSize}), hiddenSize ({hiddenSize}) and numLayers ({numLayers}) must be positive.", nameof(inputSize));
        }

        if (dropout < 0f || dropout > 1f)
        {
            throw new ArgumentException($"{GetType().Name}: dropout {dropout} must be in [0, 1].", nameof(dropout));
        }

        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        BatchFirst = batchFirst;
        Dropout = dropout;
        Bidirectional = bidirectional;
        HasBias = bias;
        _dropoutGenerator = generator;
        int dirs = bidirectional ? 2 : 1;
        float k = 1f / MathF.Sqrt(hiddenSize);
        _weights = new Tensor[numLayers * dirs][];
        for (int layer = 0; layer < numLayers; layer++)
        {
            int layerIn = layer == 0 ? inputSize : hiddenSize * dirs;
            for (int d = 0; d < dirs; d++)
            {
                string suffix = "_l" + layer.ToString(CultureInfo.InvariantCulture) + (d == 1 ? "_reverse" : string.Empty);
                var list = new List<Tensor>
                {
                    RegisterParameter("weight_ih" + suffix, Init.Uniform(Tensor.Zeros(gates * hiddenSize, layerIn), -k, k, generator)),
                    RegisterParameter("weight_hh" + suffix, Init.Uniform(Tensor.Zeros(gates * hiddenSize, hiddenSize), -k, k, generator)),
                };
                if (bias)
                {
                    list.Add(RegisterParameter("bias_ih" + suffix, Init.Uniform(Tensor.Zeros(gates * hiddenSize), -k, k, generator)));
                    list.Add(RegisterParameter("bias_hh" + suffix, Init.Uniform(Tensor.Zeros(gates * hiddenSize), -k, k, generator)));
                }

                _weights[(layer * dirs) + d] = list.ToArray();
            }
        }
    }

    /// <summary>Features per input step.</summary>
    public int InputSize { get; }

    /// <summary>Hidden state size.</summary>
    public int HiddenSize { get; }

    /// <summary>Stacked layers.</summary>
    public int NumLayers { get; }

    /// <summary>Whether input/output are [batch, time, features] instead of [time, batch, features].</summary>
    public bool BatchFirst { get; }

    /// <summary>Dropout on the outputs of every layer but the last (training only).</summary>
    public float Dropout { get; }

    /// <summary>Whether each layer also runs backwards in time.</summary>
    public bool Bidirectional { get; }

    /// <summary>Whether the gates have biases.</summary>
    public bool HasBias { get; }

    /// <summary>Number of directions (1 or 2).</summary>
    protected int Directions => Bidirectional ? 2 : 1;

    /// <summary>Weights of one layer/direction: W_ih, W_hh and optionally b_ih, b_hh.</summary>
    protected Tensor[] WeightsOf(int layer, int direction) => _weights[(layer * Directions) + direction];

    /// <summary>Checks the input and returns it time-major [T, B, I].</summary>
    protected Tensor TimeMajor(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Size(2) != InputSize)
        {
            throw new ArgumentException($"{GetType().Name}: expects a 3-D input with {InputSize} features ({(BatchFirst ? "[batch, time, features]" : "[time, batch, features]")}); got [{string.Join(", ", input.Shape)}].", nameof(input));
        }

        return BatchFirst ? input.Transpose(0, 1) : input;
    }

    /// <summary>x·W_ihᵀ + b_ih (+ b_hh when <paramref name="addHiddenBias"/>) for all steps at once: [T, B, gates·H].</summary>
    protected static Tensor InputProjection(Tensor x, Tensor[] w, bool addHiddenBias)
    {
        int t = x.Size(0), b = x.Size(1);
        var proj = x.Reshape(t * b, x.Size(2)).Mm(w[0].T);
        if (w.Length > 2)
        {
            proj = proj.Add(addHiddenBias ? w[2].Add(w[3]) : w[2]);
        }

        return proj.Reshape(t, b, -1);
    }

    /// <summary>Applies inter-layer dropout in training.</summary>
    protected Tensor InterLayerDropout(Tensor x, int layer) =>
        layer < NumLayers - 1 && Training && Dropout > 0f ? Functional.Dropout(x, Dropout, true, _dropoutGenerator) : x;

    /// <summary>Checks an initial state of shape [layers·directions, B, H].</summary>
    protected void CheckState(Tensor s, int batch, string name)
    {
        if (s.Rank != 3 || s.Size(0) != NumLayers * Directions || s.Size(1) != batch || s.Size(2) != HiddenSize)
        {
            throw new ArgumentException($"{GetType().Name}: {name} must be [{NumLayers * Directions}, {batch}, {HiddenSize}]; got [{string.Join(", ", s.Shape)}].", name);
        }
    }
}
