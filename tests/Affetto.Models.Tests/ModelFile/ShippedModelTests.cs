using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.Ensembles;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.Inference;
using Affetto.Models.Emotion.ModelFile;
using Xunit;

namespace Affetto.Models.Tests.ModelFile;

/// <summary>The model in <c>models/</c> is what the README says it is: loadable, trained by Affetto, cross-validated above the seed system's 0.66 with the scores its out-of-fold predictions give.</summary>
public sealed class ShippedModelTests
{
    private static string ShippedModel()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, DefaultModel.RelativePath);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("models/emotion.safetensors is not in the repository");
    }

    [Fact]
    public void The_shipped_model_loads_with_its_front_end_and_provenance()
    {
        // Three cnn4s on three log-mel views of the same 2 s segments (README "How good"), each reading its own.
        var model = EmotionModel.Load(ShippedModel());
        Assert.Equal(Quadrants.Labels, model.Labels);
        Assert.Equal(Architecture.Ensemble, model.Spec.Architecture);
        Assert.True(model.Spec.SeparateInputs);
        Assert.All(model.Spec.Members!, m => Assert.Equal(Architecture.Cnn4, m.Architecture));
        var views = model.FrontEnd.Views!;
        Assert.Equal(3, views.Length);
        Assert.All(views, v => Assert.Equal(SpectrogramKind.LogMel, v.Feature));
        Assert.All(views, v => Assert.NotNull(v.SpectrogramMean));
        Assert.Equal([(512, 64), (1024, 96), (2048, 128)], views.Select(v => (v.NFft, v.NMels)));
        Assert.Equal(22050, model.FrontEnd.SampleRate);
        var p = model.Provenance;
        Assert.Equal(5, p.Folds);
        Assert.Equal(720, p.Tracks);
        // The recorded cross-validation (README "How good"): above the seed system's 0.66; the next
        // test recomputes it from the stored predictions.
        Assert.InRange(p.CvAccuracyMean!.Value, 0.66, 1.0);
        Assert.InRange(p.CvAccuracyStd!.Value, 0.0, 0.1);
        Assert.StartsWith("affetto ensemble ", p.Command);
        Assert.All(p.Notes!.Values, member => Assert.Contains("affetto train --dataset", member));
        Assert.All(p.Notes!.Values, member => Assert.DoesNotContain("--resume", member));
    }

    [Fact]
    public void The_recorded_cross_validation_is_what_the_out_of_fold_predictions_score()
    {
        // Every one of the 720 tracks predicted once, by a fold model that never saw it; the recorded scores follow.
        var model = EmotionModel.Load(ShippedModel());
        var cv = model.CrossValidation;
        Assert.Equal(720, cv.Count);
        Assert.Equal(720, cv.Select(t => t.Track).Distinct().Count());
        Assert.Equal([1, 2, 3, 4, 5], cv.Select(t => t.Fold).Distinct().Order());
        var summary = Affetto.Models.Evaluation.CrossValidationSummary.From(EmotionEnsemble.FoldReports(cv, model.Labels));
        Assert.Equal(model.Provenance.CvAccuracyMean!.Value, summary.Accuracy.Mean, 9);
        Assert.Equal(model.Provenance.CvWeightedF1Mean!.Value, summary.WeightedF1.Mean, 9);
    }

    [Fact]
    public void The_shipped_model_separates_a_calm_tone_from_loud_noise()
    {
        // Not a quality claim, only that the weights are trained: arousal differs in the expected direction.
        var model = EmotionModel.Load(ShippedModel());
        var frontEnd = new EmotionFrontEnd(model.FrontEnd);
        int n = 4 * model.FrontEnd.SampleRate;
        var calm = new float[n];
        var loud = new float[n];
        var random = new Random(1);
        for (int i = 0; i < n; i++)
        {
            calm[i] = 0.05f * MathF.Sin(2 * MathF.PI * 220 * i / model.FrontEnd.SampleRate);
            loud[i] = 0.8f * (float)(random.NextDouble() * 2 - 1);
        }
        double Arousal(float[] y)
        {
            var p = model.PredictProbabilities(frontEnd.Compute(y));
            int segments = p.Length / 4;
            double a = 0;
            for (int s = 0; s < segments; s++) a += p[s * 4] + p[s * 4 + 1] - p[s * 4 + 2] - p[s * 4 + 3];
            return a / segments;
        }
        Assert.True(Arousal(loud) > Arousal(calm), $"arousal of noise {Arousal(loud)} vs tone {Arousal(calm)}");
    }
}
