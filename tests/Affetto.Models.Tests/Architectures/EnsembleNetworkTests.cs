using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.Inference;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Models.Tests.Support;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Tests.Architectures;

public sealed class EnsembleNetworkTests
{
    private static NetworkSpec CnnAndMlp() => ArchitectureTestData.Spec(Architecture.Ensemble);

    [Fact]
    public void Softmax_of_the_logits_is_the_mean_of_the_members_probabilities()
    {
        var ensemble = (EnsembleNetwork)NetworkFactory.Create(CnnAndMlp(), 1);
        ensemble.Eval();
        var (s, f) = ArchitectureTestData.Inputs(ensemble.Spec, batch: 3);
        using (Tensor.NoGrad())
        {
            float[] cnn = ensemble.Members[0].Logits(s, null).Softmax(1).ToArray();
            float[] mlp = ensemble.Members[1].Logits(null, f).Softmax(1).ToArray();
            float[] mean = ensemble.Logits(s, f).Softmax(1).ToArray();
            for (int i = 0; i < mean.Length; i++) Assert.Equal((cnn[i] + mlp[i]) / 2, mean[i], 5);
            Assert.Equal(ensemble.Members[0].EmbeddingSize + ensemble.Members[1].EmbeddingSize, ensemble.Embed(s, f).Size(1));
        }
    }

    [Fact]
    public void Members_are_built_with_their_own_seeds_under_members_i_keys()
    {
        var spec = CnnAndMlp();
        var ensemble = (EnsembleNetwork)NetworkFactory.Create(spec, 99);
        var cnn = NetworkFactory.Create(spec.Members![0], spec.MemberSeeds![0]);
        var state = ensemble.StateDict();
        foreach (var (key, value) in cnn.StateDict()) Assert.Equal(value.ToArray(), state["members.0." + key].ToArray());
        Assert.Contains(state.Keys, k => k.StartsWith("members.1.", StringComparison.Ordinal));
        Assert.Equal(cnn.ParameterCount() + NetworkFactory.Create(spec.Members[1], 1).ParameterCount(), ensemble.ParameterCount());
    }

    [Fact]
    public void Spec_json_round_trips_members_and_refuses_nesting()
    {
        var spec = CnnAndMlp();
        Assert.Equal(spec, NetworkSpec.FromJson(spec.ToJson()));
        Assert.Contains("\"members\":[{\"architecture\":\"cnn4\"", spec.ToJson());
        Assert.DoesNotContain("members", NetworkSpec.For(Architecture.Cnn4, 64, 44).ToJson());
        string nested = "{\"architecture\":\"ensemble\",\"members\":[{\"architecture\":\"ensemble\",\"members\":[]}]}";
        Assert.Contains("nests an ensemble", Assert.Throws<FormatException>(() => NetworkSpec.FromJson(nested)).Message);
        Assert.True(spec.UsesSpectrogram);
        Assert.True(spec.UsesFeatures);
    }

    [Fact]
    public void Ensemble_of_cnn4s_has_a_folded_predictor_that_agrees_with_the_network_and_survives_save_and_load()
    {
        var settings = new FrontEndSettings { SampleRate = 8000, SegmentSeconds = 0.5, HopSeconds = 0.25, Feature = SpectrogramKind.LogMel, NFft = 256, HopLength = 128, NMels = 16 };
        var member = EmotionModel.SpecFor(Architecture.Cnn4, settings);
        var spec = NetworkSpec.Ensemble([member, member with { Width = 0.5 }], [3, 4]);
        var model = EmotionModel.Create(settings, spec, Quadrants.Labels, 3);
        var g = new Generator(5);
        var batch = new SegmentBatch(4, settings.SpectrogramHeight, settings.SpectrogramWidth, 0,
            Tensor.Randn([4, 1, settings.SpectrogramHeight, settings.SpectrogramWidth], g).ToArray(), null, [0, 0.25, 0.5, 0.75]);
        float[] expected = model.PredictProbabilities(batch);
        var folded = FoldedPredictor.TryCreate(model.Network);
        Assert.NotNull(folded);
        float[] actual = folded!(batch);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5);

        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "ensemble.safetensors");
        model.Save(path);
        var loaded = EmotionModel.Load(path);
        Assert.IsType<EnsembleNetwork>(loaded.Network);
        Assert.Equal(spec, loaded.Spec);
        Assert.Equal(expected, loaded.PredictProbabilities(batch));

        // An mlp member has no folded form, so neither has the ensemble.
        var mixed = NetworkFactory.Create(CnnAndMlp(), 1);
        Assert.Null(FoldedPredictor.TryCreate(mixed));
    }
}
