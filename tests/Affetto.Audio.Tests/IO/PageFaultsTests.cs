using Affetto.Audio.IO;

namespace Affetto.Audio.Tests.IO;

public class PageFaultsTests
{
    [Theory]
    [InlineData(16)]              // below the 1 MiB threshold: untouched
    [InlineData(1 << 18)]         // exactly 1 MiB
    [InlineData((3 << 19) + 7)]   // 6 MiB and a bit: unaligned end
    public void Prefault_KeepsEveryValue(int length)
    {
        // The advice must only map pages: a wrong advice (e.g. MADV_DONTNEED) would zero them.
        var array = new float[length];
        for (int i = 0; i < array.Length; i++)
            array[i] = i * 0.5f + 1;

        PageFaults.Prefault(array);

        for (int i = 0; i < array.Length; i++)
            Assert.Equal(i * 0.5f + 1, array[i]);
    }

    [Fact]
    public void Prefault_UninitializedArray_CanBeWrittenAndRead()
    {
        var array = GC.AllocateUninitializedArray<float>(3 << 20);
        PageFaults.Prefault(array);
        array.AsSpan().Fill(2.5f);
        Assert.All(new[] { array[0], array[array.Length / 2], array[^1] }, v => Assert.Equal(2.5f, v));
    }
}
