namespace Affetto.Plotting;

/// <summary>
/// Renders a matrix [rows = frequency bins, columns = frames] as a PNG-ready raster: colour-mapped cells with low
/// rows at the bottom, time ticks in seconds, frequency ticks in Hz from a row → Hz mapping (linear, log or mel
/// spaced rows), a colour bar with value ticks, axis labels and a title.
/// </summary>
/// <remarks>
/// The matrix is read in place (never copied); the plot area has a fixed size in pixels and each pixel takes either
/// the nearest cell or the maximum of the cells it covers, so memory is bounded by the image size.
/// </remarks>
public sealed class Heatmap
{
    /// <summary>Title above the plot, or null.</summary>
    public string? Title { get; set; }

    /// <summary>X-axis label. Default "Time (s)".</summary>
    public string? XLabel { get; set; } = "Time (s)";

    /// <summary>Y-axis label. Default "Frequency (Hz)".</summary>
    public string? YLabel { get; set; } = "Frequency (Hz)";

    /// <summary>Label of the colour bar. Default "dB".</summary>
    public string? ColorBarLabel { get; set; } = "dB";

    /// <summary>Colour map. Default <see cref="ColorMap.Aurora"/>.</summary>
    public ColorMap ColorMap { get; set; } = ColorMap.Aurora;

    /// <summary>Width of the plot area in pixels (the image is wider by its margins). Default 800.</summary>
    public int PlotWidth { get; set; } = 800;

    /// <summary>Height of the plot area in pixels. Default 360.</summary>
    public int PlotHeight { get; set; } = 360;

    /// <summary>Integer scale of the bitmap font for labels (the title uses one more). Default 2.</summary>
    public int TextScale { get; set; } = 2;

    /// <summary>Duration of one column (hopLength / sampleRate). Default 1.</summary>
    public double SecondsPerFrame { get; set; } = 1;

    /// <summary>Time of the left edge of column 0. Default 0.</summary>
    public double StartSeconds { get; set; }

    /// <summary>Maps a (fractional) row index to its centre frequency in Hz; must increase. Null: the row index itself.</summary>
    public Func<double, double>? RowToHz { get; set; }

    /// <summary>How frequency ticks are chosen. Default <see cref="AxisTickMode.Linear"/>.</summary>
    public AxisTickMode YTicks { get; set; } = AxisTickMode.Linear;

    /// <summary>Value mapped to the bottom of the colour map, or null for the data minimum.</summary>
    public double? ValueMin { get; set; }

    /// <summary>Value mapped to the top of the colour map, or null for the data maximum.</summary>
    public double? ValueMax { get; set; }

    /// <summary>Cell-to-pixel mapping when shrinking. Default <see cref="ResampleMode.MaxPool"/>.</summary>
    public ResampleMode Resampling { get; set; } = ResampleMode.MaxPool;

    /// <summary>Row → Hz for rows spaced <paramref name="hzPerRow"/> apart (e.g. sampleRate / nFft for an STFT).</summary>
    /// <param name="hzPerRow">Spacing in Hz (&gt; 0).</param>
    public static Func<double, double> LinearRows(double hzPerRow)
    {
        if (!(hzPerRow > 0) || !double.IsFinite(hzPerRow)) throw new ArgumentOutOfRangeException(nameof(hzPerRow), hzPerRow, $"hzPerRow must be positive, got {hzPerRow}.");
        return r => r * hzPerRow;
    }

    /// <summary>
    /// Row → Hz for <paramref name="nMels"/> rows whose centres are equally spaced on the mel scale from
    /// <paramref name="fMin"/> to <paramref name="fMax"/> (Slaney's scale, or HTK's when <paramref name="htk"/>).
    /// </summary>
    /// <param name="nMels">Number of rows (≥ 2).</param>
    /// <param name="fMin">Centre of row 0 in Hz.</param>
    /// <param name="fMax">Centre of the last row in Hz.</param>
    /// <param name="htk">Use the HTK formula 2595·log10(1 + f/700).</param>
    public static Func<double, double> MelRows(int nMels, double fMin, double fMax, bool htk = false)
    {
        if (nMels < 2) throw new ArgumentOutOfRangeException(nameof(nMels), nMels, $"nMels must be >= 2, got {nMels}.");
        if (!(fMin >= 0) || !(fMax > fMin) || !double.IsFinite(fMax))
            throw new ArgumentException($"Need 0 <= fMin < fMax, got fMin = {fMin}, fMax = {fMax}.", nameof(fMax));
        double m0 = HzToMel(fMin, htk), m1 = HzToMel(fMax, htk);
        return r => MelToHz(m0 + r * (m1 - m0) / (nMels - 1), htk);
    }

    private static double HzToMel(double f, bool htk)
    {
        if (htk) return 2595 * Math.Log10(1 + f / 700);
        const double fSp = 200.0 / 3, minLogHz = 1000, minLogMel = minLogHz / fSp, logStep = 0.06875177742094912; // ln(6.4) / 27
        return f < minLogHz ? f / fSp : minLogMel + Math.Log(f / minLogHz) / logStep;
    }

    private static double MelToHz(double m, bool htk)
    {
        if (htk) return 700 * (Math.Pow(10, m / 2595) - 1);
        const double fSp = 200.0 / 3, minLogHz = 1000, minLogMel = minLogHz / fSp, logStep = 0.06875177742094912;
        return m < minLogMel ? m * fSp : minLogHz * Math.Exp(logStep * (m - minLogMel));
    }

    /// <summary>Renders the matrix to a canvas.</summary>
    /// <param name="data">Row-major matrix, rows·cols values (row 0 = lowest frequency). NaN cells are drawn grey.</param>
    /// <param name="rows">Number of rows (frequency bins).</param>
    /// <param name="cols">Number of columns (frames).</param>
    /// <exception cref="ArgumentException">The shape does not match, or the matrix has no finite value.</exception>
    public Canvas Render(ReadOnlySpan<float> data, int rows, int cols)
    {
        if (rows < 1 || cols < 1) throw new ArgumentOutOfRangeException(rows < 1 ? nameof(rows) : nameof(cols), $"The matrix must have at least one row and column, got {rows}x{cols}.");
        if ((long)rows * cols != data.Length) throw new ArgumentException($"data has {data.Length} values but the shape {rows}x{cols} needs {(long)rows * cols}.", nameof(data));
        if (PlotWidth is < 50 or > 8000 || PlotHeight is < 50 or > 8000)
            throw new InvalidOperationException($"The plot area {PlotWidth}x{PlotHeight} must be within 50..8000 pixels.");
        if (TextScale is < 1 or > 8) throw new InvalidOperationException($"TextScale must be in [1, 8], got {TextScale}.");
        if (!(SecondsPerFrame > 0) || !double.IsFinite(SecondsPerFrame) || !double.IsFinite(StartSeconds))
            throw new InvalidOperationException($"SecondsPerFrame ({SecondsPerFrame}) must be positive and StartSeconds ({StartSeconds}) finite.");
        ArgumentNullException.ThrowIfNull(ColorMap);

        (double vMin, double vMax) = ValueRange(data);
        Func<double, double> rowToHz = RowToHz ?? (r => r);
        int s = TextScale, ts = s + 1;
        int cw = BitmapFont.Advance * s, ch = BitmapFont.CapHeight * s;
        const int tick = 5, gap = 6, pad = 12;

        double t0 = StartSeconds, t1 = StartSeconds + cols * SecondsPerFrame;
        double hzLo = rowToHz(-0.5), hzHi = rowToHz(rows - 0.5);
        if (!(hzHi > hzLo) || !double.IsFinite(hzLo) || !double.IsFinite(hzHi))
            throw new InvalidOperationException($"RowToHz must be finite and increasing; it maps the row range to [{hzLo}, {hzHi}].");

        List<(double Value, string Text)> yTicks = FrequencyTicks(rowToHz, rows, hzLo, hzHi, out _);
        double[] cTicksRaw = NiceTicks.Compute(vMin, vMax, Math.Max(2, PlotHeight / 60));
        double cStep = cTicksRaw.Length > 1 ? cTicksRaw[1] - cTicksRaw[0] : 1;

        int yTickChars = yTicks.Count == 0 ? 1 : yTicks.Max(t => t.Text.Length);
        int cTickChars = cTicksRaw.Max(v => NiceTicks.Format(v, cStep).Length);
        int left = pad + (YLabel != null ? ch + 2 * gap : 0) + yTickChars * cw + gap + tick;
        int top = Title != null ? pad + BitmapFont.CapHeight * ts + 2 * gap + gap : pad + ch / 2;
        int bottom = tick + gap + ch + (XLabel != null ? 2 * gap + ch + gap : 0) + pad;
        int barGap = 4 * s + 12, barW = 8 * s + 6;
        int right = barGap + barW + tick + gap + cTickChars * cw + (ColorBarLabel != null ? 2 * gap + ch : 0) + pad;

        var canvas = new Canvas(left + PlotWidth + right, top + PlotHeight + bottom, Rgb.White);
        Rgb ink = new(34, 34, 34), axis = new(68, 68, 68);
        DrawCells(canvas, data, rows, cols, left, top, vMin, vMax);
        canvas.DrawRect(left - 1, top - 1, PlotWidth + 2, PlotHeight + 2, axis);

        // Frequency ticks.
        foreach ((double hz, string text) in yTicks)
        {
            int y = top + RowToPixel(InvertRow(rowToHz, hz, rows), rows);
            canvas.FillRect(left - 1 - tick, y, tick, 1, axis);
            canvas.DrawText(text, left - 1 - tick - gap, y, ink, s, TextAlign.End, TextAlign.Middle);
        }
        // Time ticks, thinned so labels never touch.
        double[] xTicks = NiceTicks.Compute(t0, t1, Math.Max(2, PlotWidth / 110));
        double xStep = xTicks.Length > 1 ? xTicks[1] - xTicks[0] : 1;
        int lastRight = int.MinValue;
        foreach (double t in xTicks)
        {
            int x = left + (int)Math.Round((t - t0) / (t1 - t0) * (PlotWidth - 1));
            string text = NiceTicks.Format(t, xStep);
            int w = BitmapFont.MeasureWidth(text, s);
            if (x - w / 2 < lastRight + 2 * cw) continue;
            lastRight = x + w / 2;
            canvas.FillRect(x, top + PlotHeight + 1, 1, tick, axis);
            canvas.DrawText(text, x, top + PlotHeight + 1 + tick + gap, ink, s, TextAlign.Middle);
        }

        // Colour bar with value ticks.
        int bx = left + PlotWidth + barGap;
        for (int y = 0; y < PlotHeight; y++)
            canvas.FillRect(bx, top + y, barW, 1, ColorMap.Map(1.0 - (y + 0.5) / PlotHeight));
        canvas.DrawRect(bx - 1, top - 1, barW + 2, PlotHeight + 2, axis);
        foreach (double v in cTicksRaw)
        {
            int y = top + (int)Math.Round((1.0 - (v - vMin) / (vMax - vMin)) * (PlotHeight - 1));
            canvas.FillRect(bx + barW + 1, y, tick, 1, axis);
            canvas.DrawText(NiceTicks.Format(v, cStep), bx + barW + 1 + tick + gap, y, ink, s, TextAlign.Start, TextAlign.Middle);
        }

        if (Title != null) canvas.DrawText(Title, left + PlotWidth / 2, pad, new Rgb(17, 17, 17), ts, TextAlign.Middle);
        if (XLabel != null) canvas.DrawText(XLabel, left + PlotWidth / 2, top + PlotHeight + 1 + tick + gap + ch + 2 * gap, ink, s, TextAlign.Middle);
        if (YLabel != null) canvas.DrawTextVertical(YLabel, pad, top + PlotHeight / 2, ink, s, TextAlign.Middle);
        if (ColorBarLabel != null)
            canvas.DrawTextVertical(ColorBarLabel, bx + barW + 1 + tick + gap + cTickChars * cw + 2 * gap, top + PlotHeight / 2, ink, s, TextAlign.Middle);
        return canvas;
    }

    /// <summary>Renders the matrix and encodes it as PNG.</summary>
    /// <param name="data">Row-major matrix (row 0 = lowest frequency).</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    public byte[] ToPng(ReadOnlySpan<float> data, int rows, int cols) => Render(data, rows, cols).ToPng();

    /// <summary>Renders the matrix and writes a PNG file.</summary>
    /// <param name="path">Destination file (overwritten).</param>
    /// <param name="data">Row-major matrix (row 0 = lowest frequency).</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    public void SavePng(string path, ReadOnlySpan<float> data, int rows, int cols) => Render(data, rows, cols).SavePng(path);

    // Pixel offset from the top of the plot area of a fractional row (row 0 at the bottom).
    private int RowToPixel(double row, int rows) => (int)Math.Round((1.0 - (row + 0.5) / rows) * (PlotHeight - 1));

    private (double Min, double Max) ValueRange(ReadOnlySpan<float> data)
    {
        double lo = ValueMin ?? double.NaN, hi = ValueMax ?? double.NaN;
        if (ValueMin is null || ValueMax is null)
        {
            float mn = float.PositiveInfinity, mx = float.NegativeInfinity;
            foreach (float v in data)
            {
                if (!float.IsFinite(v)) continue;
                if (v < mn) mn = v;
                if (v > mx) mx = v;
            }
            if (!float.IsFinite(mn)) throw new ArgumentException("The matrix has no finite value to colour.", nameof(data));
            if (ValueMin is null) lo = mn;
            if (ValueMax is null) hi = mx;
        }
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || hi < lo)
            throw new InvalidOperationException($"The colour range [{lo}, {hi}] is invalid.");
        if (hi == lo)
        {
            lo -= 0.5;
            hi += 0.5;
        }
        return (lo, hi);
    }

    private void DrawCells(Canvas canvas, ReadOnlySpan<float> data, int rows, int cols, int left, int top, double vMin, double vMax)
    {
        int w = PlotWidth, h = PlotHeight;
        Rgb nanColor = new(200, 200, 200);
        double scale = 1.0 / (vMax - vMin);
        bool pool = Resampling == ResampleMode.MaxPool;
        for (int py = 0; py < h; py++)
        {
            int band = h - 1 - py; // pixel rows counted from the bottom
            int r0, r1;
            if (pool && rows > h)
            {
                r0 = (int)((long)band * rows / h);
                r1 = Math.Max(r0 + 1, (int)((long)(band + 1) * rows / h));
            }
            else
            {
                r0 = Math.Min(rows - 1, (int)((band + 0.5) * rows / h));
                r1 = r0 + 1;
            }
            for (int px = 0; px < w; px++)
            {
                int c0, c1;
                if (pool && cols > w)
                {
                    c0 = (int)((long)px * cols / w);
                    c1 = Math.Max(c0 + 1, (int)((long)(px + 1) * cols / w));
                }
                else
                {
                    c0 = Math.Min(cols - 1, (int)((px + 0.5) * cols / w));
                    c1 = c0 + 1;
                }
                float best = float.NegativeInfinity;
                bool any = false;
                for (int r = r0; r < r1; r++)
                {
                    ReadOnlySpan<float> row = data.Slice(r * cols + c0, c1 - c0);
                    foreach (float v in row)
                    {
                        if (float.IsFinite(v) && v >= best)
                        {
                            best = v;
                            any = true;
                        }
                    }
                }
                canvas.SetPixel(left + px, top + py, any ? ColorMap.Map((best - vMin) * scale) : nanColor);
            }
        }
    }

    private List<(double Value, string Text)> FrequencyTicks(Func<double, double> rowToHz, int rows, double hzLo, double hzHi, out double step)
    {
        var candidates = new List<double>();
        step = 0;
        if (YTicks == AxisTickMode.Log)
        {
            if (hzLo <= 0 && hzHi >= 0) candidates.Add(0);
            double lo = Math.Max(hzLo, hzHi * 1e-6);
            for (int e = (int)Math.Floor(Math.Log10(lo)); e <= (int)Math.Ceiling(Math.Log10(hzHi)); e++)
                foreach (double m in (ReadOnlySpan<double>)[1, 2, 5])
                {
                    double v = m * Math.Pow(10, e);
                    if (v >= hzLo && v <= hzHi) candidates.Add(v);
                }
        }
        else
        {
            double[] t = NiceTicks.Compute(Math.Max(hzLo, hzLo < 0 && hzHi > 0 ? 0 : hzLo), hzHi, Math.Max(2, PlotHeight / 50));
            step = t.Length > 1 ? t[1] - t[0] : 1;
            candidates.AddRange(t);
        }
        double fmtStep = step > 0 ? step : 1;
        // Keep ticks whose pixel positions are at least 2.5 capital heights apart, from the bottom up.
        int minGap = (int)(2.5 * BitmapFont.CapHeight * TextScale);
        var result = new List<(double, string)>();
        int lastY = int.MaxValue;
        foreach (double hz in candidates.Order())
        {
            int y = RowToPixel(InvertRow(rowToHz, hz, rows), rows);
            if (lastY - y < minGap) continue;
            lastY = y;
            result.Add((hz, NiceTicks.Format(hz, YTicks == AxisTickMode.Log ? (hz == 0 ? 1 : hz) : fmtStep)));
        }
        return result;
    }

    private static double InvertRow(Func<double, double> rowToHz, double hz, int rows)
    {
        double lo = -0.5, hi = rows - 0.5;
        for (int i = 0; i < 60; i++)
        {
            double mid = (lo + hi) / 2;
            if (rowToHz(mid) < hz) lo = mid; else hi = mid;
        }
        return (lo + hi) / 2;
    }
}
