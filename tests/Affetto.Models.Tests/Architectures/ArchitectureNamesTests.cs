using Affetto.Models.Emotion.Architectures;

namespace Affetto.Models.Tests.Architectures;

public sealed class ArchitectureNamesTests
{
    public static IEnumerable<object[]> Names() =>
    [
        [Architecture.Cnn4, "cnn4"],
        [Architecture.Vgg16, "vgg16"],
        [Architecture.EfficientNetV2S, "efficientnetv2-s"],
        [Architecture.EfficientNetV2Narrow, "efficientnetv2-narrow"],
        [Architecture.Multimodal, "multimodal"],
        [Architecture.Mlp, "mlp"],
        [Architecture.Ensemble, "ensemble"],
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void ToName_EachArchitecture_IsTheCliName(Architecture a, string name) => Assert.Equal(name, ArchitectureNames.ToName(a));

    [Theory]
    [MemberData(nameof(Names))]
    public void Parse_CliNameInAnyCase_RoundTrips(Architecture a, string name)
    {
        Assert.Equal(a, ArchitectureNames.Parse(name));
        Assert.Equal(a, ArchitectureNames.Parse(" " + name.ToUpperInvariant() + " "));
    }

    [Fact]
    public void All_ListsEveryEnumValueOnce() =>
        Assert.Equal(Enum.GetValues<Architecture>().Select(ArchitectureNames.ToName), ArchitectureNames.All);

    [Theory]
    [InlineData("resnet")]
    [InlineData("")]
    [InlineData("efficientnetv2")]
    public void Parse_UnknownName_ThrowsListingValidNames(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => ArchitectureNames.Parse(name));
        Assert.Contains($"'{name}'", e.Message);
        Assert.Contains("efficientnetv2-narrow", e.Message);
        Assert.False(ArchitectureNames.TryParse(name, out _));
    }

    [Fact]
    public void ToName_UndefinedValue_Throws() =>
        Assert.Throws<ArgumentException>(() => ArchitectureNames.ToName((Architecture)42));
}
