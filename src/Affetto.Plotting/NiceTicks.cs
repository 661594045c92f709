using System.Globalization;

namespace Affetto.Plotting;

/// <summary>
/// "Nice" axis tick values: evenly spaced multiples of a step that is 1, 2 or 5 times a power of ten
/// (after Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
/// </summary>
public static class NiceTicks
{
    /// <summary>
    /// Ticks inside [<paramref name="min"/>, <paramref name="max"/>], about <paramref name="targetCount"/> of them (at least
    /// two, at most 2·targetCount + 1), every one a multiple of the step.
    /// </summary>
    /// <param name="min">Lower end of the axis.</param>
    /// <param name="max">Upper end (≥ min; equal ends are widened by 1, or by 10 % of their magnitude).</param>
    /// <param name="targetCount">Desired number of intervals (2..50).</param>
    /// <exception cref="ArgumentException">An end is not finite, max &lt; min, or the count is out of range.</exception>
    public static double[] Compute(double min, double max, int targetCount = 5)
    {
        (min, max) = Widen(min, max);
        if (targetCount is < 2 or > 50) throw new ArgumentOutOfRangeException(nameof(targetCount), targetCount, $"targetCount must be in [2, 50], got {targetCount}.");
        double step = Step(min, max, targetCount);
        var ticks = Enumerate(min, max, step);
        while (ticks.Count < 2)
        {
            step = Smaller(step);
            ticks = Enumerate(min, max, step);
        }
        return ticks.ToArray();
    }

    /// <summary>The step that <see cref="Compute"/> uses before any refinement.</summary>
    /// <param name="min">Lower end.</param>
    /// <param name="max">Upper end.</param>
    /// <param name="targetCount">Desired number of intervals.</param>
    public static double Step(double min, double max, int targetCount = 5)
    {
        (min, max) = Widen(min, max);
        return NiceNumber((max - min) / targetCount);
    }

    /// <summary>Rounds <paramref name="x"/> &gt; 0 to the nearest of 1, 2, 5 or 10 times a power of ten.</summary>
    /// <param name="x">Positive finite value.</param>
    public static double NiceNumber(double x)
    {
        if (!(x > 0) || !double.IsFinite(x)) throw new ArgumentOutOfRangeException(nameof(x), x, $"x must be positive and finite, got {x}.");
        double exp = Math.Floor(Math.Log10(x));
        double p = Math.Pow(10, exp);
        double f = x / p;
        double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        return nice * p;
    }

    /// <summary>
    /// Formats a tick value with just enough decimals for <paramref name="step"/> (invariant culture, no "-0");
    /// very large or very small magnitudes use exponent notation.
    /// </summary>
    /// <param name="value">Tick value.</param>
    /// <param name="step">Spacing of the ticks.</param>
    public static string Format(double value, double step)
    {
        if (!double.IsFinite(value)) return value.ToString(CultureInfo.InvariantCulture);
        step = Math.Abs(step);
        if (step > 0 && Math.Abs(value) < step * 1e-6) value = 0;
        double mag = Math.Max(Math.Abs(value), step);
        if (mag >= 1e6 || (step > 0 && step < 1e-4))
            return value == 0 ? "0" : value.ToString("0.###e+0", CultureInfo.InvariantCulture);
        int decimals = step > 0 ? Math.Clamp(-(int)Math.Floor(Math.Log10(step) + 1e-9), 0, 10) : 3;
        string s = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return s.StartsWith('-') && s.Trim('-', '0', '.').Length == 0 ? s[1..] : s;
    }

    private static (double Min, double Max) Widen(double min, double max)
    {
        if (!double.IsFinite(min)) throw new ArgumentOutOfRangeException(nameof(min), min, $"min must be finite, got {min}.");
        if (!double.IsFinite(max)) throw new ArgumentOutOfRangeException(nameof(max), max, $"max must be finite, got {max}.");
        if (max < min) throw new ArgumentException($"max ({max}) is less than min ({min}).", nameof(max));
        if (max == min)
        {
            double d = min == 0 ? 1 : Math.Abs(min) * 0.1;
            return (min - d, max + d);
        }
        return (min, max);
    }

    private static double Smaller(double step)
    {
        double exp = Math.Floor(Math.Log10(step) + 1e-9);
        double f = Math.Round(step / Math.Pow(10, exp));
        return f switch { 5 => 2 * Math.Pow(10, exp), 2 => Math.Pow(10, exp), _ => 5 * Math.Pow(10, exp - 1) };
    }

    private static List<double> Enumerate(double min, double max, double step)
    {
        var list = new List<double>();
        double eps = step * 1e-9;
        double first = Math.Ceiling((min - eps) / step);
        double last = Math.Floor((max + eps) / step);
        for (double k = first; k <= last && list.Count < 1000; k++)
        {
            double v = k * step;
            // Snap to the closest representable multiple (avoids 0.30000000000000004).
            v = Math.Round(v / step) * step;
            double r = double.Parse(v.ToString("G15", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            list.Add(Math.Clamp(r, min, max));
        }
        return list;
    }
}
