using System.Xml.Linq;

namespace Affetto.Plotting.Tests;

public class ChartSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XDocument Parse(string svg)
    {
        XDocument doc = XDocument.Parse(svg);
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        // Every numeric attribute is written with a dot, never a comma.
        foreach (XAttribute a in doc.Descendants().Attributes().Where(a => a.Name.LocalName is "x" or "y" or "width" or "height" or "cx" or "cy" or "r"))
            Assert.True(double.TryParse(a.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _), a.ToString());
        return doc;
    }

    private static List<string> Texts(XDocument d) => d.Descendants(Svg + "text").Select(t => t.Value).ToList();

    [Fact]
    public void LineChart_HasOnePathPerSeries_LegendTitleAndEscapedText()
    {
        var chart = new LineChart { Title = "Loss <train & valid>", XLabel = "Epoch", YLabel = "Loss \"CE\"" };
        chart.AddSeries("train", [2.0, 1.0, 0.5, 0.4], x0: 1).AddSeries("valid & test", [2.2, 1.3, 0.9, 0.8], x0: 1);
        string svg = chart.ToSvg();
        Assert.Contains("&lt;train &amp; valid&gt;", svg);
        XDocument d = Parse(svg);
        var series = d.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "series");
        Assert.Equal(2, series.Elements(Svg + "path").Count());
        List<string> texts = Texts(d);
        Assert.Contains("Loss <train & valid>", texts);
        Assert.Contains("valid & test", texts);
        Assert.Contains("Epoch", texts);
        Assert.Contains("Loss \"CE\"", texts);
        // X ticks from 1 to 4 are labelled.
        var xTicks = d.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "x-ticks").Elements(Svg + "text").Select(t => t.Value).ToList();
        var xValues = xTicks.Select(t => double.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(1.0, xValues.Min());
        Assert.Equal(4.0, xValues.Max());
    }

    [Fact]
    public void LineChart_LongWaveform_IsAnEnvelopeOfBoundedSize()
    {
        var x = new float[2_000_000];
        var r = new Random(1);
        for (int i = 0; i < x.Length; i++) x[i] = (float)(Math.Sin(i * 0.001) * 0.8 + (r.NextDouble() - 0.5) * 0.1);
        x[1_234_567] = 0.99f; // a single-sample peak must survive
        string svg = new LineChart { ShowLegend = false }.AddWaveform("", x, 44100, columns: 800).ToSvg();
        Assert.True(svg.Length < 60_000, $"SVG is {svg.Length} characters");
        XDocument d = Parse(svg);
        XElement path = d.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "series").Element(Svg + "path")!;
        Assert.EndsWith("Z", path.Attribute("d")!.Value);
        Assert.Equal(1600, path.Attribute("d")!.Value.Count(ch => ch is 'M' or 'L'));
        Assert.DoesNotContain(d.Descendants(Svg + "g"), g => (string?)g.Attribute("class") == "legend");
    }

    [Fact]
    public void LineChart_ShortWaveform_IsAPolyline_AndNaNBreaksLines()
    {
        XDocument d = Parse(new LineChart().AddWaveform("w", [0.1f, -0.2f, 0.3f], 10).ToSvg());
        Assert.Single(d.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "series").Elements(Svg + "path"));
        XDocument e = Parse(new LineChart().AddSeries("s", [0.0, 1, 2, 3, 4], [1.0, 2, double.NaN, 2, 1]).ToSvg());
        Assert.Equal(2, e.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "series").Elements(Svg + "path").Count());
    }

    [Fact]
    public void ScatterPlot_OneCirclePerPoint_GroupedByClass_WithLegend()
    {
        var plot = new ScatterPlot { Title = "PCA", ClassNames = ["Q1", "Q2 <x>"] };
        plot.AddPoints([0.0, 1, 2, 3, 4], [1.0, 0, 2, 1, 3], [0, 1, 0, 2, 1]);
        XDocument d = Parse(plot.ToSvg());
        Assert.Equal(2, d.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "class-0").Elements(Svg + "circle").Count());
        Assert.Equal(2, d.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "class-1").Elements(Svg + "circle").Count());
        var legend = d.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "legend");
        Assert.Equal(["Q1", "Q2 <x>", "class 2"], legend.Elements(Svg + "text").Select(t => t.Value));
        Assert.Equal(3, legend.Elements(Svg + "circle").Count());
    }

    [Fact]
    public void ConfusionMatrix_Svg_ShowsCountsAndRowShares()
    {
        var cm = new ConfusionMatrixPlot(new[,] { { 8, 2 }, { 0, 0 } }, ["a&b", "c"]) { Title = "CM" };
        Assert.Equal(0.8, cm.RowShare(0, 0), 12);
        Assert.Equal(0.0, cm.RowShare(1, 1), 12);
        XDocument d = Parse(cm.ToSvg());
        List<string> texts = Texts(d);
        Assert.Contains("8", texts);
        Assert.Contains("80.0%", texts);
        Assert.Contains("20.0%", texts);
        Assert.Contains("a&b", texts);
        Assert.Contains("Predicted", texts);
        Assert.Equal(4, d.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "cells").Elements(Svg + "rect").Count());
        // The diagonal cell of the full row is coloured with the top of the map.
        Assert.Contains(d.Descendants(Svg + "rect"), r => (string?)r.Attribute("fill") == ColorMap.Aurora.Map(0.8).ToHex());
    }

    [Fact]
    public void ConfusionMatrix_Png_RoundTrips()
    {
        var cm = new ConfusionMatrixPlot(new[,] { { 5, 1, 0 }, { 2, 7, 1 }, { 0, 0, 9 } }, ["happy", "angry and loud", "sad"]);
        Canvas c = cm.ToCanvas();
        var img = PngTestDecoder.Decode(cm.ToPng());
        Assert.Equal(c.Width, img.Width);
        Assert.Equal(c.Pixels.ToArray(), img.Pixels);
    }

    [Fact]
    public void BadInputs_Throw()
    {
        Assert.Throws<InvalidOperationException>(() => new LineChart().ToSvg());
        Assert.Throws<InvalidOperationException>(() => new LineChart().AddSeries("s", [double.NaN]).ToSvg());
        Assert.Throws<ArgumentException>(() => new LineChart().AddSeries("s", [1.0, 2], [1.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LineChart().AddWaveform("w", [1f], 0));
        Assert.Throws<InvalidOperationException>(() => new LineChart { Width = 10 }.AddSeries("s", [1.0, 2]).ToSvg());
        Assert.Throws<InvalidOperationException>(() => new ScatterPlot().ToSvg());
        Assert.Throws<ArgumentException>(() => new ScatterPlot().AddPoints([1.0], [1.0, 2], [0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScatterPlot().AddPoints([1.0], [1.0], [-1]));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrixPlot(new int[2, 3], ["a", "b"]));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrixPlot(new int[2, 2], ["a"]));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrixPlot(new[,] { { 1, -1 }, { 0, 0 } }, ["a", "b"]));
        Assert.Throws<InvalidOperationException>(() => new ConfusionMatrixPlot(new int[1, 1], ["a"]) { CellSize = 2 }.ToSvg());
    }

    [Fact]
    public void LineChart_Png_DrawsSeriesColoursAndRoundTrips()
    {
        var blue = Rgb.FromHex("#2a6fdb");
        var chart = new LineChart { Title = "Loss", XLabel = "Epoch", YLabel = "Loss", Width = 500, Height = 300 };
        chart.AddSeries("train", [2.0, 1.0, 0.5, 0.4], x0: 1, color: blue);
        var x = new float[100_000];
        for (int i = 0; i < x.Length; i++) x[i] = (float)Math.Sin(i * 0.01);
        chart.AddWaveform("wave", x, 1000, Rgb.FromHex("#e8731a"), columns: 400);
        Canvas c = chart.ToCanvas();
        Assert.Equal(500, c.Width);
        Assert.Equal(300, c.Height);
        int blueCount = 0, orangeCount = 0;
        for (int yy = 0; yy < c.Height; yy++)
            for (int xx = 0; xx < c.Width; xx++)
            {
                Rgb p = c.GetPixel(xx, yy);
                if (p == blue) blueCount++;
                if (p == Rgb.FromHex("#e8731a")) orangeCount++;
            }
        Assert.True(blueCount > 20, $"{blueCount} blue pixels");
        Assert.True(orangeCount > 1000, $"{orangeCount} orange pixels");
        var img = PngTestDecoder.Decode(chart.ToCanvas().ToPng());
        Assert.Equal(c.Pixels.ToArray(), img.Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => chart.ToCanvas(0));
        Assert.Throws<InvalidOperationException>(() => new LineChart().ToCanvas());
    }
}
