namespace Affetto.Plotting;

/// <summary>
/// Confusion matrix (rows = true class, columns = predicted class) as SVG or PNG: each cell shows its count and its
/// share of the row, and is coloured by that row-normalised share so classes of different sizes compare fairly.
/// </summary>
public sealed class ConfusionMatrixPlot
{
    private readonly int[,] _counts;
    private readonly string[] _labels;

    /// <summary>Creates a plot of <paramref name="counts"/>[true, predicted].</summary>
    /// <param name="counts">Square matrix of non-negative counts (copied).</param>
    /// <param name="labels">One name per class.</param>
    /// <exception cref="ArgumentException">The matrix is not square, a count is negative, or the label count differs.</exception>
    public ConfusionMatrixPlot(int[,] counts, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(labels);
        int n = counts.GetLength(0);
        if (n == 0 || counts.GetLength(1) != n) throw new ArgumentException($"counts must be a non-empty square matrix, got {counts.GetLength(0)}x{counts.GetLength(1)}.", nameof(counts));
        if (labels.Count != n) throw new ArgumentException($"There are {labels.Count} labels for {n} classes.", nameof(labels));
        foreach (int c in counts)
            if (c < 0) throw new ArgumentException($"counts contains a negative count ({c}).", nameof(counts));
        _counts = (int[,])counts.Clone();
        _labels = labels.Select(l => l ?? throw new ArgumentException("A label is null.", nameof(labels))).ToArray();
    }

    /// <summary>Title, or null.</summary>
    public string? Title { get; set; }

    /// <summary>Colour map for the row-normalised share. Default <see cref="ColorMap.Aurora"/>.</summary>
    public ColorMap ColorMap { get; set; } = ColorMap.Aurora;

    /// <summary>Cell size in pixels. Default 72.</summary>
    public int CellSize { get; set; } = 72;

    /// <summary>Integer font scale of the PNG rendering. Default 2.</summary>
    public int TextScale { get; set; } = 2;

    /// <summary>Fraction of row <paramref name="trueClass"/> predicted as <paramref name="predicted"/> (0 for an empty row).</summary>
    /// <param name="trueClass">Row.</param>
    /// <param name="predicted">Column.</param>
    public double RowShare(int trueClass, int predicted)
    {
        long sum = 0;
        for (int j = 0; j < _labels.Length; j++) sum += _counts[trueClass, j];
        return sum == 0 ? 0 : (double)_counts[trueClass, predicted] / sum;
    }

    /// <summary>Renders the matrix as SVG.</summary>
    public string ToSvg()
    {
        Validate();
        int n = _labels.Length, cell = CellSize;
        const double font = 13, labelFont = 14, titleFont = 17;
        double labelW = _labels.Max(l => l.Length) * font * 0.6 + 10;
        double left = 12 + labelFont + 12 + labelW, top = (Title != null ? titleFont + 22 : 12);
        bool rotate = labelW - 10 > cell - 6;
        double colLabelH = rotate ? (labelW - 10) * Math.Sin(Math.PI / 4) + font : font;
        double titleW = Title != null ? Title.Length * titleFont * 0.62 + 24 : 0;
        int width = (int)Math.Ceiling(Math.Max(left + n * cell + 20, titleW));
        int height = (int)Math.Ceiling(top + n * cell + 8 + colLabelH + 12 + labelFont + 14);
        var svg = new SvgBuilder(width, height);
        svg.OpenGroup("cells");
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double share = RowShare(i, j);
                Rgb bg = ColorMap.Map(share);
                string fg = TextColor(bg).ToHex();
                double x = left + j * cell, y = top + i * cell;
                svg.Rect(x, y, cell, cell, bg.ToHex(), "#ffffff", 1);
                svg.Text(x + cell / 2.0, y + cell / 2.0 - 2, _counts[i, j].ToString(System.Globalization.CultureInfo.InvariantCulture), font + 2, "middle", fg, bold: true);
                svg.Text(x + cell / 2.0, y + cell / 2.0 + font + 1, NiceTicks.Format(share * 100, 0.1) + "%", font - 1, "middle", fg);
            }
        }
        svg.CloseGroup();
        for (int i = 0; i < n; i++)
        {
            svg.Text(left - 8, top + i * cell + cell / 2.0 + font * 0.35, _labels[i], font, "end", cssClass: "row-label");
            if (rotate) svg.Text(left + i * cell + cell / 2.0 + font * 0.35, top + n * cell + 8, _labels[i], font, "end", rotate: -45, cssClass: "col-label");
            else svg.Text(left + i * cell + cell / 2.0, top + n * cell + 8 + font, _labels[i], font, "middle", cssClass: "col-label");
        }
        if (Title != null) svg.Text(Math.Clamp(left + n * cell / 2.0, titleW / 2, width - titleW / 2), titleFont + 8, Title, titleFont, "middle", "#111111", bold: true, cssClass: "title");
        svg.Text(left + n * cell / 2.0, top + n * cell + 8 + colLabelH + 12 + labelFont, "Predicted", labelFont, "middle");
        svg.Text(12 + labelFont, top + n * cell / 2.0, "True", labelFont, "middle", rotate: -90);
        return svg.Finish();
    }

    /// <summary>Writes <see cref="ToSvg"/> to a file.</summary>
    /// <param name="path">Destination file (overwritten).</param>
    public void SaveSvg(string path) => File.WriteAllText(path, ToSvg());

    /// <summary>Renders the matrix to a raster canvas.</summary>
    public Canvas ToCanvas()
    {
        Validate();
        if (TextScale is < 1 or > 8) throw new InvalidOperationException($"TextScale must be in [1, 8], got {TextScale}.");
        int n = _labels.Length, cell = CellSize, s = TextScale, ch = BitmapFont.CapHeight * s;
        const int pad = 12, gap = 8;
        int labelW = _labels.Max(l => BitmapFont.MeasureWidth(l, s));
        int left = pad + ch + 2 * gap + labelW + gap;
        int top = Title != null ? pad + BitmapFont.CapHeight * (s + 1) + 2 * gap : pad;
        // Column labels wider than a cell are written vertically so neighbours never overlap.
        bool rotate = labelW > cell - 6;
        int colLabelH = rotate ? labelW : ch;
        int titleW = Title != null ? BitmapFont.MeasureWidth(Title, s + 1) + 2 * pad : 0;
        int width = Math.Max(left + n * cell + pad, titleW);
        int height = top + n * cell + gap + colLabelH + 2 * gap + ch + pad;
        var canvas = new Canvas(width, height);
        Rgb ink = new(34, 34, 34);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double share = RowShare(i, j);
                Rgb bg = ColorMap.Map(share);
                Rgb fg = TextColor(bg);
                int x = left + j * cell, y = top + i * cell;
                canvas.FillRect(x + 1, y + 1, cell - 2, cell - 2, bg);
                canvas.DrawText(_counts[i, j].ToString(System.Globalization.CultureInfo.InvariantCulture), x + cell / 2, y + cell / 2 - 3, fg, s, TextAlign.Middle, TextAlign.End);
                string pct = NiceTicks.Format(share * 100, 1) + "%";
                int ps = BitmapFont.MeasureWidth(pct, s) <= cell - 6 ? s : Math.Max(1, s - 1);
                canvas.DrawText(pct, x + cell / 2, y + cell / 2 + 4, fg, ps, TextAlign.Middle);
            }
            canvas.DrawText(_labels[i], left - gap, top + i * cell + cell / 2, ink, s, TextAlign.End, TextAlign.Middle);
            if (rotate) canvas.DrawTextVertical(_labels[i], left + i * cell + cell / 2, top + n * cell + gap, ink, s, TextAlign.End, TextAlign.Middle);
            else canvas.DrawText(_labels[i], left + i * cell + cell / 2, top + n * cell + gap, ink, s, TextAlign.Middle);
        }
        if (Title != null) canvas.DrawText(Title, Math.Clamp(left + n * cell / 2, titleW / 2, width - titleW / 2), pad, new Rgb(17, 17, 17), s + 1, TextAlign.Middle);
        canvas.DrawText("Predicted", left + n * cell / 2, top + n * cell + gap + colLabelH + 2 * gap, ink, s, TextAlign.Middle);
        canvas.DrawTextVertical("True", pad, top + n * cell / 2, ink, s, TextAlign.Middle);
        return canvas;
    }

    /// <summary>Renders the matrix as a PNG.</summary>
    public byte[] ToPng() => ToCanvas().ToPng();

    /// <summary>Writes the PNG rendering to a file.</summary>
    /// <param name="path">Destination file (overwritten).</param>
    public void SavePng(string path) => ToCanvas().SavePng(path);

    private void Validate()
    {
        if (CellSize is < 24 or > 400) throw new InvalidOperationException($"CellSize must be in [24, 400], got {CellSize}.");
        ArgumentNullException.ThrowIfNull(ColorMap);
    }

    // Dark text on light cells and white text on dark cells, decided by OKLab lightness.
    private static Rgb TextColor(Rgb background) => OkLab.FromRgb(background).L > 0.62 ? new Rgb(20, 20, 20) : Rgb.White;
}
