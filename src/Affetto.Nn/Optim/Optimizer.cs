using Affetto.Nn.Tensors;

namespace Affetto.Nn.Optim;

/// <summary>Base of the optimisers: one parameter group with a learning rate that schedulers may change.</summary>
public abstract class Optimizer
{
    /// <summary>Takes the parameters to optimise.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0)
        {
            throw new ArgumentException("The optimiser got an empty parameter list.", nameof(parameters));
        }

        foreach (var p in Parameters)
        {
            if (!p.IsLeaf || !p.IsContiguous)
            {
                throw new ArgumentException("Optimised parameters must be contiguous leaf tensors.", nameof(parameters));
            }
        }

        if (learningRate < 0f || float.IsNaN(learningRate))
        {
            throw new ArgumentException($"Invalid learning rate {learningRate}.", nameof(learningRate));
        }

        LearningRate = learningRate;
        InitialLearningRate = learningRate;
    }

    /// <summary>The parameters.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Current learning rate.</summary>
    public float LearningRate { get; set; }

    /// <summary>The learning rate given at construction (schedulers' base lr).</summary>
    public float InitialLearningRate { get; }

    /// <summary>The momentum-like coefficient a one-cycle schedule cycles (SGD momentum, Adam β1).</summary>
    public abstract float Momentum { get; set; }

    /// <summary>Applies one update from the parameters' gradients (parameters without a gradient are skipped).</summary>
    public abstract void Step();

    /// <summary>Zeroes the gradients in place.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            p.Grad?.Fill(0f);
        }
    }

    /// <summary>
    /// The optimiser's state (PyTorch's names: <c>state.{i}.exp_avg</c>, <c>state.{i}.exp_avg_sq</c>,
    /// <c>state.{i}.max_exp_avg_sq</c>, <c>state.{i}.step</c>, <c>state.{i}.momentum_buffer</c>, with i the parameter's
    /// position) so that a checkpoint can resume training exactly. Tensors are copies.
    /// </summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        WriteState(state);
        return state;
    }

    /// <summary>Restores a state written by <see cref="StateDict"/> for the same parameters.</summary>
    /// <exception cref="ArgumentException">A tensor's size does not match its parameter, or a key is unknown.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var (key, value) in state)
        {
            var parts = key.Split('.');
            if (parts.Length != 3 || parts[0] != "state" || !int.TryParse(parts[1], out int i) || i < 0 || i >= Parameters.Count)
            {
                throw new ArgumentException($"Unknown optimiser state key '{key}'.", nameof(state));
            }

            float[] values = value.Contiguous().ToArray();
            if (parts[2] != "step" && values.Length != Parameters[i].Length)
            {
                throw new ArgumentException($"Optimiser state '{key}' has {values.Length} values but parameter {i} has {Parameters[i].Length}.", nameof(state));
            }

            if (!ReadState(i, parts[2], values))
            {
                throw new ArgumentException($"Unknown optimiser state key '{key}' for {GetType().Name}.", nameof(state));
            }
        }
    }

    /// <summary>Adds this optimiser's per-parameter buffers to <paramref name="state"/>.</summary>
    protected abstract void WriteState(Dictionary<string, Tensor> state);

    /// <summary>Restores one buffer; returns false for a name this optimiser does not keep.</summary>
    protected abstract bool ReadState(int index, string name, float[] values);
}
