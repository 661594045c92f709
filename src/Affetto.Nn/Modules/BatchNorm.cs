using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>
/// Batch normalisation over channel dimension 1 (base of <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/>):
/// weight 1, bias 0, running_mean 0, running_var 1, num_batches_tracked (int64) as in PyTorch.
/// </summary>
public abstract class BatchNorm : Module
{
    private readonly int _rankLow;
    private readonly int _rankHigh;

    /// <summary>Creates the layer.</summary>
    protected BatchNorm(int numFeatures, float eps, float momentum, bool affine, bool trackRunningStats, int rankLow, int rankHigh)
    {
        if (numFeatures <= 0)
        {
            throw new ArgumentException($"BatchNorm: numFeatures must be positive, got {numFeatures}.", nameof(numFeatures));
        }

        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        _rankLow = rankLow;
        _rankHigh = rankHigh;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(numFeatures));
            Bias = RegisterParameter("bias", Tensor.Zeros(numFeatures));
        }

        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(numFeatures));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones(numFeatures));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", new Tensor([0f], 0, [], []) { DType = TensorDType.Int64 });
        }
    }

    /// <summary>Channels.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance.</summary>
    public float Eps { get; }

    /// <summary>Running-statistics momentum.</summary>
    public float Momentum { get; }

    /// <summary>Scale γ or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>Shift β or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Running mean or null.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>Running (unbiased) variance or null.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>Number of training batches seen (int64 in checkpoints).</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < _rankLow || input.Rank > _rankHigh || input.Size(1) != NumFeatures)
        {
            throw new ArgumentException($"{GetType().Name}({NumFeatures}): unexpected input shape [{string.Join(", ", input.Shape)}].", nameof(input));
        }

        if (Training && NumBatchesTracked != null)
        {
            NumBatchesTracked.Fill(NumBatchesTracked.Item() + 1);
        }

        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, Training || RunningMean == null, Momentum, Eps);
    }
}
