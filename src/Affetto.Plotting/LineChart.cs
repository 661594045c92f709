namespace Affetto.Plotting;

/// <summary>
/// Line chart rendered as SVG: one or more series, nice ticks, grid, axis labels, legend and title. Long signals are
/// added as a min/max envelope (one pair per column) so the SVG stays small whatever the signal length.
/// </summary>
/// <example>
/// <code>
/// var chart = new LineChart { Title = "Training", XLabel = "Epoch", YLabel = "Loss" };
/// chart.AddSeries("train", trainLoss, x0: 1).AddSeries("validation", validLoss, x0: 1);
/// File.WriteAllText("loss.svg", chart.ToSvg());
/// </code>
/// </example>
public sealed class LineChart
{
    private readonly List<Series> _series = [];

    private sealed record Series(string Name, Rgb Color, double[] X, double[] Y, double[]? YLow, double Width);

    /// <summary>Title above the plot, or null.</summary>
    public string? Title { get; set; }

    /// <summary>Label of the x axis, or null.</summary>
    public string? XLabel { get; set; }

    /// <summary>Label of the y axis, or null.</summary>
    public string? YLabel { get; set; }

    /// <summary>Width of the SVG in pixels. Default 800.</summary>
    public int Width { get; set; } = 800;

    /// <summary>Height of the SVG in pixels. Default 450.</summary>
    public int Height { get; set; } = 450;

    /// <summary>Whether a legend is drawn (only when at least one series has a non-empty name). Default true.</summary>
    public bool ShowLegend { get; set; } = true;

    /// <summary>Fixed y range, or null to fit the data (extended to nice tick values).</summary>
    public (double Min, double Max)? YRange { get; set; }

    /// <summary>Number of series added.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>Adds a series of points (x[i], y[i]); non-finite points break the line.</summary>
    /// <param name="name">Legend name (empty for none).</param>
    /// <param name="x">X coordinates.</param>
    /// <param name="y">Y coordinates, same length.</param>
    /// <param name="color">Colour, or the next palette colour when null.</param>
    /// <param name="lineWidth">Stroke width in pixels.</param>
    /// <returns>This chart, for chaining.</returns>
    public LineChart AddSeries(string name, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Rgb? color = null, double lineWidth = 2)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (x.Length != y.Length) throw new ArgumentException($"Series '{name}': x has {x.Length} points but y has {y.Length}.", nameof(y));
        if (!(lineWidth > 0)) throw new ArgumentOutOfRangeException(nameof(lineWidth), lineWidth, $"lineWidth must be positive, got {lineWidth}.");
        _series.Add(new Series(name, color ?? Palette.Get(_series.Count), x.ToArray(), y.ToArray(), null, lineWidth));
        return this;
    }

    /// <summary>Adds a series y[i] at x = <paramref name="x0"/> + i·<paramref name="dx"/> (e.g. a loss per epoch with x0 = 1).</summary>
    /// <param name="name">Legend name.</param>
    /// <param name="y">Values.</param>
    /// <param name="x0">X of the first value.</param>
    /// <param name="dx">X spacing (&gt; 0).</param>
    /// <param name="color">Colour, or the next palette colour.</param>
    /// <returns>This chart.</returns>
    public LineChart AddSeries(string name, ReadOnlySpan<double> y, double x0 = 0, double dx = 1, Rgb? color = null)
    {
        if (!(dx > 0) || !double.IsFinite(dx)) throw new ArgumentOutOfRangeException(nameof(dx), dx, $"dx must be positive and finite, got {dx}.");
        var x = new double[y.Length];
        for (int i = 0; i < x.Length; i++) x[i] = x0 + i * dx;
        return AddSeries(name, x, y, color);
    }

    /// <summary>
    /// Adds a waveform. Up to 2·<paramref name="columns"/> samples are drawn as a line; longer signals are reduced to
    /// the minimum and maximum of each of <paramref name="columns"/> equal time slices and drawn as a filled envelope.
    /// </summary>
    /// <param name="name">Legend name.</param>
    /// <param name="samples">Mono samples.</param>
    /// <param name="sampleRate">Samples per second (x is in seconds).</param>
    /// <param name="color">Colour, or the next palette colour.</param>
    /// <param name="columns">Envelope resolution (≥ 16); about the plot width in pixels.</param>
    /// <returns>This chart.</returns>
    public LineChart AddWaveform(string name, ReadOnlySpan<float> samples, double sampleRate, Rgb? color = null, int columns = 1000)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!(sampleRate > 0) || !double.IsFinite(sampleRate)) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"sampleRate must be positive, got {sampleRate}.");
        if (columns < 16) throw new ArgumentOutOfRangeException(nameof(columns), columns, $"columns must be >= 16, got {columns}.");
        Rgb c = color ?? Palette.Get(_series.Count);
        if (samples.Length <= 2 * columns)
        {
            var x = new double[samples.Length];
            var y = new double[samples.Length];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = i / sampleRate;
                y[i] = samples[i];
            }
            _series.Add(new Series(name, c, x, y, null, 1.2));
            return this;
        }

        var xs = new double[columns];
        var hi = new double[columns];
        var lo = new double[columns];
        for (int k = 0; k < columns; k++)
        {
            int a = (int)((long)samples.Length * k / columns), b = (int)((long)samples.Length * (k + 1) / columns);
            float mn = float.PositiveInfinity, mx = float.NegativeInfinity;
            for (int i = a; i < b; i++)
            {
                float v = samples[i];
                if (v < mn) mn = v;
                if (v > mx) mx = v;
            }
            xs[k] = (a + b) / 2.0 / sampleRate;
            lo[k] = mn;
            hi[k] = mx;
        }
        _series.Add(new Series(name, c, xs, hi, lo, 1));
        return this;
    }

    /// <summary>Renders the chart as an SVG document.</summary>
    /// <exception cref="InvalidOperationException">No series has a finite point, or the size is too small.</exception>
    public string ToSvg()
    {
        (double xMin, double xMax, double yMin, double yMax) = DataRange();
        var legend = ShowLegend ? _series.Where(s => s.Name.Length > 0).Select(s => s.Name).ToList() : [];
        var frame = SvgXyFrame.Create(Width, Height, (xMin, xMax), (yMin, yMax), Title, XLabel, YLabel, legend, extendToTicks: YRange is null);
        if (YRange is { } fixedRange)
        {
            frame.YMin = fixedRange.Min;
            frame.YMax = fixedRange.Max;
        }
        var svg = new SvgBuilder(Width, Height);
        frame.DrawAxes(svg, Width, Title, XLabel, YLabel);
        svg.ClipRect("plot-area", frame.Left, frame.Top, frame.PlotW, frame.PlotH);
        svg.OpenGroup("series", "plot-area");
        foreach (Series s in _series)
        {
            string color = s.Color.ToHex();
            if (s.YLow is { } low)
            {
                var poly = new List<(double, double)>(2 * s.X.Length);
                for (int i = 0; i < s.X.Length; i++) poly.Add((frame.X(s.X[i]), frame.Y(s.Y[i])));
                for (int i = s.X.Length - 1; i >= 0; i--) poly.Add((frame.X(s.X[i]), frame.Y(low[i])));
                svg.Path(poly, color, 0.6, fill: color, close: true);
                continue;
            }
            var run = new List<(double, double)>();
            for (int i = 0; i <= s.X.Length; i++)
            {
                bool ok = i < s.X.Length && double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]);
                if (ok) run.Add((frame.X(s.X[i]), frame.Y(s.Y[i])));
                if (!ok || i == s.X.Length)
                {
                    if (run.Count == 1) svg.Circle(run[0].Item1, run[0].Item2, s.Width, color);
                    else svg.Path(run, color, s.Width);
                    run.Clear();
                }
            }
        }
        svg.CloseGroup();
        if (ShowLegend)
            frame.DrawLegend(svg, _series.Where(s => s.Name.Length > 0).Select(s => (s.Name, s.Color, false)).ToList());
        return svg.Finish();
    }

    /// <summary>Writes <see cref="ToSvg"/> to a file.</summary>
    /// <param name="path">Destination file (overwritten).</param>
    public void SaveSvg(string path) => File.WriteAllText(path, ToSvg());

    private (double XMin, double XMax, double YMin, double YMax) DataRange()
    {
        if (Width < 200 || Height < 150) throw new InvalidOperationException($"The chart size {Width}x{Height} is too small (minimum 200x150).");
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity, yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        foreach (Series s in _series)
        {
            for (int i = 0; i < s.X.Length; i++)
            {
                if (!double.IsFinite(s.X[i]) || !double.IsFinite(s.Y[i])) continue;
                xMin = Math.Min(xMin, s.X[i]);
                xMax = Math.Max(xMax, s.X[i]);
                yMin = Math.Min(yMin, s.YLow?[i] ?? s.Y[i]);
                yMax = Math.Max(yMax, s.Y[i]);
            }
        }
        if (!double.IsFinite(xMin)) throw new InvalidOperationException("The line chart has no finite data point to draw.");
        if (YRange is { } yr)
        {
            if (!(yr.Max > yr.Min)) throw new InvalidOperationException($"YRange max ({yr.Max}) must exceed min ({yr.Min}).");
            (yMin, yMax) = yr;
        }
        return (xMin, xMax, yMin, yMax);
    }

    /// <summary>
    /// Renders the chart to a raster canvas of <see cref="Width"/> × <see cref="Height"/> pixels with the built-in
    /// bitmap font (the same layout rules as the SVG, in whole pixels).
    /// </summary>
    /// <param name="textScale">Integer font scale (1..4).</param>
    /// <exception cref="InvalidOperationException">No series has a finite point, or the size is too small.</exception>
    public Canvas ToCanvas(int textScale = 2)
    {
        if (textScale is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(textScale), textScale, $"textScale must be in [1, 4], got {textScale}.");
        (double xMin, double xMax, double yMin, double yMax) = DataRange();
        int s = textScale, cw = BitmapFont.Advance * s, ch = BitmapFont.CapHeight * s;
        const int pad = 12, gap = 6, tick = 5;
        var named = ShowLegend ? _series.Where(x => x.Name.Length > 0).ToList() : [];
        var frame = SvgXyFrame.Create(Width, Height, (xMin, xMax), (yMin, yMax), null, null, null, [], extendToTicks: YRange is null);
        if (YRange is { } fixedRange)
        {
            frame.YMin = fixedRange.Min;
            frame.YMax = fixedRange.Max;
        }
        int yChars = frame.YTicks.Max(v => NiceTicks.Format(v, frame.YStep).Length);
        int left = pad + (YLabel != null ? ch + 2 * gap : 0) + yChars * cw + gap + tick;
        int top = Title != null ? pad + BitmapFont.CapHeight * (s + 1) + 3 * gap : pad + ch / 2;
        int bottom = tick + gap + ch + (XLabel != null ? 2 * gap + ch : 0) + pad;
        int legendW = named.Count > 0 ? 3 * gap + 4 * s + 18 + named.Max(x => BitmapFont.MeasureWidth(x.Name, s)) + pad : pad + cw;
        frame.Left = left;
        frame.Top = top;
        frame.PlotW = Math.Max(40, Width - left - legendW);
        frame.PlotH = Math.Max(40, Height - top - bottom);
        int pw = (int)frame.PlotW, ph = (int)frame.PlotH;

        var canvas = new Canvas(Width, Height);
        Rgb grid = new(230, 230, 230), axis = new(68, 68, 68), ink = new(34, 34, 34);
        foreach (double t in frame.XTicks) canvas.FillRect((int)Math.Round(frame.X(t)), top, 1, ph, grid);
        foreach (double t in frame.YTicks) canvas.FillRect(left, (int)Math.Round(frame.Y(t)), pw, 1, grid);

        var clip = new Canvas(pw, ph);
        clip.Clear(Rgb.White);
        // Series are drawn on a plot-sized canvas (clipping for free), then copied over the grid where inked.
        foreach (Series ser in _series)
        {
            int X(double v) => (int)Math.Round(frame.X(v) - left);
            int Y(double v) => (int)Math.Round(frame.Y(v) - top);
            if (ser.YLow is { } low)
            {
                for (int i = 0; i < ser.X.Length; i++)
                {
                    int x = X(ser.X[i]), y0 = Y(ser.Y[i]), y1 = Y(low[i]);
                    int xNext = i + 1 < ser.X.Length ? X(ser.X[i + 1]) : x + 1;
                    for (int xx = x; xx < Math.Max(x + 1, xNext); xx++) clip.DrawLine(xx, y0, xx, y1, ser.Color);
                }
                continue;
            }
            int thickness = Math.Max(1, (int)Math.Round(ser.Width));
            for (int i = 1; i < ser.X.Length; i++)
            {
                if (!double.IsFinite(ser.X[i - 1]) || !double.IsFinite(ser.Y[i - 1]) || !double.IsFinite(ser.X[i]) || !double.IsFinite(ser.Y[i])) continue;
                clip.DrawLine(X(ser.X[i - 1]), Y(ser.Y[i - 1]), X(ser.X[i]), Y(ser.Y[i]), ser.Color, thickness);
            }
        }
        for (int y = 0; y < ph; y++)
            for (int x = 0; x < pw; x++)
            {
                Rgb c = clip.GetPixel(x, y);
                if (c != Rgb.White) canvas.SetPixel(left + x, top + y, c);
            }
        canvas.DrawRect(left - 1, top - 1, pw + 2, ph + 2, axis);

        int lastRight = int.MinValue;
        foreach (double t in frame.XTicks)
        {
            int x = (int)Math.Round(frame.X(t));
            string text = NiceTicks.Format(t, frame.XStep);
            int w = BitmapFont.MeasureWidth(text, s);
            canvas.FillRect(x, top + ph + 1, 1, tick, axis);
            if (x - w / 2 < lastRight + cw) continue; // thin labels so they never touch
            lastRight = x + w / 2;
            canvas.DrawText(text, x, top + ph + 1 + tick + gap, ink, s, TextAlign.Middle);
        }
        foreach (double t in frame.YTicks)
        {
            int y = (int)Math.Round(frame.Y(t));
            canvas.FillRect(left - 1 - tick, y, tick, 1, axis);
            canvas.DrawText(NiceTicks.Format(t, frame.YStep), left - 1 - tick - gap, y, ink, s, TextAlign.End, TextAlign.Middle);
        }
        if (Title != null) canvas.DrawText(Title, left + pw / 2, pad, new Rgb(17, 17, 17), s + 1, TextAlign.Middle);
        if (XLabel != null) canvas.DrawText(XLabel, left + pw / 2, top + ph + 1 + tick + gap + ch + 2 * gap, ink, s, TextAlign.Middle);
        if (YLabel != null) canvas.DrawTextVertical(YLabel, pad, top + ph / 2, ink, s, TextAlign.Middle);
        for (int i = 0; i < named.Count; i++)
        {
            int ly = top + gap + i * (ch + 3 * gap) + ch / 2, lx = left + pw + 3 * gap;
            canvas.FillRect(lx, ly - s, 18, 2 * s, named[i].Color);
            canvas.DrawText(named[i].Name, lx + 18 + 4 * s, ly, ink, s, TextAlign.Start, TextAlign.Middle);
        }
        return canvas;
    }

    /// <summary>Renders the chart with <see cref="ToCanvas"/> and writes a PNG file.</summary>
    /// <param name="path">Destination file (overwritten).</param>
    /// <param name="textScale">Integer font scale (1..4).</param>
    public void SavePng(string path, int textScale = 2) => ToCanvas(textScale).SavePng(path);
}
