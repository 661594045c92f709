using Affetto.Audio.Tests.Features;
using Affetto.Audio.Transforms;

namespace Affetto.Audio.Tests.Transforms;

public class WindowsTests
{
    [Theory]
    [InlineData("hann", 2048, WindowType.Hann)]
    [InlineData("hann", 1024, WindowType.Hann)]
    [InlineData("hann", 501, WindowType.Hann)]
    [InlineData("hamming", 501, WindowType.Hamming)]
    [InlineData("blackman", 501, WindowType.Blackman)]
    public void Create_Periodic_MatchesScipyGetWindowFftbins(string name, int n, WindowType type)
    {
        FeatureFixtures.AssertClose(Windows.Create(type, n), FeatureFixtures.Load($"window_{name}_{n}").Data, 1e-6, name);
    }

    [Fact]
    public void Create_Symmetric_IsSymmetricAndEndsAtZero()
    {
        var w = Windows.Create(WindowType.Hann, 9, periodic: false);
        for (int i = 0; i < 9; i++) Assert.Equal(w[i], w[8 - i], 6);
        Assert.Equal(0f, w[0], 6);
        Assert.Equal(1f, w[4], 6);
        Assert.All(Windows.Create(WindowType.Rectangular, 7), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void CreatePadded_CentresWindowLikeLibrosaPadCenter()
    {
        var w = Windows.CreatePadded(WindowType.Hann, 5, 10);
        var inner = Windows.Create(WindowType.Hann, 5);
        Assert.Equal(new float[] { 0, 0 }, w[..2]);
        Assert.Equal(inner, w[2..7]);
        Assert.All(w[7..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Create_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Windows.Create(WindowType.Hann, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Windows.Create((WindowType)42, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => Windows.CreatePadded(WindowType.Hann, 11, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => Windows.CreatePadded(WindowType.Hann, 0, 10));
    }
}
