namespace Affetto.Plotting;

/// <summary>How tick values are chosen on a heatmap's frequency axis.</summary>
public enum AxisTickMode
{
    /// <summary>Evenly spaced nice values (1, 2 or 5 × 10^k steps), for linearly spaced rows.</summary>
    Linear,

    /// <summary>1, 2 and 5 × 10^k values (plus 0 when in range), for log- or mel-spaced rows.</summary>
    Log,
}
