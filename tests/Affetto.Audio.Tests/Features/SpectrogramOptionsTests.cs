using Affetto.Audio.Features;
using Affetto.Audio.Filters;
using Affetto.Audio.Transforms;

namespace Affetto.Audio.Tests.Features;

public class SpectrogramOptionsTests
{
    [Fact]
    public void Defaults_AreLibrosaDefaults()
    {
        var o = new SpectrogramOptions();
        Assert.Equal((22050, 2048, 512, null, WindowType.Hann, true, PadMode.Constant), (o.SampleRate, o.NFft, o.HopLength, o.WinLength, o.Window, o.Center, o.PadMode));
        Assert.Equal((2f, 128, 0.0, null, false, MelNorm.Slaney, 20, 80f), (o.Power, o.NMels, o.FMin, o.FMax, o.Htk, o.Norm, o.NMfcc, o.TopDb));
        Assert.Empty(o.Validate());
        Assert.Equal(2048, o.EffectiveWinLength);
        Assert.Equal(256, (o with { HopLength = null, WinLength = 1024 }).EffectiveHopLength);
    }

    public static IEnumerable<object[]> InvalidOptions()
    {
        var o = new SpectrogramOptions();
        yield return [o with { SampleRate = 0 }, "SampleRate"];
        yield return [o with { NFft = 1 }, "NFft"];
        yield return [o with { HopLength = 0 }, "HopLength"];
        yield return [o with { WinLength = 4096 }, "WinLength"];
        yield return [o with { WinLength = 0 }, "WinLength"];
        yield return [o with { Window = (WindowType)77 }, "Window"];
        yield return [o with { PadMode = (PadMode)77 }, "PadMode"];
        yield return [o with { Power = 0 }, "Power"];
        yield return [o with { Power = float.PositiveInfinity }, "Power"];
        yield return [o with { NMels = 0 }, "NMels"];
        yield return [o with { FMin = -5 }, "FMin"];
        yield return [o with { FMin = 20000 }, "FMin"];
        yield return [o with { FMax = 100, FMin = 200 }, "FMax"];
        yield return [o with { FMax = 30000 }, "Nyquist"];
        yield return [o with { Norm = (MelNorm)77 }, "Norm"];
        yield return [o with { NMfcc = 0 }, "NMfcc"];
        yield return [o with { NMfcc = 200 }, "NMfcc"];
        yield return [o with { TopDb = -1 }, "TopDb"];
    }

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_InvalidOption_ReportsItAndExtractorThrows(SpectrogramOptions options, string expected)
    {
        var problems = options.Validate();
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
        var ex = Assert.Throws<ArgumentException>(() => new FeatureExtractor(options));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new SummaryFeatureAccumulator(options));
    }

    [Fact]
    public void Validate_SeveralProblems_ReturnsAllOfThem()
    {
        var o = new SpectrogramOptions { SampleRate = -1, NFft = 0, NMels = 0, Power = -2, TopDb = -3 };
        var p = o.Validate();
        Assert.True(p.Count >= 5, string.Join(" | ", p));
    }
}
