using Affetto.Audio.Features;
using Affetto.Models.Emotion.Studies;

namespace Affetto.Models.Tests.EmotionInference;

public class DatasetEnergyCropTests
{
    private static FeatureMatrix Matrix(int rows, int cols, Func<int, int, float> value)
    {
        var m = new FeatureMatrix(rows, cols);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) m.Row(r)[c] = value(r, c);
        return m;
    }

    [Fact]
    public void Fit_KeepsUnionOfRowsReachingThresholdInAnySegment()
    {
        // Segment A is loud in row 1, segment B in row 3; row 0 reaches 0.15 of A's maximum only.
        var a = Matrix(5, 4, (r, c) => r == 1 ? 10 : r == 0 ? 1.5f : 0.1f);
        var b = Matrix(5, 4, (r, c) => r == 3 ? 4 : 0.2f);
        var crop = DatasetEnergyCrop.Fit([a, b], 0.12f);
        Assert.Equal([0, 1, 3], crop.KeptRows);
        Assert.Equal([1, 3], DatasetEnergyCrop.Fit([a, b], 0.2f).KeptRows);
        Assert.Equal([0, 1, 2, 3, 4], DatasetEnergyCrop.Fit([a, b], 0f).KeptRows);
        var cropped = crop.Apply(b);
        Assert.Equal(3, cropped.Rows);
        Assert.Equal(4, cropped.Columns);
        Assert.Equal(4f, cropped.Row(2)[0]);
        Assert.Equal(4L * 10 * 3 * 4, crop.Bytes(10, 4));
    }

    [Fact]
    public void Fit_WithShare_KeepsOnlyRowsReachingThresholdInEnoughSegments()
    {
        // Row 1 is loud in all four segments, row 3 only in the last one, row 0 never reaches 0.5.
        var quiet = Matrix(4, 3, (r, c) => r == 1 ? 8 : r == 0 ? 2 : 0);
        var loud3 = Matrix(4, 3, (r, c) => r == 1 ? 8 : r == 3 ? 6 : 0);
        FeatureMatrix[] segments = [quiet, quiet, quiet, loud3];
        Assert.Equal([1, 3], DatasetEnergyCrop.Fit(segments, 0.5f).KeptRows);
        Assert.Equal([1, 3], DatasetEnergyCrop.Fit(segments, 0.5f, minShare: 0.25).KeptRows);
        Assert.Equal([1], DatasetEnergyCrop.Fit(segments, 0.5f, minShare: 0.26).KeptRows);
        Assert.Equal([0, 1], DatasetEnergyCrop.Fit(segments, 0.2f, minShare: 0.5).KeptRows);
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetEnergyCrop.Fit(segments, 0.5f, minShare: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetEnergyCrop.Fit(segments, 0.5f, minShare: -0.1));
    }

    [Fact]
    public void Fit_Errors_AreClear()
    {
        Assert.Throws<ArgumentException>(() => DatasetEnergyCrop.Fit([], 0.1f));
        Assert.Throws<ArgumentException>(() => DatasetEnergyCrop.Fit([new FeatureMatrix(3, 2), new FeatureMatrix(4, 2)], 0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetEnergyCrop.Fit([new FeatureMatrix(3, 2)], 1.5f));
        var crop = DatasetEnergyCrop.Fit([Matrix(3, 2, (r, c) => 1)], 0.1f);
        Assert.Throws<ArgumentException>(() => crop.Apply(new FeatureMatrix(4, 2)));
    }
}
