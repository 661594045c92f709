using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.Inference;
using Affetto.Nn.Modules;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Tests.EmotionInference;

public class FusedCnn4PredictorTests
{
    public static TheoryData<double, int, int, int> Shapes() => new()
    {
        // width, height, frames, batch
        { 1.0, 32, 24, 3 },
        { 0.5, 17, 40, 5 },
        { 0.25, 16, 16, 1 },
    };

    /// <summary>A cnn4 whose BatchNorm layers hold trained-looking statistics and affine weights (not the identity).</summary>
    private static EmotionNetwork TrainedLooking(double width, int height, int frames, int seed)
    {
        var network = NetworkFactory.Create(NetworkSpec.For(Architecture.Cnn4, height, frames) with { Width = width }, seed);
        var rng = new Random(seed);
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, t) in network.StateDict())
        {
            float[] v = t.ToArray();
            string leaf = name[(name.LastIndexOf('.') + 1)..];
            if (IsNorm(name))
            {
                for (int i = 0; i < v.Length; i++)
                {
                    v[i] = leaf switch
                    {
                        "running_mean" or "bias" => (float)(rng.NextDouble() - 0.5),
                        "running_var" => (float)(0.2 + 2 * rng.NextDouble()),
                        "weight" => (float)(0.5 + rng.NextDouble()),
                        _ => v[i],
                    };
                }
            }
            state[name] = leaf == "num_batches_tracked" ? t : Tensor.FromArray(v, [.. t.Shape]);
        }
        network.LoadStateDict(state, strict: true);
        return network;
    }

    // features.{4i+1} are the BatchNorm2d layers.
    private static bool IsNorm(string name) => name.StartsWith("features.", StringComparison.Ordinal) && int.Parse(name.Split('.')[1]) % 4 == 1;

    private static SegmentBatch Batch(int count, int height, int frames, int seed)
    {
        var rng = new Random(seed);
        var images = new float[count * height * frames];
        for (int i = 0; i < images.Length; i++) images[i] = (float)(rng.NextDouble() * 4 - 2);
        return new SegmentBatch(count, height, frames, 0, images, null, new double[count]);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void PredictProbabilities_EqualsTheUnfusedNetworkInEvalMode(double width, int height, int frames, int count)
    {
        var network = TrainedLooking(width, height, frames, seed: 7);
        var fused = FusedCnn4Predictor.TryCreate(network);
        Assert.NotNull(fused);
        var batch = Batch(count, height, frames, seed: 3);
        float[] expected = new NetworkPredictor(network).PredictProbabilities(batch);
        float[] actual = fused.PredictProbabilities(batch);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.InRange(Math.Abs(expected[i] - actual[i]), 0, 2e-6);
        // The statistics matter: the same weights with identity BatchNorm give other probabilities.
        float[] plain = new NetworkPredictor(NetworkFactory.Create(network.Spec, 7)).PredictProbabilities(batch);
        Assert.True(Enumerable.Range(0, plain.Length).Max(i => Math.Abs(plain[i] - expected[i])) > 1e-3);
    }

    [Fact]
    public void PredictProbabilities_FromSeveralThreadsAtOnce_GivesTheSameResults()
    {
        var network = TrainedLooking(0.5, 24, 24, seed: 2);
        var fused = FusedCnn4Predictor.TryCreate(network)!;
        var batches = Enumerable.Range(0, 8).Select(i => Batch(4, 24, 24, seed: i)).ToArray();
        var serial = batches.Select(fused.PredictProbabilities).ToArray();
        var parallel = new float[batches.Length][];
        Parallel.For(0, batches.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = fused.PredictProbabilities(batches[i]));
        for (int i = 0; i < batches.Length; i++)
            Assert.Equal(serial[i], parallel[i]);
    }

    [Fact]
    public void TryCreate_OtherArchitectures_ReturnsNull()
    {
        var mlp = NetworkFactory.Create(NetworkSpec.For(Architecture.Mlp, 0, 0, featureDim: 26), seed: 1);
        Assert.Null(FusedCnn4Predictor.TryCreate(mlp));
        var vgg = NetworkFactory.Create(NetworkSpec.For(Architecture.Vgg16, 32, 32), seed: 1);
        Assert.Null(FusedCnn4Predictor.TryCreate(vgg));
    }

    [Fact]
    public void PredictProbabilities_BatchWithoutSpectrograms_Throws()
    {
        var fused = FusedCnn4Predictor.TryCreate(NetworkFactory.Create(NetworkSpec.For(Architecture.Cnn4, 16, 16), seed: 1))!;
        var batch = new SegmentBatch(1, 0, 0, 3, null, new float[3], [0.0]);
        var e = Assert.Throws<ArgumentException>(() => fused.PredictProbabilities(batch));
        Assert.Contains("needs spectrograms", e.Message);
    }

    public static TheoryData<int, int, int, int> ConvPoolShapes() => new()
    {
        // count, channels, height, width: widths that exercise the 16-, 8-, 4-wide and scalar tails, odd sizes
        { 1, 1, 2, 2 },
        { 2, 3, 7, 9 },
        { 1, 4, 33, 35 },
        { 3, 2, 20, 71 },
    };

    [Theory]
    [MemberData(nameof(ConvPoolShapes))]
    public void SingleChannelConvPool_EqualsConvThenPoolThenRelu(int count, int channels, int height, int width)
    {
        var rng = new Random(height * 31 + width);
        float[] Random(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] images = Random(count * height * width), weight = Random(channels * 9), bias = Random(channels);
        float[] actual = SingleChannelConvPool.Forward(images, count, height, width, weight, bias).ToArray();
        using (Tensor.NoGrad())
        {
            var conv = Functional.Conv2d(Tensor.FromArray(images, count, 1, height, width), Tensor.FromArray(weight, channels, 1, 3, 3),
                Tensor.FromArray(bias, channels), padding: (1, 1));
            float[] expected = Functional.MaxPool2d(conv, (2, 2)).Relu().ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
                Assert.InRange(Math.Abs(expected[i] - actual[i]), 0, 1e-5);
            float[] pooled = FusedCnn4Predictor.MaxPoolRelu(conv).ToArray();
            Assert.Equal(expected, pooled);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(29)]
    [InlineData(64)]
    public unsafe void PairMaxRelu_TakesTheLargerOfEachPairAndZero_AndKeepsNaN(int count)
    {
        var rng = new Random(count);
        var row = Enumerable.Range(0, 2 * count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        if (count > 5) row[9] = float.NaN;
        var dst = new float[count];
        fixed (float* r = row, d = dst) PairMax.Relu(r, d, count);
        for (int j = 0; j < count; j++)
        {
            if (2 * j == 9 || 2 * j + 1 == 9) Assert.True(float.IsNaN(dst[j]), $"output {j} should be NaN");
            else Assert.Equal(Math.Max(Math.Max(row[2 * j], row[2 * j + 1]), 0f), dst[j]);
        }
    }
}
