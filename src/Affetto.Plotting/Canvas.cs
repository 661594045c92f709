namespace Affetto.Plotting;

/// <summary>
/// An 8-bit RGB raster with clipped drawing primitives: rectangles, lines, and text in the built-in
/// <see cref="BitmapFont"/> (horizontal or rotated 90° counter-clockwise), at integer scales.
/// </summary>
public sealed class Canvas
{
    private readonly byte[] _pixels;

    /// <summary>Creates a canvas filled with <paramref name="background"/>.</summary>
    /// <param name="width">Width in pixels (1..32768).</param>
    /// <param name="height">Height in pixels (1..32768).</param>
    /// <param name="background">Initial colour; white when null.</param>
    public Canvas(int width, int height, Rgb? background = null)
    {
        if (width is < 1 or > 32768) throw new ArgumentOutOfRangeException(nameof(width), width, $"width must be in [1, 32768], got {width}.");
        if (height is < 1 or > 32768) throw new ArgumentOutOfRangeException(nameof(height), height, $"height must be in [1, 32768], got {height}.");
        Width = width;
        Height = height;
        _pixels = new byte[width * height * 3];
        Clear(background ?? Rgb.White);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The raster, row-major from the top-left, 3 bytes (R, G, B) per pixel.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>Fills the whole canvas.</summary>
    /// <param name="color">Fill colour.</param>
    public void Clear(Rgb color) => FillRect(0, 0, Width, Height, color);

    /// <summary>The colour at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row from the top.</param>
    /// <exception cref="ArgumentOutOfRangeException">The point is outside the canvas.</exception>
    public Rgb GetPixel(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside the {Width}x{Height} canvas.");
        int i = (y * Width + x) * 3;
        return new Rgb(_pixels[i], _pixels[i + 1], _pixels[i + 2]);
    }

    /// <summary>Sets one pixel; points outside the canvas are ignored.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row from the top.</param>
    /// <param name="color">Colour.</param>
    public void SetPixel(int x, int y, Rgb color)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        int i = (y * Width + x) * 3;
        _pixels[i] = color.R;
        _pixels[i + 1] = color.G;
        _pixels[i + 2] = color.B;
    }

    /// <summary>Fills the rectangle [x, x+w) × [y, y+h), clipped to the canvas.</summary>
    /// <param name="x">Left.</param>
    /// <param name="y">Top.</param>
    /// <param name="w">Width.</param>
    /// <param name="h">Height.</param>
    /// <param name="color">Fill colour.</param>
    public void FillRect(int x, int y, int w, int h, Rgb color)
    {
        int x0 = Math.Max(0, x), y0 = Math.Max(0, y);
        int x1 = (int)Math.Min(Width, (long)x + w), y1 = (int)Math.Min(Height, (long)y + h);
        if (x1 <= x0 || y1 <= y0) return;
        Span<byte> row = _pixels.AsSpan((y0 * Width + x0) * 3, (x1 - x0) * 3);
        for (int i = 0; i < row.Length; i += 3)
        {
            row[i] = color.R;
            row[i + 1] = color.G;
            row[i + 2] = color.B;
        }
        for (int yy = y0 + 1; yy < y1; yy++) row.CopyTo(_pixels.AsSpan((yy * Width + x0) * 3));
    }

    /// <summary>Draws the outline of a rectangle with the given line thickness (inside the rectangle).</summary>
    /// <param name="x">Left.</param>
    /// <param name="y">Top.</param>
    /// <param name="w">Width.</param>
    /// <param name="h">Height.</param>
    /// <param name="color">Line colour.</param>
    /// <param name="thickness">Line thickness in pixels.</param>
    public void DrawRect(int x, int y, int w, int h, Rgb color, int thickness = 1)
    {
        FillRect(x, y, w, thickness, color);
        FillRect(x, y + h - thickness, w, thickness, color);
        FillRect(x, y, thickness, h, color);
        FillRect(x + w - thickness, y, thickness, h, color);
    }

    /// <summary>Draws a line (Bresenham) from (x0, y0) to (x1, y1) with a square pen of <paramref name="thickness"/> pixels.</summary>
    /// <param name="x0">Start column.</param>
    /// <param name="y0">Start row.</param>
    /// <param name="x1">End column.</param>
    /// <param name="y1">End row.</param>
    /// <param name="color">Colour.</param>
    /// <param name="thickness">Pen size (≥ 1).</param>
    public void DrawLine(int x0, int y0, int x1, int y1, Rgb color, int thickness = 1)
    {
        if (thickness < 1) throw new ArgumentOutOfRangeException(nameof(thickness), thickness, $"thickness must be >= 1, got {thickness}.");
        int off = (thickness - 1) / 2;
        int dx = Math.Abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
        int dy = -Math.Abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
        int err = dx + dy;
        while (true)
        {
            if (thickness == 1) SetPixel(x0, y0, color);
            else FillRect(x0 - off, y0 - off, thickness, thickness, color);
            if (x0 == x1 && y0 == y1) break;
            int e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }

    /// <summary>Draws one line of text horizontally.</summary>
    /// <param name="text">Text; characters outside printable ASCII are drawn as '?'.</param>
    /// <param name="x">Anchor column.</param>
    /// <param name="y">Anchor row.</param>
    /// <param name="color">Ink colour.</param>
    /// <param name="scale">Integer magnification (1..16).</param>
    /// <param name="horizontal">Anchor position along the text.</param>
    /// <param name="vertical">Anchor position across the text: top of capitals, middle of capitals, or baseline.</param>
    public void DrawText(string text, int x, int y, Rgb color, int scale = 1, TextAlign horizontal = TextAlign.Start, TextAlign vertical = TextAlign.Start)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckScale(scale);
        int w = BitmapFont.MeasureWidth(text, scale);
        int left = x - AlignOffset(horizontal, w);
        int top = y - AlignOffset(vertical, BitmapFont.CapHeight * scale);
        for (int k = 0; k < text.Length; k++)
        {
            int gx0 = left + k * BitmapFont.Advance * scale;
            for (int r = 0; r < BitmapFont.GlyphHeight; r++)
            {
                int bits = BitmapFont.GetRow(text[k], r);
                if (bits == 0) continue;
                for (int c = 0; c < BitmapFont.GlyphWidth; c++)
                    if ((bits & (1 << (BitmapFont.GlyphWidth - 1 - c))) != 0)
                        FillRect(gx0 + c * scale, top + r * scale, scale, scale, color);
            }
        }
    }

    /// <summary>
    /// Draws one line of text rotated 90° counter-clockwise (reading upwards), as for a y-axis label.
    /// </summary>
    /// <param name="text">Text.</param>
    /// <param name="x">Anchor column (across the text: Start = top of capitals, which face left; End = baseline).</param>
    /// <param name="y">Anchor row (along the text: Start = where the text begins, at the bottom; End = its top end).</param>
    /// <param name="color">Ink colour.</param>
    /// <param name="scale">Integer magnification (1..16).</param>
    /// <param name="along">Anchor position along the text.</param>
    /// <param name="across">Anchor position across the text.</param>
    public void DrawTextVertical(string text, int x, int y, Rgb color, int scale = 1, TextAlign along = TextAlign.Start, TextAlign across = TextAlign.Start)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckScale(scale);
        int len = BitmapFont.MeasureWidth(text, scale);
        int bottom = y + AlignOffset(along, len);
        int left = x - AlignOffset(across, BitmapFont.CapHeight * scale);
        for (int k = 0; k < text.Length; k++)
        {
            int along0 = k * BitmapFont.Advance * scale;
            for (int r = 0; r < BitmapFont.GlyphHeight; r++)
            {
                int bits = BitmapFont.GetRow(text[k], r);
                if (bits == 0) continue;
                for (int c = 0; c < BitmapFont.GlyphWidth; c++)
                    if ((bits & (1 << (BitmapFont.GlyphWidth - 1 - c))) != 0)
                        FillRect(left + r * scale, bottom - along0 - (c + 1) * scale, scale, scale, color);
            }
        }
    }

    /// <summary>Copies another canvas onto this one with its top-left corner at (x, y), clipped.</summary>
    /// <param name="source">Canvas to copy.</param>
    /// <param name="x">Destination left.</param>
    /// <param name="y">Destination top.</param>
    public void Blit(Canvas source, int x, int y)
    {
        ArgumentNullException.ThrowIfNull(source);
        int sx0 = Math.Max(0, -x), sy0 = Math.Max(0, -y);
        int sx1 = Math.Min(source.Width, Width - x), sy1 = Math.Min(source.Height, Height - y);
        if (sx1 <= sx0 || sy1 <= sy0) return;
        for (int sy = sy0; sy < sy1; sy++)
            source._pixels.AsSpan((sy * source.Width + sx0) * 3, (sx1 - sx0) * 3).CopyTo(_pixels.AsSpan(((sy + y) * Width + sx0 + x) * 3));
    }

    /// <summary>Returns a new canvas enlarged by an integer factor (each pixel becomes factor × factor pixels).</summary>
    /// <param name="factor">Magnification (≥ 1).</param>
    public Canvas Scale(int factor)
    {
        if (factor < 1 || (long)Width * factor > 32768 || (long)Height * factor > 32768)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"factor must be >= 1 and keep the canvas within 32768 pixels, got {factor}.");
        var result = new Canvas(Width * factor, Height * factor);
        for (int y = 0; y < Height; y++)
        {
            Span<byte> dst = result._pixels.AsSpan(y * factor * result.Width * 3, result.Width * 3);
            for (int x = 0; x < Width; x++)
                for (int f = 0; f < factor; f++)
                    _pixels.AsSpan((y * Width + x) * 3, 3).CopyTo(dst[((x * factor + f) * 3)..]);
            for (int f = 1; f < factor; f++) dst.CopyTo(result._pixels.AsSpan((y * factor + f) * result.Width * 3));
        }
        return result;
    }

    /// <summary>Encodes the canvas as an RGB PNG.</summary>
    public byte[] ToPng() => PngWriter.Encode(_pixels, Width, Height);

    /// <summary>Writes the canvas as an RGB PNG file.</summary>
    /// <param name="path">Destination file (overwritten).</param>
    public void SavePng(string path) => PngWriter.Save(path, _pixels, Width, Height);

    private static int AlignOffset(TextAlign align, int size) => align switch
    {
        TextAlign.Start => 0,
        TextAlign.Middle => size / 2,
        TextAlign.End => size,
        _ => throw new ArgumentOutOfRangeException(nameof(align), align, $"Unknown alignment {align}."),
    };

    private static void CheckScale(int scale)
    {
        if (scale is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(scale), scale, $"scale must be in [1, 16], got {scale}.");
    }
}
