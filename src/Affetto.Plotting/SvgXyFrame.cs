namespace Affetto.Plotting;

/// <summary>Layout and axes of an x-y chart in SVG: margins from the labels, nice ticks, grid, legend at the right.</summary>
internal sealed class SvgXyFrame
{
    public const double TickFont = 12, LabelFont = 14, TitleFont = 17, LegendFont = 13;
    private const double CharWidth = 0.62; // average glyph width relative to the font size, for layout

    public double Left, Top, PlotW, PlotH, XMin, XMax, YMin, YMax;
    public double[] XTicks = [], YTicks = [];
    public double XStep, YStep;

    public static SvgXyFrame Create(int width, int height, (double Min, double Max) x, (double Min, double Max) y,
        string? title, string? xLabel, string? yLabel, IReadOnlyList<string> legend, bool extendToTicks)
    {
        var f = new SvgXyFrame();
        (f.XMin, f.XMax, f.XTicks, f.XStep) = Axis(x.Min, x.Max, Math.Max(2, Math.Min(10, width / 110)), extendToTicks);
        (f.YMin, f.YMax, f.YTicks, f.YStep) = Axis(y.Min, y.Max, Math.Max(2, Math.Min(10, height / 70)), extendToTicks);
        int yLabelChars = f.YTicks.Max(v => NiceTicks.Format(v, f.YStep).Length);
        double left = 12 + (yLabel != null ? LabelFont + 10 : 0) + yLabelChars * TickFont * CharWidth + 10;
        double top = title != null ? TitleFont + 22 : 16;
        double bottom = 8 + TickFont + 8 + (xLabel != null ? LabelFont + 12 : 0) + 6;
        double legendW = legend.Count > 0 ? 30 + legend.Max(s => s.Length) * LegendFont * CharWidth + 24 : 16;
        f.Left = left;
        f.Top = top;
        f.PlotW = Math.Max(40, width - left - legendW);
        f.PlotH = Math.Max(40, height - top - bottom);
        return f;
    }

    private static (double Min, double Max, double[] Ticks, double Step) Axis(double min, double max, int target, bool extend)
    {
        if (!(max > min))
        {
            double d = min == 0 ? 1 : Math.Abs(min) * 0.1;
            min -= d;
            max += d;
        }
        double step = NiceTicks.Step(min, max, target);
        if (extend)
        {
            min = Math.Floor(min / step + 1e-9) * step;
            max = Math.Ceiling(max / step - 1e-9) * step;
        }
        double[] ticks = NiceTicks.Compute(min, max, target);
        return (min, max, ticks, ticks.Length > 1 ? ticks[1] - ticks[0] : step);
    }

    public double X(double v) => Left + (v - XMin) / (XMax - XMin) * PlotW;

    public double Y(double v) => Top + PlotH - (v - YMin) / (YMax - YMin) * PlotH;

    public void DrawAxes(SvgBuilder svg, int width, string? title, string? xLabel, string? yLabel)
    {
        svg.OpenGroup("grid");
        foreach (double t in XTicks) svg.Line(X(t), Top, X(t), Top + PlotH, "#e6e6e6");
        foreach (double t in YTicks) svg.Line(Left, Y(t), Left + PlotW, Y(t), "#e6e6e6");
        svg.CloseGroup();
        svg.Rect(Left, Top, PlotW, PlotH, "none", "#444444", 1);
        svg.OpenGroup("x-ticks");
        foreach (double t in XTicks)
        {
            svg.Line(X(t), Top + PlotH, X(t), Top + PlotH + 5, "#444444");
            svg.Text(X(t), Top + PlotH + 8 + TickFont, NiceTicks.Format(t, XStep), TickFont, "middle");
        }
        svg.CloseGroup();
        svg.OpenGroup("y-ticks");
        foreach (double t in YTicks)
        {
            svg.Line(Left - 5, Y(t), Left, Y(t), "#444444");
            svg.Text(Left - 8, Y(t) + TickFont * 0.35, NiceTicks.Format(t, YStep), TickFont, "end");
        }
        svg.CloseGroup();
        if (title != null) svg.Text(Left + PlotW / 2, TitleFont + 8, title, TitleFont, "middle", "#111111", bold: true, cssClass: "title");
        if (xLabel != null) svg.Text(Left + PlotW / 2, Top + PlotH + 8 + TickFont + 10 + LabelFont, xLabel, LabelFont, "middle", cssClass: "x-label");
        if (yLabel != null) svg.Text(12 + LabelFont, Top + PlotH / 2, yLabel, LabelFont, "middle", rotate: -90, cssClass: "y-label");
    }

    public void DrawLegend(SvgBuilder svg, IReadOnlyList<(string Name, Rgb Color, bool Point)> entries)
    {
        if (entries.Count == 0) return;
        svg.OpenGroup("legend");
        double x = Left + PlotW + 16, y = Top + 4;
        for (int i = 0; i < entries.Count; i++)
        {
            double cy = y + i * (LegendFont + 8) + LegendFont / 2;
            if (entries[i].Point) svg.Circle(x + 8, cy, 4.5, entries[i].Color.ToHex());
            else svg.Line(x, cy, x + 18, cy, entries[i].Color.ToHex(), 2.5);
            svg.Text(x + 24, cy + LegendFont * 0.35, entries[i].Name, LegendFont);
        }
        svg.CloseGroup();
    }
}
