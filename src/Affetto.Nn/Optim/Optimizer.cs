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
}
