using Affetto.Models.Evaluation;

namespace Affetto.Models.Tests.Evaluation;

public class TrackVotingTests
{
    private static readonly string[] s_tracks = ["t1", "t1", "t1", "t2", "t2"];

    private static readonly double[][] s_probabilities =
    [
        [0.6, 0.4, 0.0],
        [0.1, 0.5, 0.4],
        [0.0, 0.55, 0.45],
        [0.9, 0.05, 0.05],
        [0.2, 0.2, 0.6],
    ];

    [Fact]
    public void Soft_MeanOfProbabilities()
    {
        var result = TrackVoting.Combine(s_probabilities, s_tracks);
        Assert.Equal(["t1", "t2"], result.Select(r => r.TrackId));
        Assert.Equal([3, 2], result.Select(r => r.SegmentCount));
        Assert.Equal(0.7 / 3, result[0].Probabilities[0], 15);
        Assert.Equal(1.45 / 3, result[0].Probabilities[1], 15);
        Assert.Equal(1, result[0].PredictedClass);
        Assert.Equal(0, result[1].PredictedClass); // mean 0.55 vs 0.325
    }

    [Fact]
    public void Majority_VoteFractionsAndTieBrokenBySummedProbability()
    {
        var result = TrackVoting.Combine(s_probabilities, s_tracks, VotingMethod.Majority);
        Assert.Equal([1 / 3.0, 2 / 3.0, 0], result[0].Probabilities);
        Assert.Equal(1, result[0].PredictedClass);
        // t2: one vote each for class 0 and class 2; summed probability 1.1 vs 0.65 -> class 0.
        Assert.Equal([0.5, 0, 0.5], result[1].Probabilities);
        Assert.Equal(0, result[1].PredictedClass);
    }

    [Fact]
    public void FlatFloatOverload_MatchesRows()
    {
        var flat = s_probabilities.SelectMany(r => r.Select(v => (float)v)).ToArray();
        var a = TrackVoting.Combine(flat, 3, s_tracks);
        var b = TrackVoting.Combine(s_probabilities.Select(r => r.Select(v => (double)(float)v).ToArray()).ToArray(), s_tracks);
        Assert.Equal(b.Select(r => r.PredictedClass), a.Select(r => r.PredictedClass));
        Assert.Equal(b[0].Probabilities, a[0].Probabilities);
    }

    [Fact]
    public void InterleavedTracks_KeepFirstAppearanceOrder()
    {
        var r = TrackVoting.Combine([[1.0, 0], [0, 1.0], [1.0, 0]], ["b", "a", "b"]);
        Assert.Equal(["b", "a"], r.Select(x => x.TrackId));
        Assert.Equal(2, r[0].SegmentCount);
    }

    [Fact]
    public void BadInput_ThrowsNamingSegment()
    {
        Assert.Throws<ArgumentException>(() => TrackVoting.Combine([], []));
        Assert.Contains("2 probability rows but 1", Assert.Throws<ArgumentException>(() => TrackVoting.Combine([[1.0], [1.0]], ["a"])).Message);
        Assert.Contains("segment 1", Assert.Throws<ArgumentException>(() => TrackVoting.Combine([[1.0, 0], [double.NaN, 0]], ["a", "a"])).Message);
        Assert.Contains("segment 1", Assert.Throws<ArgumentException>(() => TrackVoting.Combine([[1.0, 0], [-0.5, 0]], ["a", "a"])).Message);
        Assert.Contains("expected 2", Assert.Throws<ArgumentException>(() => TrackVoting.Combine([[1.0, 0], [1.0]], ["a", "a"])).Message);
        Assert.Contains("null track id", Assert.Throws<ArgumentException>(() => TrackVoting.Combine([[1.0]], [null!])).Message);
        Assert.Throws<ArgumentException>(() => TrackVoting.Combine(new float[5], 2, ["a", "b"]));
        Assert.Throws<ArgumentException>(() => TrackVoting.Combine([[1.0]], ["a"], (VotingMethod)7));
    }
}
