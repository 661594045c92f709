namespace Affetto.Plotting;

/// <summary>Pixel layouts that <see cref="PngWriter"/> encodes (8 bits per sample). Values are the PNG colour-type codes.</summary>
public enum PngColorType : byte
{
    /// <summary>Three bytes per pixel: red, green, blue.</summary>
    Rgb = 2,

    /// <summary>Four bytes per pixel: red, green, blue, alpha (not premultiplied).</summary>
    Rgba = 6,
}
