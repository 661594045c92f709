using Affetto.Audio.Features;

namespace Affetto.Audio.Tests.Features;

public class EnergyCropTests
{
    private static FeatureMatrix Sample() => new(new float[]
    {
        0.0f, 0.1f, 0.0f, 0.0f,
        0.0f, 4.0f, 0.5f, 0.0f,
        0.0f, 0.2f, 0.0f, 0.1f,
    }, 3, 4);

    [Fact]
    public void Apply_ZeroThreshold_KeepsEverything()
    {
        var r = EnergyCrop.Apply(Sample(), 0f);
        Assert.Equal((3, 4, 100.0), (r.Rows, r.Columns, r.PercentOfOriginal));
        Assert.Equal(48, r.Bytes);
        Assert.Equal(1f, r.Cropped.Data.Max());
    }

    [Theory]
    [InlineData(0.02f, new[] { 0, 1, 2 }, new[] { 1, 2, 3 })]
    [InlineData(0.1f, new[] { 1 }, new[] { 1, 2 })]
    [InlineData(0.15f, new[] { 1 }, new[] { 1 })]
    [InlineData(0.2f, new[] { 1 }, new[] { 1 })]
    public void Apply_Threshold_DropsRowsAndColumnsThatNeverReachIt(float t, int[] rows, int[] cols)
    {
        var r = EnergyCrop.Apply(Sample(), t);
        Assert.Equal(rows, r.KeptRows);
        Assert.Equal(cols, r.KeptColumns);
        Assert.Equal(100.0 * rows.Length * cols.Length / 12, r.PercentOfOriginal, 9);
        Assert.Equal(4L * rows.Length * cols.Length, r.Bytes);
        Assert.Equal(48, r.OriginalBytes);
    }

    [Fact]
    public void Apply_SilentSpectrogram_KeepsAllAtZeroAndNothingAbove()
    {
        var z = new FeatureMatrix(5, 6);
        Assert.Equal(100.0, EnergyCrop.Apply(z, 0f).PercentOfOriginal);
        var r = EnergyCrop.Apply(z, 0.1f);
        Assert.Equal((0, 0, 0.0), (r.Rows, r.Columns, r.PercentOfOriginal));
    }

    [Fact]
    public void RowsReaching_MarksExactlyTheRowsApplyKeeps()
    {
        var random = new Random(5);
        foreach (float t in new[] { 0f, 0.05f, 0.1f, 0.15f, 0.2f, 1f })
        {
            for (int trial = 0; trial < 20; trial++)
            {
                var m = new FeatureMatrix(7, 9);
                for (int i = 0; i < m.Data.Length; i++) m.Data[i] = random.Next(4) == 0 ? 0 : MathF.Pow(random.NextSingle(), 4) * 30;
                var flags = new bool[7];
                EnergyCrop.RowsReaching(m, t, flags);
                Assert.Equal(EnergyCrop.Apply(m, t).KeptRows, Enumerable.Range(0, 7).Where(r => flags[r]));
            }
        }
        var silent = new bool[5];
        EnergyCrop.RowsReaching(new FeatureMatrix(5, 6), 0.1f, silent);
        Assert.DoesNotContain(true, silent);
        Assert.Throws<ArgumentException>(() => EnergyCrop.RowsReaching(Sample(), 0.1f, new bool[2]));
        Assert.Throws<ArgumentException>(() => EnergyCrop.RowsReaching(new FeatureMatrix([1f, float.NaN], 1, 2), 0.1f, new bool[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => EnergyCrop.RowsReaching(Sample(), 2f, new bool[3]));
    }

    [Fact]
    public void Apply_InvalidInput_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EnergyCrop.Apply(Sample(), -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => EnergyCrop.Apply(Sample(), 1.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => EnergyCrop.Apply(Sample(), float.NaN));
        Assert.Throws<ArgumentException>(() => EnergyCrop.Apply(new FeatureMatrix([1f, -1f], 1, 2), 0.1f));
        Assert.Throws<ArgumentException>(() => EnergyCrop.Apply(new FeatureMatrix([1f, float.NaN], 1, 2), 0.1f));
        Assert.Equal([0f, 0.1f, 0.15f, 0.2f], EnergyCrop.PaperThresholds);
    }
}
