using System.Globalization;

namespace Affetto.Plotting;

/// <summary>An 8-bit sRGB colour.</summary>
/// <param name="R">Red, 0..255.</param>
/// <param name="G">Green, 0..255.</param>
/// <param name="B">Blue, 0..255.</param>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Black.</summary>
    public static Rgb Black => new(0, 0, 0);

    /// <summary>White.</summary>
    public static Rgb White => new(255, 255, 255);

    /// <summary>Parses "#rrggbb" or "rrggbb".</summary>
    /// <param name="hex">Six hexadecimal digits, optionally after '#'.</param>
    /// <exception cref="ArgumentException">The text is not a six-digit hex colour.</exception>
    public static Rgb FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        ReadOnlySpan<char> s = hex.AsSpan().TrimStart('#');
        if (s.Length != 6 || !uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint v))
            throw new ArgumentException($"'{hex}' is not a colour of the form #rrggbb.", nameof(hex));
        return new Rgb((byte)(v >> 16), (byte)(v >> 8), (byte)v);
    }

    /// <summary>The colour as "#rrggbb" (lower case), as used in SVG.</summary>
    public string ToHex() => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");

    /// <summary>Linear blend in sRGB: <paramref name="t"/> = 0 gives <paramref name="a"/>, 1 gives <paramref name="b"/>.</summary>
    /// <param name="a">First colour.</param>
    /// <param name="b">Second colour.</param>
    /// <param name="t">Blend factor, clamped to [0, 1].</param>
    public static Rgb Lerp(Rgb a, Rgb b, double t)
    {
        t = Math.Clamp(t, 0, 1);
        return new Rgb(
            (byte)Math.Round(a.R + (b.R - a.R) * t),
            (byte)Math.Round(a.G + (b.G - a.G) * t),
            (byte)Math.Round(a.B + (b.B - a.B) * t));
    }

    /// <inheritdoc/>
    public override string ToString() => ToHex();
}
