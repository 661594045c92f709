namespace Affetto.Nn.Optim;

/// <summary>Multiplies the rate by gamma every <c>stepSize</c> epochs: lr = base·γ^⌊epoch/stepSize⌋.</summary>
public sealed class StepLR : LRScheduler
{
    /// <summary>Creates the schedule.</summary>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1)
        : base(optimizer)
    {
        if (stepSize <= 0)
        {
            throw new ArgumentException($"StepLR: stepSize must be positive, got {stepSize}.", nameof(stepSize));
        }

        StepSize = stepSize;
        Gamma = gamma;
        Step();
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>Decay factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    protected override double ComputeLearningRate(int epoch, double previous) =>
        epoch == 0 || epoch % StepSize != 0 ? previous : previous * Gamma;
}
