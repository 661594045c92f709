namespace Affetto.Plotting;

/// <summary>
/// A continuous colour map sampled into a 256-entry table.
/// </summary>
/// <remarks>
/// The built-in maps are derived here, not copied: a few anchor colours are given in OKLCh (lightness, chroma,
/// hue). Lightness runs linearly in t from the first to the last anchor, so equal steps in value are equal steps
/// in perceived lightness (the map reads correctly in grey-scale and is monotonic). The a/b chromatic coordinates
/// are interpolated linearly in OKLab between anchors, and where a colour falls outside sRGB its chroma is
/// reduced (bisection at fixed L and hue) until it fits, so lightness is never distorted by gamut clipping.
/// </remarks>
public sealed class ColorMap
{
    private readonly Rgb[] _lut;

    private ColorMap(string name, Rgb[] lut)
    {
        Name = name;
        _lut = lut;
    }

    /// <summary>Dark blue-violet through blue, teal and green to yellow (a viridis-like sequential map).</summary>
    public static ColorMap Aurora { get; } = FromOkLch("aurora",
        [(0.26, 0.10, 295), (0.44, 0.11, 262), (0.60, 0.10, 200), (0.76, 0.15, 145), (0.94, 0.17, 105)]);

    /// <summary>Near-black through purple, magenta and orange to pale yellow (a magma-like sequential map).</summary>
    public static ColorMap Ember { get; } = FromOkLch("ember",
        [(0.14, 0.03, 290), (0.34, 0.14, 305), (0.54, 0.18, 355), (0.74, 0.16, 45), (0.97, 0.08, 100)]);

    /// <summary>Grey ramp, linear in OKLab lightness from 0.15 to 0.98.</summary>
    public static ColorMap Gray { get; } = FromOkLch("gray", [(0.15, 0, 0), (0.98, 0, 0)]);

    /// <summary>Name of the map.</summary>
    public string Name { get; }

    /// <summary>The 256 table colours from low to high.</summary>
    public IReadOnlyList<Rgb> Colors => _lut;

    /// <summary>Colour at <paramref name="t"/> in [0, 1] (clamped; NaN maps to 0).</summary>
    /// <param name="t">Normalised value.</param>
    public Rgb Map(double t)
    {
        if (double.IsNaN(t)) t = 0;
        int i = (int)Math.Round(Math.Clamp(t, 0, 1) * (_lut.Length - 1));
        return _lut[i];
    }

    /// <summary>
    /// Builds a map from OKLCh anchors (lightness 0..1, chroma, hue in degrees) equally spaced in t; lightness must
    /// increase strictly from anchor to anchor.
    /// </summary>
    /// <param name="name">Name of the map.</param>
    /// <param name="anchors">At least two anchors.</param>
    /// <exception cref="ArgumentException">Fewer than two anchors, or lightness not strictly increasing or outside [0, 1].</exception>
    public static ColorMap FromOkLch(string name, ReadOnlySpan<(double L, double C, double HueDegrees)> anchors)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (anchors.Length < 2) throw new ArgumentException($"A colour map needs at least two anchors, got {anchors.Length}.", nameof(anchors));
        var lab = new (double L, double A, double B)[anchors.Length];
        for (int i = 0; i < anchors.Length; i++)
        {
            (double l, double c, double h) = anchors[i];
            if (!(l >= 0 && l <= 1)) throw new ArgumentException($"Anchor {i} lightness {l} is outside [0, 1].", nameof(anchors));
            if (i > 0 && !(l > anchors[i - 1].L)) throw new ArgumentException($"Anchor lightness must increase strictly; anchor {i} has {l} after {anchors[i - 1].L}.", nameof(anchors));
            if (!(c >= 0) || !double.IsFinite(h)) throw new ArgumentException($"Anchor {i} has invalid chroma {c} or hue {h}.", nameof(anchors));
            double rad = h * Math.PI / 180;
            lab[i] = (l, c * Math.Cos(rad), c * Math.Sin(rad));
        }

        var lut = new Rgb[256];
        int segments = lab.Length - 1;
        for (int k = 0; k < lut.Length; k++)
        {
            double t = k / 255.0;
            double pos = t * segments;
            int s = Math.Min((int)pos, segments - 1);
            double u = pos - s;
            // Lightness linear over the whole map; chromatic part linear per segment.
            double lightness = lab[0].L + (lab[^1].L - lab[0].L) * t;
            double a = lab[s].A + (lab[s + 1].A - lab[s].A) * u;
            double b = lab[s].B + (lab[s + 1].B - lab[s].B) * u;
            lut[k] = FitInGamut(lightness, a, b);
        }
        return new ColorMap(name, lut);
    }

    private static Rgb FitInGamut(double l, double a, double b)
    {
        Rgb c = OkLab.ToRgb(l, a, b, out bool ok);
        if (ok) return c;
        double lo = 0, hi = 1;
        for (int i = 0; i < 30; i++)
        {
            double mid = (lo + hi) / 2;
            OkLab.ToRgb(l, a * mid, b * mid, out bool fits);
            if (fits) lo = mid; else hi = mid;
        }
        return OkLab.ToRgb(l, a * lo, b * lo, out _);
    }
}
