namespace Affetto.Nn.Optim;

/// <summary>
/// Cosine annealing from the base rate to <c>etaMin</c> over <c>tMax</c> epochs with PyTorch's recursive update
/// (equal to η_min + (base - η_min)(1 + cos(π·t/T_max))/2 and periodic beyond T_max).
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    /// <summary>Creates the schedule.</summary>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0)
        : base(optimizer)
    {
        if (tMax <= 0)
        {
            throw new ArgumentException($"CosineAnnealingLR: tMax must be positive, got {tMax}.", nameof(tMax));
        }

        TMax = tMax;
        EtaMin = etaMin;
        Step();
    }

    /// <summary>Half period in epochs.</summary>
    public int TMax { get; }

    /// <summary>Minimum rate.</summary>
    public double EtaMin { get; }

    /// <inheritdoc />
    protected override double ComputeLearningRate(int epoch, double previous)
    {
        if (epoch == 0)
        {
            return BaseLearningRate;
        }

        if ((epoch - 1 - TMax) % (2 * TMax) == 0)
        {
            return previous + ((BaseLearningRate - EtaMin) * (1 - Math.Cos(Math.PI / TMax)) / 2);
        }

        return ((1 + Math.Cos(Math.PI * epoch / TMax)) / (1 + Math.Cos(Math.PI * (epoch - 1) / TMax)) * (previous - EtaMin)) + EtaMin;
    }
}
