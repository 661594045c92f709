using System.Text.Json;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Models.Emotion.Training;
using Affetto.Models.Tests.Support;
using Xunit;

namespace Affetto.Models.Tests.Training;

public sealed class MixupTests
{
    [Theory]
    [InlineData(0.0, 8)]
    [InlineData(0.4, 1)]
    [InlineData(0.4, 0)]
    public void Off_when_alpha_is_zero_or_the_batch_has_one_row(double alpha, int count) =>
        Assert.Null(Mixup.Draw(alpha, count, new Random(1)));

    [Fact]
    public void A_draw_weights_each_row_at_least_one_half_and_pairs_rows_by_a_permutation()
    {
        var random = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            var mix = Mixup.Draw(0.4, 10, random)!;
            Assert.InRange(mix.Lambda, 0.5f, 1f);
            Assert.Equal(Enumerable.Range(0, 10), mix.Partners.Order());
        }
    }

    [Fact]
    public void Apply_mixes_each_row_with_its_partner()
    {
        var mix = Mixup.Draw(1.0, 4, new Random(7))!;
        float[] rows = [1, 2, 10, 20, 100, 200, 1000, 2000];
        float[] original = rows.ToArray();
        mix.Apply(rows, 2);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 2; j++)
            {
                float expected = mix.Lambda * original[i * 2 + j] + (1 - mix.Lambda) * original[mix.Partners[i] * 2 + j];
                Assert.Equal(expected, rows[i * 2 + j], 3);
            }
        Assert.Throws<ArgumentException>(() => mix.Apply(new float[7], 2));
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.4)]
    [InlineData(2.0)]
    public void Symmetric_beta_draws_have_the_beta_mean_and_variance(double alpha)
    {
        var random = new Random(11);
        const int n = 40_000;
        var x = Enumerable.Range(0, n).Select(_ => RandomDraws.SymmetricBeta(alpha, random)).ToArray();
        Assert.All(x, v => Assert.InRange(v, 0, 1));
        double mean = x.Average(), variance = x.Select(v => (v - mean) * (v - mean)).Sum() / (n - 1);
        double expectedVariance = 1 / (4 * (2 * alpha + 1));
        Assert.InRange(mean, 0.5 - 0.01, 0.5 + 0.01);
        Assert.InRange(variance, expectedVariance * 0.95, expectedVariance * 1.05);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3.0)]
    public void Gamma_draws_have_the_gamma_mean_and_variance(double shape)
    {
        var random = new Random(13);
        const int n = 40_000;
        var x = Enumerable.Range(0, n).Select(_ => RandomDraws.Gamma(shape, random)).ToArray();
        double mean = x.Average(), variance = x.Select(v => (v - mean) * (v - mean)).Sum() / (n - 1);
        Assert.InRange(mean, shape * 0.97, shape * 1.03);
        Assert.InRange(variance, shape * 0.93, shape * 1.07);
    }

    [Fact]
    public void Options_leave_mixup_out_of_the_run_fingerprint_only_when_it_is_off()
    {
        var json = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        Assert.DoesNotContain("mixup", JsonSerializer.Serialize(new TrainingOptions(), json));
        Assert.Contains("\"mixup\":0.4", JsonSerializer.Serialize(new TrainingOptions { Mixup = 0.4 }, json));
        Assert.Contains(new TrainingOptions { Mixup = -1 }.Validate(), p => p.Contains("mixup", StringComparison.Ordinal));
        Assert.Contains(new TrainingOptions { Mixup = double.NaN }.Validate(), p => p.Contains("mixup", StringComparison.Ordinal));
    }

    [Fact]
    public void Cnn4_trained_with_mixup_still_learns_separable_tones()
    {
        using var dir = new TempDir();
        var (table, all, newModel) = SyntheticEmotionData.Prepared(dir.Path);
        var options = new TrainingOptions
        {
            Epochs = 8, BatchSize = 16, LearningRate = 3e-3, SegmentsPerTrack = 4, Patience = 0, ValidationFraction = 0, Seed = 5, Mixup = 0.4,
        };
        var run = new Trainer(table, options).Fit(newModel(), all, null);
        double after = new Trainer(table, options).Evaluate(run.Model, all).Accuracy;
        Assert.True(after >= 0.9, $"track accuracy after training with mixup {after}");
        Assert.True(run.History[^1].TrainLoss < run.History[0].TrainLoss);

        // The same run without mixup sees other inputs and targets, so its first epoch's loss differs.
        var plain = new Trainer(table, options with { Mixup = 0 }).Fit(newModel(), all, null);
        Assert.NotEqual(plain.History[0].TrainLoss, run.History[0].TrainLoss, 6);
    }
}
