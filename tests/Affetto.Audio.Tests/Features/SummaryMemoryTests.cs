using Affetto.Audio.Features;

namespace Affetto.Audio.Tests.Features;

// Live-heap measurements are process-wide: run alone, after the parallel tests.
[CollectionDefinition(nameof(SummaryMemoryTests), DisableParallelization = true)]
public sealed class SummaryMemoryCollection;

[Collection(nameof(SummaryMemoryTests))]
public class SummaryMemoryTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void Accumulator_OneHourInOneSecondBlocks_StaysWellUnder300MegabytesManaged()
    {
        var acc = new SummaryFeatureAccumulator(extended: true);
        GC.Collect();
        long before = GC.GetTotalMemory(true);
        var block = new float[22050];
        var rng = new Random(1);
        long peak = 0;
        for (int s = 0; s < 3600; s++)
        {
            for (int i = 0; i < block.Length; i++)
                block[i] = (float)(0.3 * Math.Sin(2 * Math.PI * (220 + s % 50) * (s * 22050L + i) / 22050.0) + 0.05 * (rng.NextDouble() - 0.5));
            acc.Push(block);
            if (s % 600 == 599) peak = Math.Max(peak, GC.GetTotalMemory(true) - before);
        }
        var result = acc.Finish();
        peak = Math.Max(peak, GC.GetTotalMemory(true) - before);
        Assert.Equal(SummaryFeatures.ColumnNames(true).Count, result.Length);
        Assert.All(result, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1 + 3600L * 22050 / 512, acc.FramesComputed);
        // Retained per frame: 128 log-mel floats + 14 contrast floats (~88 MB per hour).
        Assert.True(peak < 150L << 20, $"managed growth {peak >> 20} MB");
    }
}
