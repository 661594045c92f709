using Affetto.Audio.IO;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.Inference;
using Affetto.Models.Tests.Support;

namespace Affetto.Models.Tests.EmotionInference;

public class NetworkPredictorTests
{
    [Fact]
    public void Analyze_FreshCnn4OnStreamedFile_GivesNormalisedProbabilitiesAndEmbeddings()
    {
        using var dir = new TempDir();
        string path = System.IO.Path.Combine(dir.Path, "x.wav");
        var y = new float[8000 * 4];
        for (int i = 0; i < y.Length; i++) y[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 330 * i / 8000.0));
        AudioFile.Save(path, y, 8000);
        var settings = new FrontEndSettings { SampleRate = 8000, SegmentSeconds = 1, HopSeconds = 0.5, NFft = 256, HopLength = 128 };
        var network = NetworkFactory.Create(NetworkSpec.For(Architecture.Cnn4, settings.SpectrogramHeight, settings.SpectrogramWidth), seed: 4);
        var predictor = new NetworkPredictor(network);
        var analyzer = new EmotionAnalyzer(settings, ["Q1", "Q2", "Q3", "Q4"], predictor.PredictProbabilities, segmentsPerChunk: 3);

        var result = analyzer.Analyze(path, timeline: true);

        Assert.Equal(7, result.Timeline!.Count);
        Assert.Equal(1.0, result.Probabilities.Values.Sum(), 5);
        Assert.All(result.Timeline, e => Assert.Equal(1.0, e.Probabilities.Values.Sum(), 5));
        Assert.InRange(result.Valence, -1, 1);
        Assert.InRange(result.Arousal, -1, 1);
        var batch = new EmotionFrontEnd(settings).Compute(AudioFile.Load(path, 8000).Samples);
        var embeddings = predictor.Embed(batch);
        Assert.Equal(batch.Count, embeddings.Length);
        Assert.All(embeddings, e => Assert.Equal(network.EmbeddingSize, e.Length));
    }

    [Fact]
    public void PredictProbabilities_BatchWithoutSpectrograms_Throws()
    {
        var network = NetworkFactory.Create(NetworkSpec.For(Architecture.Cnn4, 32, 32), seed: 1);
        var batch = new SegmentBatch(1, 32, 32, 0, null, null, [0]);
        Assert.Throws<ArgumentException>(() => new NetworkPredictor(network).PredictProbabilities(batch));
    }
}
