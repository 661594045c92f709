namespace Affetto.Plotting;

/// <summary>Categorical colours for series and classes, chosen to be distinct for the common kinds of colour blindness first.</summary>
public static class Palette
{
    private static readonly Rgb[] s_colors =
    [
        Rgb.FromHex("#2a6fdb"), // blue
        Rgb.FromHex("#e8731a"), // orange
        Rgb.FromHex("#1f9e6a"), // green
        Rgb.FromHex("#d23f6b"), // raspberry
        Rgb.FromHex("#7d52c7"), // violet
        Rgb.FromHex("#8c6239"), // brown
        Rgb.FromHex("#e05fc0"), // pink
        Rgb.FromHex("#6b6b6b"), // grey
        Rgb.FromHex("#b5a900"), // olive
        Rgb.FromHex("#17a7c2"), // cyan
    ];

    /// <summary>Number of distinct colours before the sequence repeats.</summary>
    public static int Count => s_colors.Length;

    /// <summary>The colour for series or class <paramref name="index"/> (cycles after <see cref="Count"/>).</summary>
    /// <param name="index">Non-negative index.</param>
    public static Rgb Get(int index)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be >= 0, got {index}.");
        return s_colors[index % s_colors.Length];
    }
}
