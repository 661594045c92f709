namespace Affetto.Nn.Optim;

/// <summary>
/// One-cycle policy (PyTorch's OneCycleLR, two phases): the rate rises from max/divFactor to max over
/// pctStart·totalSteps steps, then anneals to initial/finalDivFactor; momentum (SGD momentum or Adam β1) cycles
/// inversely between maxMomentum and baseMomentum. Step once per batch.
/// </summary>
public sealed class OneCycleLR : LRScheduler
{
    private readonly (double EndStep, double StartLr, double EndLr, double StartM, double EndM)[] _phases;

    /// <summary>Creates the schedule.</summary>
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart = 0.3, bool cosineAnnealing = true,
        bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95, double divFactor = 25, double finalDivFactor = 1e4)
        : base(optimizer)
    {
        if (totalSteps <= 0)
        {
            throw new ArgumentException($"OneCycleLR: totalSteps must be positive, got {totalSteps}.", nameof(totalSteps));
        }

        if (pctStart < 0 || pctStart > 1)
        {
            throw new ArgumentException($"OneCycleLR: pctStart must be in [0, 1], got {pctStart}.", nameof(pctStart));
        }

        TotalSteps = totalSteps;
        CosineAnnealing = cosineAnnealing;
        CycleMomentum = cycleMomentum;
        double initial = maxLr / divFactor;
        double min = initial / finalDivFactor;
        BaseLearningRate = initial;
        _phases =
        [
            ((pctStart * totalSteps) - 1, initial, maxLr, maxMomentum, baseMomentum),
            (totalSteps - 1, maxLr, min, baseMomentum, maxMomentum),
        ];
        if (cycleMomentum)
        {
            optimizer.Momentum = (float)maxMomentum;
        }

        Step();
    }

    /// <summary>Steps in the cycle.</summary>
    public int TotalSteps { get; }

    /// <summary>Cosine (true) or linear annealing.</summary>
    public bool CosineAnnealing { get; }

    /// <summary>Whether momentum is cycled.</summary>
    public bool CycleMomentum { get; }

    /// <inheritdoc />
    protected override double ComputeLearningRate(int epoch, double previous)
    {
        if (epoch > TotalSteps)
        {
            throw new InvalidOperationException($"OneCycleLR: stepped {epoch} times, more than totalSteps = {TotalSteps}.");
        }

        double start = 0;
        for (int i = 0; i < _phases.Length; i++)
        {
            var ph = _phases[i];
            if (epoch <= ph.EndStep || i == _phases.Length - 1)
            {
                double pct = (epoch - start) / (ph.EndStep - start);
                if (CycleMomentum)
                {
                    Optimizer.Momentum = (float)Anneal(ph.StartM, ph.EndM, pct);
                }

                return Anneal(ph.StartLr, ph.EndLr, pct);
            }

            start = ph.EndStep;
        }

        return previous;
    }

    private double Anneal(double start, double end, double pct) =>
        CosineAnnealing ? end + ((start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)) : ((end - start) * pct) + start;
}
