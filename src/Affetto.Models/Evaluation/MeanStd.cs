using System.Globalization;

namespace Affetto.Models.Evaluation;

/// <summary>Mean and sample standard deviation (ddof = 1, as <c>numpy.std(x, ddof=1)</c>) of a metric over folds.</summary>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="Std">Sample standard deviation, sqrt(sum((x - mean)^2) / (n - 1)).</param>
/// <param name="Count">Number of values (folds).</param>
public readonly record struct MeanStd(double Mean, double Std, int Count)
{
    /// <summary>Summarises values.</summary>
    /// <param name="values">At least two finite values.</param>
    /// <returns>Mean, sample std and count.</returns>
    /// <exception cref="ArgumentException">Fewer than two values (the sample std is undefined) or a value is not finite.</exception>
    public static MeanStd Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2)
            throw new ArgumentException($"a sample standard deviation needs at least 2 values, got {values.Count}", nameof(values));
        for (int i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"value {i} is {values[i]}", nameof(values));
        }
        double mean = values.Average();
        double ss = values.Sum(v => (v - mean) * (v - mean));
        return new MeanStd(mean, Math.Sqrt(ss / (values.Count - 1)), values.Count);
    }

    /// <summary>"mean ± std" with four decimals, e.g. "0.7125 ± 0.0310".</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Mean:F4} ± {Std:F4}");
}
