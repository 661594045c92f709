namespace Affetto.Nn.Optim;

/// <summary>
/// Base of learning-rate schedules (PyTorch's LRScheduler): the constructor sets the epoch-0 rate, each
/// <see cref="Step"/> advances one epoch (or batch, for one-cycle) and writes the new rate into the optimiser.
/// Rates are computed in double precision like Python does.
/// </summary>
public abstract class LRScheduler
{
    /// <summary>Attaches to an optimiser; its current learning rate becomes the base rate.</summary>
    protected LRScheduler(Optimizer optimizer)
    {
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        BaseLearningRate = optimizer.LearningRate;
        CurrentLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimiser whose rate is scheduled.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The rate at epoch 0.</summary>
    public double BaseLearningRate { get; protected set; }

    /// <summary>Epochs (steps) taken so far; 0 after construction.</summary>
    public int LastEpoch { get; private set; } = -1;

    /// <summary>The rate last written (double precision).</summary>
    public double CurrentLearningRate { get; private set; }

    /// <summary>Advances one epoch and updates the optimiser's learning rate.</summary>
    public void Step()
    {
        LastEpoch++;
        CurrentLearningRate = ComputeLearningRate(LastEpoch, CurrentLearningRate);
        Optimizer.LearningRate = (float)CurrentLearningRate;
    }

    /// <summary>The rate at <paramref name="epoch"/> given the previous one.</summary>
    protected abstract double ComputeLearningRate(int epoch, double previous);
}
