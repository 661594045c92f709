using Affetto.Audio.Effects;
using FsCheck;
using FsCheck.Fluent;

namespace Affetto.Audio.Tests.Effects;

public class SegmenterTests
{
    public static TheoryData<int, double, double, TailPolicy, int> Counts => new()
    {
        // 10 s at 100 Hz with the seed settings.
        { 1000, 2.0, 1.0, TailPolicy.Drop, 9 },
        { 1000, 5.0, 0.5, TailPolicy.Drop, 11 },
        { 1050, 2.0, 1.0, TailPolicy.Drop, 9 },
        { 1050, 2.0, 1.0, TailPolicy.PadWithZeros, 10 },
        { 1000, 2.0, 1.0, TailPolicy.PadWithZeros, 9 },
        { 150, 2.0, 1.0, TailPolicy.Drop, 0 },
        { 150, 2.0, 1.0, TailPolicy.PadWithZeros, 1 },
        { 0, 2.0, 1.0, TailPolicy.PadWithZeros, 0 },
        { 1000, 1.0, 3.0, TailPolicy.Drop, 4 },
    };

    [Theory]
    [MemberData(nameof(Counts))]
    public void Count_MatchesRangesAndEnumeration(int n, double len, double hop, TailPolicy tail, int expected)
    {
        Assert.Equal(expected, Segmenter.Count(n, 100, len, hop, tail));
        SegmentRange[] ranges = Segmenter.Ranges(n, 100, len, hop, tail);
        Assert.Equal(expected, ranges.Length);
        int win = (int)Math.Round(len * 100), h = (int)Math.Round(hop * 100);
        for (int i = 0; i < ranges.Length; i++)
        {
            Assert.Equal(new SegmentRange(i * h, win), ranges[i]);
            Assert.True(ranges[i].Start < Math.Max(n, 1));
        }
        if (tail == TailPolicy.Drop) Assert.All(ranges, r => Assert.True(r.End <= n));
        else if (expected > 0) Assert.True(ranges[^1].End >= n);
        var span = new SegmentRange[expected + 3];
        Assert.Equal(expected, Segmenter.GetRanges(n, 100, len, hop, span, tail));
        Assert.Equal(ranges, span[..expected]);
        SegmentEnumerable e = Segmenter.EnumerateRanges(n, 100, len, hop, tail);
        for (int i = 0; i < e.Count; i++) Assert.Equal(ranges[i], e[i]);
    }

    [Fact]
    public void EnumerateRanges_DoesNotAllocatePerSegment()
    {
        // Warm up, then count allocated bytes over a long enumeration.
        long sum = 0;
        foreach (SegmentRange r in Segmenter.EnumerateRanges(100, 10, 1, 1)) sum += r.Start;
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (SegmentRange r in Segmenter.EnumerateRanges(44100 * 3600, 44100, 5.0, 0.5)) sum += r.Length;
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(sum > 0);
        Assert.True(after - before < 1000, $"allocated {after - before} bytes");
    }

    [Fact]
    public void Copies_PadTheTailWithZeros()
    {
        float[] x = Enumerable.Range(1, 23).Select(i => (float)i).ToArray();
        float[][] segs = Segmenter.Copies(x, 10, 1.0, 0.5, TailPolicy.PadWithZeros);
        Assert.Equal(4, segs.Length); // starts 0, 5, 10, 15
        Assert.Equal(x[5..15], segs[1]);
        Assert.Equal(x[15..].Concat(new float[2]).ToArray(), segs[3]);
        float[][] dropped = Segmenter.Copies(x, 10, 1.0, 0.5);
        Assert.Equal(3, dropped.Length);
        Assert.Equal(x[10..20], dropped[2]);
    }

    [Fact]
    public void CopySegment_BadArguments_Throw()
    {
        var x = new float[10];
        Assert.Throws<ArgumentException>(() => Segmenter.CopySegment(x, new SegmentRange(10, 2), new float[2]));
        Assert.Throws<ArgumentException>(() => Segmenter.CopySegment(x, new SegmentRange(-1, 2), new float[2]));
        Assert.Throws<ArgumentException>(() => Segmenter.CopySegment(x, new SegmentRange(0, 5), new float[4]));
        Assert.Throws<ArgumentException>(() => Segmenter.GetRanges(1000, 100, 2, 1, new SegmentRange[3]));
    }

    [Theory]
    [InlineData(-1, 100, 1.0, 1.0, "signalLength")]
    [InlineData(10, 0, 1.0, 1.0, "sampleRate")]
    [InlineData(10, 100, 0.0, 1.0, "lengthSeconds")]
    [InlineData(10, 100, 1.0, -1.0, "hopSeconds")]
    [InlineData(10, 100, 0.001, 1.0, "lengthSeconds")]
    [InlineData(10, 100, 1.0, double.NaN, "hopSeconds")]
    public void Count_BadArguments_ThrowNamingTheParameter(int n, int sr, double len, double hop, string param)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => Segmenter.Count(n, sr, len, hop));
        Assert.Equal(param, ex.ParamName);
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        SegmentEnumerable e = Segmenter.EnumerateRanges(1000, 100, 2, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => e[9]);
        Assert.Throws<ArgumentOutOfRangeException>(() => e[-1]);
        Assert.ThrowsAny<ArgumentException>(() => Segmenter.Count(10, 100, 1, 1, (TailPolicy)7));
    }

    [Fact]
    public void Ranges_MatchABruteForceWindowing_ForRandomSizes()
    {
        Gen<(int, int, int, bool)> cases =
            from n in Gen.Choose(0, 5000)
            from win in Gen.Choose(1, 800)
            from hop in Gen.Choose(1, 800)
            from pad in Gen.Elements(false, true)
            select (n, win, hop, pad);
        Prop.ForAll(cases.ToArbitrary(), ((int N, int Win, int Hop, bool Pad) c) =>
        {
            var expected = new List<SegmentRange>();
            for (int start = 0; start < c.N; start += c.Hop)
            {
                if (start + c.Win <= c.N) expected.Add(new SegmentRange(start, c.Win));
                else
                {
                    // Padding adds the first window reaching past the end, unless a whole window already ends there.
                    bool endCovered = expected.Count > 0 && expected[^1].End == c.N;
                    if (c.Pad && !endCovered) expected.Add(new SegmentRange(start, c.Win));
                    break;
                }
            }
            SegmentRange[] got = Segmenter.Ranges(c.N, 1000, c.Win / 1000.0, c.Hop / 1000.0, c.Pad ? TailPolicy.PadWithZeros : TailPolicy.Drop);
            return got.SequenceEqual(expected).Label($"n={c.N} win={c.Win} hop={c.Hop} pad={c.Pad}: got {got.Length}, expected {expected.Count}");
        }).QuickCheckThrowOnFailure();
    }
}
