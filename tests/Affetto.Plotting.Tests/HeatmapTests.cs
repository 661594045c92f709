namespace Affetto.Plotting.Tests;

public class HeatmapTests
{
    // The plot frame is a 1-pixel dark rectangle around the plot area: scan the middle row for the first pixel inside it.
    private static (int Left, int Top) PlotOrigin(Canvas c, Heatmap h)
    {
        int y = c.Height / 2;
        for (int x = 1; x < c.Width; x++)
            if (c.GetPixel(x - 1, y) == new Rgb(68, 68, 68) && c.GetPixel(x, y) != new Rgb(68, 68, 68) && c.GetPixel(x, y) != Rgb.White)
            {
                int top = y;
                while (c.GetPixel(x, top - 1) != new Rgb(68, 68, 68)) top--;
                return (x, top);
            }
        throw new Xunit.Sdk.XunitException("plot area not found");
    }

    [Fact]
    public void Render_PutsRowZeroAtTheBottom()
    {
        int rows = 8, cols = 10;
        var data = new float[rows * cols];
        for (int c = 0; c < cols; c++) data[c] = 1; // row 0 hot, the rest 0
        var h = new Heatmap { PlotWidth = 200, PlotHeight = 160, Title = "t" };
        Canvas canvas = h.Render(data, rows, cols);
        (int left, int top) = PlotOrigin(canvas, h);
        Assert.Equal(ColorMap.Aurora.Map(1), canvas.GetPixel(left + 100, top + 159));
        Assert.Equal(ColorMap.Aurora.Map(0), canvas.GetPixel(left + 100, top + 0));
        Assert.Equal(ColorMap.Aurora.Map(0), canvas.GetPixel(left + 100, top + 159 - 20));
    }

    [Fact]
    public void Render_MaxPool_KeepsAnIsolatedPeakInAHugeMatrix_NearestMayNot()
    {
        int rows = 257, cols = 20000;
        var data = new float[rows * cols];
        data[100 * cols + 12345] = 1f;
        var h = new Heatmap { PlotWidth = 300, PlotHeight = 100, ValueMin = 0, ValueMax = 1 };
        Canvas pooled = h.Render(data, rows, cols);
        (int left, int top) = PlotOrigin(pooled, h);
        int hits = 0;
        for (int y = 0; y < 100; y++)
            for (int x = 0; x < 300; x++)
                if (pooled.GetPixel(left + x, top + y) == ColorMap.Aurora.Map(1)) hits++;
        Assert.Equal(1, hits);
        h.Resampling = ResampleMode.Nearest;
        Canvas nearest = h.Render(data, rows, cols);
        int nHits = 0;
        for (int y = 0; y < 100; y++)
            for (int x = 0; x < 300; x++)
                if (nearest.GetPixel(left + x, top + y) == ColorMap.Aurora.Map(1)) nHits++;
        Assert.Equal(0, nHits);
    }

    [Fact]
    public void Render_Upsamples_SmallMatrix_IntoBlocks_AndNaNIsGrey()
    {
        var data = new float[] { 0, 1, float.NaN, 0.5f }; // 2x2
        var h = new Heatmap { PlotWidth = 100, PlotHeight = 100, ValueMin = 0, ValueMax = 1, Title = null };
        Canvas c = h.Render(data, 2, 2);
        (int left, int top) = PlotOrigin(c, h);
        Assert.Equal(ColorMap.Aurora.Map(0), c.GetPixel(left + 10, top + 90)); // row 0, col 0: bottom-left
        Assert.Equal(ColorMap.Aurora.Map(1), c.GetPixel(left + 90, top + 90));
        Assert.Equal(new Rgb(200, 200, 200), c.GetPixel(left + 10, top + 10));
        Assert.Equal(ColorMap.Aurora.Map(0.5), c.GetPixel(left + 90, top + 10));
    }

    [Fact]
    public void MelRows_MatchesTheSlaneyAndHtkScales()
    {
        Func<double, double> slaney = Heatmap.MelRows(128, 0, 11025);
        Assert.Equal(0, slaney(0), 9);
        Assert.Equal(11025, slaney(127), 6);
        Func<double, double> htk = Heatmap.MelRows(3, 0, 8000, htk: true);
        double mid = 2595 * Math.Log10(1 + 8000 / 700.0) / 2;
        Assert.Equal(700 * (Math.Pow(10, mid / 2595) - 1), htk(1), 6);
        // Slaney is linear below 1 kHz: 3 rows spanning 0..1000 Hz put 500 Hz in the middle.
        Assert.Equal(500, Heatmap.MelRows(3, 0, 1000)(1), 9);
        Assert.Equal(21.5, Heatmap.LinearRows(10.75)(2), 12);
    }

    [Fact]
    public void ToPng_RoundTrips_WithLogAndLinearTicks()
    {
        var data = new float[64 * 300];
        for (int i = 0; i < data.Length; i++) data[i] = (float)Math.Sin(i * 0.01);
        foreach (AxisTickMode mode in new[] { AxisTickMode.Linear, AxisTickMode.Log })
        {
            var h = new Heatmap { RowToHz = Heatmap.MelRows(64, 20, 8000), YTicks = mode, SecondsPerFrame = 0.01, Title = "Mel", PlotWidth = 400, PlotHeight = 200 };
            Canvas c = h.Render(data, 64, 300);
            var img = PngTestDecoder.Decode(h.ToPng(data, 64, 300));
            Assert.Equal(c.Width, img.Width);
            Assert.Equal(c.Height, img.Height);
            Assert.Equal(c.Pixels.ToArray(), img.Pixels);
        }
    }

    [Fact]
    public void Render_BadInputs_Throw()
    {
        var h = new Heatmap();
        Assert.Throws<ArgumentException>(() => h.Render(new float[5], 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Render(new float[0], 0, 3));
        Assert.Throws<ArgumentException>(() => h.Render([float.NaN, float.NaN], 1, 2));
        Assert.Throws<InvalidOperationException>(() => new Heatmap { PlotWidth = 10 }.Render(new float[4], 2, 2));
        Assert.Throws<InvalidOperationException>(() => new Heatmap { RowToHz = r => -r }.Render(new float[4], 2, 2));
        Assert.Throws<InvalidOperationException>(() => new Heatmap { ValueMin = 2, ValueMax = 1 }.Render(new float[4], 2, 2));
        Assert.Throws<InvalidOperationException>(() => new Heatmap { SecondsPerFrame = 0 }.Render(new float[4], 2, 2));
        Assert.ThrowsAny<ArgumentException>(() => Heatmap.MelRows(1, 0, 100));
        Assert.ThrowsAny<ArgumentException>(() => Heatmap.MelRows(10, 100, 50));
        Assert.ThrowsAny<ArgumentException>(() => Heatmap.LinearRows(0));
    }
}
