namespace Affetto.Plotting;

/// <summary>
/// Conversions between 8-bit sRGB and the OKLab perceptual colour space (Björn Ottosson, 2020), whose L axis
/// tracks perceived lightness and whose Euclidean distances approximate perceived colour differences.
/// </summary>
public static class OkLab
{
    /// <summary>OKLab coordinates (L in [0, 1], a and b roughly in [-0.4, 0.4]) of an sRGB colour.</summary>
    /// <param name="color">sRGB colour.</param>
    public static (double L, double A, double B) FromRgb(Rgb color)
    {
        double r = ToLinear(color.R / 255.0), g = ToLinear(color.G / 255.0), b = ToLinear(color.B / 255.0);
        double l = Math.Cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
        double m = Math.Cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
        double s = Math.Cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
        return (0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
                1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
                0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s);
    }

    /// <summary>Converts OKLab to sRGB, clamping to the sRGB gamut.</summary>
    /// <param name="l">Lightness.</param>
    /// <param name="a">Green-red axis.</param>
    /// <param name="b">Blue-yellow axis.</param>
    /// <param name="inGamut">False when a channel had to be clamped by more than 1e-6.</param>
    public static Rgb ToRgb(double l, double a, double b, out bool inGamut)
    {
        (double r, double g, double bl) = ToLinearRgb(l, a, b);
        inGamut = r >= -1e-6 && r <= 1 + 1e-6 && g >= -1e-6 && g <= 1 + 1e-6 && bl >= -1e-6 && bl <= 1 + 1e-6;
        return new Rgb(Encode(r), Encode(g), Encode(bl));
    }

    internal static (double R, double G, double B) ToLinearRgb(double L, double a, double b)
    {
        double l = L + 0.3963377774 * a + 0.2158037573 * b;
        double m = L - 0.1055613458 * a - 0.0638541728 * b;
        double s = L - 0.0894841775 * a - 1.2914855480 * b;
        l = l * l * l;
        m = m * m * m;
        s = s * s * s;
        return (4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
                -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
                -0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s);
    }

    private static double ToLinear(double c) => c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);

    private static byte Encode(double linear)
    {
        double c = Math.Clamp(linear, 0, 1);
        c = c <= 0.0031308 ? 12.92 * c : 1.055 * Math.Pow(c, 1 / 2.4) - 0.055;
        return (byte)Math.Round(c * 255);
    }
}
