namespace Affetto.Plotting;

/// <summary>
/// Scatter plot rendered as SVG, points coloured by an integer class label with a legend (e.g. PCA or t-SNE maps
/// of embeddings).
/// </summary>
public sealed class ScatterPlot
{
    private readonly List<(double X, double Y, int Label)> _points = [];

    /// <summary>Title above the plot, or null.</summary>
    public string? Title { get; set; }

    /// <summary>Label of the x axis, or null.</summary>
    public string? XLabel { get; set; }

    /// <summary>Label of the y axis, or null.</summary>
    public string? YLabel { get; set; }

    /// <summary>Width of the SVG in pixels. Default 700.</summary>
    public int Width { get; set; } = 700;

    /// <summary>Height of the SVG in pixels. Default 550.</summary>
    public int Height { get; set; } = 550;

    /// <summary>Point radius in pixels. Default 3.5.</summary>
    public double PointRadius { get; set; } = 3.5;

    /// <summary>Fill opacity of the points (0..1]. Default 0.8.</summary>
    public double Opacity { get; set; } = 0.8;

    /// <summary>Names of the classes by label (label k uses ClassNames[k]); labels without a name show as "class k".</summary>
    public IReadOnlyList<string>? ClassNames { get; set; }

    /// <summary>Number of points added.</summary>
    public int Count => _points.Count;

    /// <summary>Adds points (x[i], y[i]) of class labels[i]; non-finite points are skipped when drawing.</summary>
    /// <param name="x">X coordinates.</param>
    /// <param name="y">Y coordinates.</param>
    /// <param name="labels">Class label of each point (≥ 0).</param>
    /// <returns>This plot.</returns>
    public ScatterPlot AddPoints(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<int> labels)
    {
        if (x.Length != y.Length || x.Length != labels.Length)
            throw new ArgumentException($"x, y and labels must have the same length, got {x.Length}, {y.Length} and {labels.Length}.", nameof(labels));
        for (int i = 0; i < x.Length; i++)
            if (labels[i] < 0) throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"labels[{i}] = {labels[i]} is negative.");
        for (int i = 0; i < x.Length; i++) _points.Add((x[i], y[i], labels[i]));
        return this;
    }

    /// <summary>Renders the plot as an SVG document.</summary>
    /// <exception cref="InvalidOperationException">No finite point, or the size is too small.</exception>
    public string ToSvg()
    {
        if (Width < 200 || Height < 150) throw new InvalidOperationException($"The plot size {Width}x{Height} is too small (minimum 200x150).");
        if (!(Opacity > 0 && Opacity <= 1)) throw new InvalidOperationException($"Opacity must be in (0, 1], got {Opacity}.");
        var finite = _points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (finite.Count == 0) throw new InvalidOperationException("The scatter plot has no finite point to draw.");
        double xMin = finite.Min(p => p.X), xMax = finite.Max(p => p.X), yMin = finite.Min(p => p.Y), yMax = finite.Max(p => p.Y);
        double px = (xMax - xMin) * 0.05, py = (yMax - yMin) * 0.05;
        int[] labels = finite.Select(p => p.Label).Distinct().Order().ToArray();
        List<string> names = labels.Select(Name).ToList();
        var frame = SvgXyFrame.Create(Width, Height, (xMin - px, xMax + px), (yMin - py, yMax + py), Title, XLabel, YLabel, names, extendToTicks: false);
        var svg = new SvgBuilder(Width, Height);
        frame.DrawAxes(svg, Width, Title, XLabel, YLabel);
        foreach (int label in labels)
        {
            svg.OpenGroup($"class-{label}");
            string color = Palette.Get(label).ToHex();
            foreach (var p in finite)
                if (p.Label == label) svg.Circle(frame.X(p.X), frame.Y(p.Y), PointRadius, color, Opacity);
            svg.CloseGroup();
        }
        frame.DrawLegend(svg, labels.Select(l => (Name(l), Palette.Get(l), true)).ToList());
        return svg.Finish();
    }

    /// <summary>Writes <see cref="ToSvg"/> to a file.</summary>
    /// <param name="path">Destination file (overwritten).</param>
    public void SaveSvg(string path) => File.WriteAllText(path, ToSvg());

    private string Name(int label) => ClassNames != null && label < ClassNames.Count ? ClassNames[label] : $"class {label}";
}
