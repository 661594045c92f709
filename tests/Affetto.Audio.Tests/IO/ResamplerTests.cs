using System.Text.Json;
using Affetto.Audio.IO;

namespace Affetto.Audio.Tests.IO;

/// <summary>soxr HQ resampling against analytic tones and torchaudio's kaiser_best resampler.</summary>
public sealed class ResamplerTests
{
    private sealed record Case(int InputRate, int OutputRate, int InputFrames, float[] Output);

    private static readonly Lazy<(double[][] Tones, Case[] Cases)> s_reference = new(LoadReference);

    public static TheoryData<int> ReferenceCases() => new(Enumerable.Range(0, s_reference.Value.Cases.Length));

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Resample_MultiTone_MatchesTorchaudioAndAnalyticAbove60dB(int index)
    {
        var (tones, cases) = s_reference.Value;
        var c = cases[index];
        var input = Tones(tones, c.InputRate, c.InputFrames);
        var ours = Resampler.Resample(input, c.InputRate, c.OutputRate);
        Assert.Equal(c.Output.Length, ours.Length); // both use ceil(n * out / in)

        // Filters differ at the edges (transients); compare the interior, 10 ms in from both ends.
        int edge = c.OutputRate / 100;
        var analytic = Tones(tones, c.OutputRate, ours.Length);
        Assert.True(Snr(c.Output, ours, edge) > 60, $"SNR vs torchaudio {Snr(c.Output, ours, edge):F1} dB");
        Assert.True(Snr(analytic, ours, edge) > 60, $"SNR vs analytic {Snr(analytic, ours, edge):F1} dB");
    }

    [Theory]
    [InlineData(44100, 22050, 1000.0)]
    [InlineData(48000, 22050, 3000.0)]
    [InlineData(22050, 44100, 5000.0)]
    [InlineData(8000, 22050, 3500.0)]
    [InlineData(44100, 16000, 440.0)]
    public void Resample_Sine_KeepsFrequencyAndAmplitude(int inputRate, int outputRate, double frequency)
    {
        const double amplitude = 0.5;
        var input = Sine(inputRate, inputRate, frequency, amplitude);
        var output = Resampler.Resample(input, inputRate, outputRate);
        Assert.Equal(outputRate, output.Length);
        var expected = Sine(outputRate, outputRate, frequency, amplitude);
        int edge = outputRate / 50;
        double maxError = 0;
        for (int i = edge; i < output.Length - edge; i++)
            maxError = Math.Max(maxError, Math.Abs(output[i] - expected[i]));
        Assert.True(maxError < amplitude * 1e-3, $"max error {maxError}");
    }

    [Fact]
    public void Resample_ToneAboveOutputNyquist_IsRemoved()
    {
        var input = Sine(44100, 44100, 15000, 0.9);
        var output = Resampler.Resample(input, 44100, 22050);
        double rms = Math.Sqrt(output.Skip(500).Take(output.Length - 1000).Average(v => (double)v * v));
        Assert.True(20 * Math.Log10(rms / (0.9 / Math.Sqrt(2))) < -90, $"alias level {20 * Math.Log10(rms / 0.636):F1} dB");
    }

    [Theory]
    [InlineData(1, 44100, 22050, 1)]
    [InlineData(3, 44100, 22050, 2)]
    [InlineData(1001, 48000, 22050, 1)]
    [InlineData(12345, 22050, 44100, 1)]
    [InlineData(777, 8000, 22050, 2)]
    [InlineData(100000, 44100, 32000, 1)]
    public void Resample_Length_IsLibrosaCeil(int frames, int inputRate, int outputRate, int channels)
    {
        var output = Resampler.Resample(IoTestSupport.Signal(frames, channels, inputRate), inputRate, outputRate, channels);
        Assert.Equal((long)Math.Ceiling(frames * ((double)outputRate / inputRate)) * channels, output.Length);
    }

    [Fact]
    public void Resample_Stereo_EqualsEachChannelAlone()
    {
        var stereo = IoTestSupport.Signal(20000, 2, 44100, seed: 5);
        var left = Enumerable.Range(0, 20000).Select(i => stereo[2 * i]).ToArray();
        var right = Enumerable.Range(0, 20000).Select(i => stereo[2 * i + 1]).ToArray();
        var both = Resampler.Resample(stereo, 44100, 22050, 2);
        var l = Resampler.Resample(left, 44100, 22050);
        var r = Resampler.Resample(right, 44100, 22050);
        for (int i = 0; i < l.Length; i++)
        {
            Assert.Equal(l[i], both[2 * i], 1e-6f);
            Assert.Equal(r[i], both[2 * i + 1], 1e-6f);
        }
    }

    [Fact]
    public void Resample_SameRateOrEmpty_ReturnsCopy()
    {
        float[] x = [0.1f, 0.2f, 0.3f];
        var same = Resampler.Resample(x, 22050, 22050);
        Assert.Equal(x, same);
        Assert.NotSame(x, same);
        Assert.Empty(Resampler.Resample(ReadOnlySpan<float>.Empty, 44100, 22050));
    }

    [Fact]
    public void StreamingResampler_RandomChunks_EqualsOneShot()
    {
        var input = IoTestSupport.Signal(30000, 2, 48000, seed: 9);
        var oneShot = Resampler.Resample(input, 48000, 22050, 2);
        var random = new Random(3);
        var output = new List<float>();
        using var soxr = new StreamingResampler(48000, 22050, 2);
        int position = 0;
        var buffer = new float[2 * 5000];
        while (position < 30000)
        {
            int take = Math.Min(random.Next(1, 3000), 30000 - position);
            var chunk = input.AsSpan(2 * position, 2 * take);
            while (!chunk.IsEmpty)
            {
                int outFrames = random.Next(1, 5000);
                int n = soxr.Process(chunk, buffer.AsSpan(0, 2 * outFrames), out int used);
                output.AddRange(buffer.AsSpan(0, 2 * n).ToArray());
                chunk = chunk[(2 * used)..];
            }
            position += take;
        }
        for (int n; (n = soxr.Flush(buffer.AsSpan(0, 2 * random.Next(1, 5000)))) > 0;)
            output.AddRange(buffer.AsSpan(0, 2 * n).ToArray());
        Assert.True(output.Count >= oneShot.Length - 2, $"{output.Count} < {oneShot.Length}");
        for (int i = 0; i < Math.Min(output.Count, oneShot.Length); i++)
            Assert.Equal(oneShot[i], output[i], 1e-6f);
    }

    [Fact]
    public void ResamplerPool_ReusedAfterAnAbandonedStream_IsBitIdenticalToFresh()
    {
        // Rates no other test uses, so the second Rent gets the instance returned here.
        const int inputRate = 47_989, outputRate = 22_051;
        var first = IoTestSupport.Signal(20_000, 2, inputRate, seed: 11);
        var second = IoTestSupport.Signal(15_001, 2, inputRate, seed: 12);
        var soxr = ResamplerPool.Rent(inputRate, outputRate, 2);
        soxr.Process(first, new float[2 * 4000], out _); // mid-stream: filter state and buffered output left behind
        ResamplerPool.Return(soxr);
        var reused = ResamplerPool.Rent(inputRate, outputRate, 2);
        Assert.Same(soxr, reused);
        var fromReused = Drain(reused, second);
        ResamplerPool.Return(reused);
        using var fresh = new StreamingResampler(inputRate, outputRate, 2);
        Assert.Equal(Drain(fresh, second), fromReused);
        Assert.Equal(Resampler.Resample(second, inputRate, outputRate, 2).AsSpan(0, 2 * 5000).ToArray(), fromReused[..(2 * 5000)]);
    }

    private static float[] Drain(StreamingResampler soxr, float[] input)
    {
        var output = new List<float>();
        var buffer = new float[2 * 3000];
        var rest = input.AsSpan();
        while (!rest.IsEmpty)
        {
            int n = soxr.Process(rest, buffer, out int used);
            output.AddRange(buffer.AsSpan(0, 2 * n).ToArray());
            rest = rest[(2 * used)..];
        }
        for (int n; (n = soxr.Flush(buffer)) > 0;)
            output.AddRange(buffer.AsSpan(0, 2 * n).ToArray());
        return [.. output];
    }

    [Fact]
    public void StreamingResampler_ProcessAfterFlush_ThrowsUntilReset()
    {
        using var soxr = new StreamingResampler(44100, 22050);
        var output = new float[1000];
        soxr.Process(new float[1000], output, out _);
        while (soxr.Flush(output) > 0)
        {
        }
        Assert.Throws<InvalidOperationException>(() => soxr.Process(new float[10], output, out _));
        soxr.Reset();
        soxr.Process(new float[10], output, out int used);
        Assert.Equal(10, used);
    }

    [Fact]
    public void StreamingResampler_AfterDispose_ThrowsObjectDisposed()
    {
        var soxr = new StreamingResampler(44100, 22050);
        soxr.Dispose();
        Assert.Throws<ObjectDisposedException>(() => soxr.Flush(new float[10]));
    }

    public static TheoryData<int, int, int, int, string> BadArguments() => new()
    {
        { 10, 0, 22050, 1, "inputRate" },
        { 10, 44100, -1, 1, "outputRate" },
        { 10, 44100, 22050, 0, "channels" },
        { 65, 44100, 22050, 65, "channels" },
        { 11, 44100, 22050, 2, "input" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Resample_BadArguments_ThrowArgumentExceptionNamingParameter(int length, int inputRate, int outputRate, int channels, string parameter)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => Resampler.Resample(new float[length], inputRate, outputRate, channels));
        Assert.Equal(parameter, ex.ParamName);
    }

    [Fact]
    public void StreamingResampler_PartialFrames_ThrowArgumentException()
    {
        using var soxr = new StreamingResampler(44100, 22050, 2);
        Assert.Throws<ArgumentException>(() => soxr.Process(new float[3], new float[4], out _));
        Assert.Throws<ArgumentException>(() => soxr.Process(new float[4], new float[5], out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamingResampler(0, 22050));
    }

    private static float[] Sine(int frames, int rate, double frequency, double amplitude)
    {
        var x = new float[frames];
        for (int i = 0; i < frames; i++)
            x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / rate));
        return x;
    }

    private static float[] Tones(double[][] tones, int rate, int frames)
    {
        var x = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            double t = i / (double)rate, v = 0;
            foreach (var tone in tones)
                v += tone[1] * Math.Sin(2 * Math.PI * tone[0] * t + tone[2]);
            x[i] = (float)v;
        }
        return x;
    }

    private static double Snr(float[] reference, float[] actual, int edge)
    {
        double signal = 0, noise = 0;
        for (int i = edge; i < reference.Length - edge; i++)
        {
            signal += (double)reference[i] * reference[i];
            noise += ((double)reference[i] - actual[i]) * ((double)reference[i] - actual[i]);
        }
        return 10 * Math.Log10(signal / Math.Max(noise, 1e-30));
    }

    private static (double[][], Case[]) LoadReference()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(IoTestSupport.Fixture("codecs/resample_reference.json")));
        var tones = json.RootElement.GetProperty("tones").EnumerateArray()
            .Select(t => new[] { t.GetProperty("frequency").GetDouble(), t.GetProperty("amplitude").GetDouble(), t.GetProperty("phase").GetDouble() })
            .ToArray();
        var cases = json.RootElement.GetProperty("cases").EnumerateArray().Select(c =>
        {
            var bytes = Convert.FromBase64String(c.GetProperty("output").GetString()!);
            var output = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, output, 0, bytes.Length);
            return new Case(c.GetProperty("inputRate").GetInt32(), c.GetProperty("outputRate").GetInt32(), c.GetProperty("inputFrames").GetInt32(), output);
        }).ToArray();
        return (tones, cases);
    }
}
