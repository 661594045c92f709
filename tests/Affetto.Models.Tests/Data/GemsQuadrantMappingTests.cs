using Affetto.Models.Data;

namespace Affetto.Models.Tests.Data;

public class GemsQuadrantMappingTests
{
    private static Dictionary<string, double[]> DefaultWeights() =>
        GemsQuadrantMapping.Emotions.ToDictionary(e => e, e => Enumerable.Range(0, 4).Select(q => GemsQuadrantMapping.Default.Weight(e, q)).ToArray());

    public static TheoryData<string, int> SingleEmotionQuadrant => new()
    {
        { "amazement", 0 }, { "joyful_activation", 0 }, { "tension", 1 }, { "sadness", 2 }, { "nostalgia", 2 },
        { "calmness", 3 }, { "tenderness", 3 }, { "solemnity", 3 },
    };

    [Theory]
    [MemberData(nameof(SingleEmotionQuadrant))]
    public void Assign_OnlyOneEmotionVoted_GivesItsQuadrant(string emotion, int quadrant)
    {
        var votes = GemsQuadrantMapping.Emotions.Select(e => e == emotion ? 1.0 : 0.0).ToArray();
        Assert.Equal(quadrant, GemsQuadrantMapping.Default.Assign(votes));
    }

    [Fact]
    public void Assign_PowerOnly_TiesBetweenQ1AndQ2_GoesToQ1()
    {
        var votes = GemsQuadrantMapping.Emotions.Select(e => e == "power" ? 1.0 : 0.0).ToArray();
        var scores = GemsQuadrantMapping.Default.Scores(votes);
        Assert.Equal(0.5 / 2.5, scores[0], 15);
        Assert.Equal(0.5 / 1.5, scores[1], 15);
        Assert.Equal(1, GemsQuadrantMapping.Default.Assign(votes)); // Q2 mean is higher (fewer emotions share it)
        var sum = new GemsQuadrantMapping(DefaultWeights(), QuadrantScoreRule.Sum);
        Assert.Equal(0, sum.Assign(votes)); // equal sums: tie goes to the lower quadrant
    }

    [Fact]
    public void Constructor_BadWeights_ThrowNamingEmotion()
    {
        var missing = DefaultWeights();
        missing.Remove("tension");
        Assert.Contains("'tension'", Assert.Throws<ArgumentException>(() => new GemsQuadrantMapping(missing, QuadrantScoreRule.Mean)).Message);
        var unknown = DefaultWeights();
        unknown["joy"] = [1, 0, 0, 0];
        Assert.Contains("'joy'", Assert.Throws<ArgumentException>(() => new GemsQuadrantMapping(unknown, QuadrantScoreRule.Mean)).Message);
        var shortRow = DefaultWeights();
        shortRow["power"] = [1, 0];
        Assert.Contains("needs 4 weights", Assert.Throws<ArgumentException>(() => new GemsQuadrantMapping(shortRow, QuadrantScoreRule.Mean)).Message);
        var negative = DefaultWeights();
        negative["power"] = [-1, 0, 0, 0];
        Assert.Contains("non-negative", Assert.Throws<ArgumentException>(() => new GemsQuadrantMapping(negative, QuadrantScoreRule.Mean)).Message);
        var noQ2 = DefaultWeights();
        noQ2["tension"] = [1, 0, 0, 0];
        noQ2["power"] = [1, 0, 0, 0];
        Assert.Contains("Q2", Assert.Throws<ArgumentException>(() => new GemsQuadrantMapping(noQ2, QuadrantScoreRule.Mean)).Message);
    }

    [Fact]
    public void Scores_WrongLengthOrNaN_Throw()
    {
        Assert.Throws<ArgumentException>(() => GemsQuadrantMapping.Default.Scores(new double[8]));
        var nan = new double[9];
        nan[3] = double.NaN;
        Assert.Contains("nostalgia", Assert.Throws<ArgumentException>(() => GemsQuadrantMapping.Default.Scores(nan)).Message);
    }
}
