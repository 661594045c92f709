using Affetto.Audio.Features;
using Affetto.Audio.Transforms;

namespace Affetto.Audio.Tests.Features;

public class BatchedMelKernelTests
{
    public static IEnumerable<object[]> Cases()
    {
        // frames not a multiple of 16, both powers, centred or not, odd hop, window shorter than nFft
        yield return [22050, 2048, 512, null!, true, 2f];
        yield return [10000, 2048, 512, null!, false, 2f];
        yield return [7777, 1024, 333, 800, true, 1f];
        yield return [5000, 512, 128, null!, true, 2f];
        yield return [300, 256, 64, null!, true, 2f];
        // FFT sizes whose first stages run over the whole array before the L1-sized blocks (4096: 2048 = 4^5·2)
        // and the smallest supported size (8: one radix-4 stage)
        yield return [30000, 4096, 700, null!, true, 2f];
        yield return [400, 8, 3, null!, true, 1f];
    }

    public static IEnumerable<object[]> PaddingCases()
    {
        // Batches inside the signal read it in place; those reaching into the centre padding read a padded copy:
        // a long signal (edge and inner batches), one shorter than the padding (reflection repeats), one batch only.
        foreach (var mode in new[] { PadMode.Constant, PadMode.Reflect })
        {
            yield return [40000, 1024, 256, mode];
            yield return [300, 1024, 256, mode];
            yield return [2, 64, 16, mode];
            yield return [5000, 512, 500, mode];
        }
    }

    [Theory]
    [MemberData(nameof(PaddingCases))]
    public void MelSpectrogram_BatchedWithoutPaddedCopy_EqualsPerFramePathOnPaddedSignal(int n, int nFft, int hop, PadMode mode)
    {
        var y = FeatureFixtures.Noise(n, n + 1, 0.5f);
        var o = new SpectrogramOptions { NFft = nFft, HopLength = hop, PadMode = mode, NMels = 32 };
        var a = new FeatureExtractor(o) { UseBatched = true }.MelSpectrogram(y);
        var b = new FeatureExtractor(o) { UseBatched = false }.MelSpectrogram(y);
        Assert.Equal((b.Rows, b.Columns), (a.Rows, a.Columns));
        FeatureFixtures.AssertClose(a.Data, b.Data, 1e-5, $"batched vs per-frame mel, {mode} padding");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MelSpectrogram_BatchedLanes_EqualsPerFramePath(int n, int nFft, int hop, int? win, bool center, float power)
    {
        var y = FeatureFixtures.Noise(n, n, 0.5f);
        var o = new SpectrogramOptions { NFft = nFft, HopLength = hop, WinLength = win, Center = center, Power = power, NMels = 64 };
        var batched = new FeatureExtractor(o) { UseBatched = true };
        var perFrame = new FeatureExtractor(o) { UseBatched = false };
        Assert.True(BatchedMelKernel.Supports(batched.Transform, power));
        var a = batched.MelSpectrogram(y);
        var b = perFrame.MelSpectrogram(y);
        Assert.Equal((b.Rows, b.Columns), (a.Rows, a.Columns));
        FeatureFixtures.AssertClose(a.Data, b.Data, 1e-5, "batched vs per-frame mel");
    }

    [Fact]
    public void Supports_OnlyPowerOfTwoHalfSizesAndPowerOneOrTwo()
    {
        Assert.False(BatchedMelKernel.Supports(new ShortTimeFourierTransform(501), 2f));
        Assert.False(BatchedMelKernel.Supports(new ShortTimeFourierTransform(1500), 2f));
        Assert.False(BatchedMelKernel.Supports(new ShortTimeFourierTransform(2048), 3f));
        Assert.True(BatchedMelKernel.Supports(new ShortTimeFourierTransform(2048), 1f));
    }

    [Fact]
    public void ForThisThread_ReusesOneKernelPerThreadAndTransform_WithUnchangedResults()
    {
        var y1 = FeatureFixtures.Noise(9000, 1, 0.5f);
        var y2 = FeatureFixtures.Noise(12000, 2, 0.5f);
        var fx = new FeatureExtractor(new SpectrogramOptions { NFft = 1024, HopLength = 256, NMels = 40 }) { UseBatched = true };
        var other = new FeatureExtractor(new SpectrogramOptions { NFft = 512, HopLength = 128, NMels = 32 }) { UseBatched = true };
        var first = BatchedMelKernel.ForThisThread(fx.Transform, fx.MelBank);
        Assert.Same(first, BatchedMelKernel.ForThisThread(fx.Transform, fx.MelBank));
        Assert.NotSame(first, BatchedMelKernel.ForThisThread(other.Transform, other.MelBank));
        BatchedMelKernel? elsewhere = null;
        var thread = new Thread(() => elsewhere = BatchedMelKernel.ForThisThread(fx.Transform, fx.MelBank));
        thread.Start();
        thread.Join();
        Assert.NotSame(first, elsewhere);

        // Interleaved calls through the cached kernels give what fresh per-frame computation gives.
        var a1 = fx.MelSpectrogram(y1).Data;
        other.MelSpectrogram(y2);
        var a2 = fx.MelSpectrogram(y2).Data;
        var again = fx.MelSpectrogram(y1).Data;
        Assert.Equal(a1, again);
        var reference = new FeatureExtractor(fx.Options) { UseBatched = false };
        FeatureFixtures.AssertClose(a2, reference.MelSpectrogram(y2).Data, 1e-5, "cached kernel vs per-frame mel");
    }
}
