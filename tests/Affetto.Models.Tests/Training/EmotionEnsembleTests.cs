using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.Ensembles;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.Inference;
using Affetto.Models.Emotion.ModelFile;
using Xunit;

namespace Affetto.Models.Tests.Training;

public sealed class EmotionEnsembleTests
{
    private static readonly FrontEndSettings s_image = SyntheticEmotionData.FrontEnd() with
    {
        SpectrogramMean = Enumerable.Repeat(-40f, 16).ToArray(),
        SpectrogramStd = Enumerable.Repeat(12f, 16).ToArray(),
    };

    // Six tracks in two folds; the truth is Q1, Q2, Q3 in each fold.
    private static OutOfFoldPrediction[] Predictions(params float[][] probabilities) =>
        probabilities.Select((p, i) => new OutOfFoldPrediction($"t{i}", Quadrants.Labels[i % 3], 1 + i / 3, p)).ToArray();

    private static EmotionModel Cnn4(int seed, OutOfFoldPrediction[] cv, FrontEndSettings? frontEnd = null)
    {
        var f = frontEnd ?? s_image;
        return EmotionModel.Create(f, EmotionModel.SpecFor(Architecture.Cnn4, f), Quadrants.Labels, seed).With(crossValidation: cv);
    }

    [Fact]
    public void The_ensemble_scores_the_mean_of_the_members_out_of_fold_probabilities()
    {
        // Member A is right on t0, t1, t3; member B on t0, t2, t4, t5; their mean on t0, t1, t2, t4, t5 (a tie goes to the first label).
        var a = Predictions([.7f, .1f, .1f, .1f], [.1f, .6f, .2f, .1f], [.6f, .1f, .2f, .1f], [.45f, .25f, .2f, .1f], [.4f, .3f, .2f, .1f], [.3f, .3f, .2f, .2f]);
        var b = Predictions([.6f, .2f, .1f, .1f], [.5f, .4f, .05f, .05f], [.1f, .1f, .7f, .1f], [.2f, .5f, .2f, .1f], [.1f, .8f, .05f, .05f], [.1f, .1f, .6f, .2f]);
        var first = Cnn4(1, a);
        var second = Cnn4(2, b);
        var result = EmotionEnsemble.Combine([first, second], ["a", "b"], new ModelProvenance { Command = "affetto ensemble a b" });

        Assert.Equal([2 / 3.0, 1 / 3.0], EmotionEnsemble.FoldReports(a, Quadrants.Labels).Select(r => r.Accuracy));
        Assert.Equal(0.5, result.Scores.Members[0].Accuracy.Mean, 12);
        Assert.Equal(2 / 3.0, result.Scores.Members[1].Accuracy.Mean, 12);
        Assert.Equal([1.0, 2 / 3.0], result.Scores.Folds.Select(f => f.Accuracy));
        Assert.Equal(5 / 6.0, result.Scores.Summary.Accuracy.Mean, 12);
        // A predicts Q1 Q2 Q1 Q1 Q1 Q1, B Q1 Q1 Q3 Q2 Q2 Q3: they agree on t0 only; A is wrong 3 times, B twice, both on none.
        Assert.Equal(new MemberAgreement(0, 1, 6, 1, 3, 2, 0), Assert.Single(result.Scores.Pairs));
        Assert.Equal(result.Scores.Summary.Accuracy.Mean, result.Model.Provenance.CvAccuracyMean);
        Assert.Equal(2, result.Model.Provenance.Folds);
        Assert.Equal("affetto ensemble a b", result.Model.Provenance.Command);
        var t1 = result.Model.CrossValidation.Single(p => p.Track == "t1");
        Assert.Equal([.3f, .5f, .125f, .075f], t1.Probabilities.ToArray(), new FloatTolerance(1e-6f));

        // The network is the members' trained weights, so it predicts their mean.
        var ensemble = Assert.IsType<EnsembleNetwork>(result.Model.Network);
        foreach (var (key, value) in second.Network.StateDict()) Assert.Equal(value.ToArray(), ensemble.StateDict()["members.1." + key].ToArray());
        Assert.Equal(new[] { 1, 2 }, result.Model.Spec.MemberSeeds);
        Assert.True(result.Model.FrontEnd.ContentEquals(s_image));
    }

    [Fact]
    public void The_ensemble_keeps_each_members_training_history_marked_with_the_member()
    {
        var cv = Predictions([.7f, .1f, .1f, .1f], [.1f, .6f, .2f, .1f], [.6f, .1f, .2f, .1f], [.45f, .25f, .2f, .1f], [.4f, .3f, .2f, .1f], [.3f, .3f, .2f, .2f]);
        var first = Cnn4(1, cv).With(history: [new EpochRecord(1, 1.3, 0.4, null, null, null, 1e-3, 10), new EpochRecord(2, 1.1, 0.5, null, null, null, 1e-4, 10)]);
        var second = Cnn4(2, cv).With(history: [new EpochRecord(1, 1.2, 0.45, null, null, null, 1e-3, 12)]);

        var model = EmotionEnsemble.Combine([first, second], ["a", "b"]).Model;

        Assert.Equal([1, 1, 2], model.History.Select(h => h.Member!.Value));
        Assert.Equal([1.3, 1.1, 1.2], model.History.Select(h => h.TrainLoss));
        Assert.Equal(["member 1", "member 2"], model.ToCurves().Select(c => c.Name));
    }

    [Fact]
    public void A_spectrogram_member_and_a_feature_member_share_one_front_end_with_both_statistics()
    {
        var cv = Predictions([.7f, .1f, .1f, .1f], [.1f, .6f, .2f, .1f], [.1f, .1f, .7f, .1f], [.7f, .1f, .1f, .1f], [.1f, .6f, .2f, .1f], [.1f, .1f, .7f, .1f]);
        var features = SyntheticEmotionData.FrontEnd(spectrogram: false, features: true);
        int d = features.FeatureDim;
        features = features with { FeatureMean = new float[d], FeatureStd = Enumerable.Repeat(2f, d).ToArray() };
        var mlp = EmotionModel.Create(features, EmotionModel.SpecFor(Architecture.Mlp, features), Quadrants.Labels, 7).With(crossValidation: cv);
        var result = EmotionEnsemble.Combine([Cnn4(1, cv), mlp], ["cnn", "mlp"]);
        var f = result.Model.FrontEnd;
        Assert.True(f.UseSpectrogram && f.UseSummaryFeatures);
        Assert.Equal(s_image.SpectrogramMean, f.SpectrogramMean);
        Assert.Equal(features.FeatureStd, f.FeatureStd);
        Assert.Equal(1.0, result.Scores.Summary.Accuracy.Mean);
    }

    [Fact]
    public void Members_on_other_spectrograms_read_their_own_views_and_the_model_predicts_their_mean()
    {
        var cv = Predictions([.7f, .1f, .1f, .1f], [.1f, .6f, .2f, .1f], [.1f, .1f, .7f, .1f], [.7f, .1f, .1f, .1f], [.1f, .6f, .2f, .1f], [.1f, .1f, .7f, .1f]);
        var wide = s_image with { NMels = 24, SpectrogramMean = Enumerable.Repeat(-30f, 24).ToArray(), SpectrogramStd = Enumerable.Repeat(9f, 24).ToArray() };
        var restat = s_image with { SpectrogramStd = Enumerable.Repeat(11f, 16).ToArray() };
        EmotionModel[] members = [Cnn4(1, cv), Cnn4(2, cv, wide), Cnn4(3, cv, restat), Cnn4(4, cv)];
        var model = EmotionEnsemble.Combine(members, ["a", "b", "c", "d"]).Model;

        Assert.True(model.Spec.SeparateInputs);
        var views = model.FrontEnd.Views!;
        Assert.Equal(4, views.Length);
        for (int i = 0; i < 4; i++) Assert.True(views[i].ContentEquals(members[i].FrontEnd));

        // A composite front end computes each distinct view once (a and d share theirs) and the model averages the
        // members, each on its own view, on both inference paths; the file round-trips.
        var random = new Random(5);
        var samples = Enumerable.Range(0, 2 * s_image.SampleRate).Select(i => (float)(0.3 * Math.Sin(i * 0.3) + 0.05 * (random.NextDouble() - 0.5))).ToArray();
        var batch = new EmotionFrontEnd(model.FrontEnd).Compute(samples);
        Assert.Same(batch.Views![0], batch.Views[3]);
        // Raw views normalised afterwards (each shared batch once) are what Compute gives.
        var raw = new EmotionFrontEnd(model.FrontEnd).ComputeRaw(samples);
        EmotionFrontEnd.Normalize(raw, model.FrontEnd);
        for (int v = 0; v < 4; v++) Assert.Equal(batch.Views[v].Spectrograms, raw.Views![v].Spectrograms);
        var expected = new float[batch.Count * 4];
        foreach (var m in members)
        {
            var own = m.PredictProbabilities(new EmotionFrontEnd(m.FrontEnd).Compute(samples));
            for (int k = 0; k < expected.Length; k++) expected[k] += own[k] / members.Length;
        }
        Assert.Equal(expected, model.PredictProbabilities(batch), new FloatTolerance(1e-5f));
        Assert.Equal(expected, FoldedPredictor.TryCreate(model.Network)!(batch), new FloatTolerance(1e-5f));
        Assert.Equal(members.Sum(m => m.Network.EmbeddingSize), model.Embed(batch)[0].Length);
        var some = batch.Select([2, 0]);
        Assert.Same(some.Views![0], some.Views[3]);
        Assert.Equal(batch.Views[1].Image(2).ToArray(), some.Views[1].Image(0).ToArray());
        Assert.Equal(expected.AsSpan(8, 4).ToArray(), model.PredictProbabilities(some).AsSpan(0, 4).ToArray(), new FloatTolerance(1e-5f));
        using var dir = new Support.TempDir();
        string path = Path.Combine(dir.Path, "e.safetensors");
        model.Save(path);
        var loaded = EmotionModel.Load(path);
        Assert.True(loaded.FrontEnd.ContentEquals(model.FrontEnd));
        Assert.Equal(expected, loaded.PredictProbabilities(batch), new FloatTolerance(1e-5f));
    }

    [Fact]
    public void Members_that_cannot_be_combined_are_refused_with_the_reason()
    {
        var cv = Predictions([.7f, .1f, .1f, .1f], [.1f, .6f, .2f, .1f], [.1f, .1f, .7f, .1f], [.7f, .1f, .1f, .1f], [.1f, .6f, .2f, .1f], [.1f, .1f, .7f, .1f]);
        var good = Cnn4(1, cv);
        string Error(EmotionModel other) => Assert.Throws<ArgumentException>(() => EmotionEnsemble.Combine([good, other], ["good.safetensors", "other.safetensors"])).Message;

        Assert.Contains("at least two", Assert.Throws<ArgumentException>(() => EmotionEnsemble.Combine([good], ["good"])).Message);
        Assert.Contains("other.safetensors: the model keeps no out-of-fold predictions", Error(Cnn4(2, [])));
        var moved = cv.Select(p => p.Track == "t0" ? p with { Fold = 2 } : p).ToArray();
        Assert.Contains("cross-validated on other folds or tracks", Error(Cnn4(2, moved)));
        Assert.Contains("cross-validated on other folds or tracks", Error(Cnn4(2, cv[1..])));
        Assert.Contains("its segments", Error(Cnn4(2, cv, s_image with { HopSeconds = 0.5 })));
        var reordered = new EmotionModel(s_image, NetworkFactory.Create(EmotionModel.SpecFor(Architecture.Cnn4, s_image), 2), ["Q2", "Q1", "Q3", "Q4"], 2, crossValidation: cv);
        Assert.Contains("labels [Q2, Q1, Q3, Q4] differ", Error(reordered));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
