using Affetto.Models.Data;

namespace Affetto.Models.Tests.Data;

public class GemsSeedMappingTests
{
    [Theory]
    [InlineData("amazement", 0)]
    [InlineData("joyful_activation", 0)]
    [InlineData("solemnity", 1)]
    [InlineData("power", 1)]
    [InlineData("tension", 1)]
    [InlineData("sadness", 2)]
    [InlineData("nostalgia", 2)]
    [InlineData("calmness", 3)]
    [InlineData("tenderness", 3)]
    public void Seed_mapping_puts_each_emotion_in_the_seed_studys_group(string emotion, int quadrant)
    {
        for (int q = 0; q < 4; q++)
            Assert.Equal(q == quadrant ? 1.0 : 0.0, GemsQuadrantMapping.Seed.Weight(emotion, q));
    }
}
