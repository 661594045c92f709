using System.Globalization;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Models.Evaluation;

namespace Affetto.Models.Emotion.Ensembles;

/// <summary>What <see cref="EmotionEnsemble.Combine"/> made.</summary>
/// <param name="Model">The ensemble model (an <see cref="EnsembleNetwork"/> over the members' weights).</param>
/// <param name="Scores">The members' and the ensemble's cross-validated scores and how alike the members are.</param>
public sealed record EnsembleResult(EmotionModel Model, EnsembleScores Scores);

/// <summary>What <see cref="EmotionEnsemble.Score"/> found: how the average of some models' predictions would score.</summary>
/// <param name="Members">Each member's cross-validated scores, recomputed from its out-of-fold predictions.</param>
/// <param name="Folds">The average's track-level report on each fold's test tracks.</param>
/// <param name="Summary">The average's mean ± std over folds.</param>
/// <param name="Pairs">For every pair of members, how alike their out-of-fold predictions are (an ensemble gains only
/// where its members err differently).</param>
/// <param name="Predictions">The average's out-of-fold prediction of every track.</param>
public sealed record EnsembleScores(IReadOnlyList<CrossValidationSummary> Members, IReadOnlyList<ClassificationReport> Folds, CrossValidationSummary Summary,
    IReadOnlyList<MemberAgreement> Pairs, IReadOnlyList<OutOfFoldPrediction> Predictions);

/// <summary>How alike two members' out-of-fold predictions are.</summary>
/// <param name="First">Index of the first member.</param>
/// <param name="Second">Index of the second member.</param>
/// <param name="Tracks">Tracks compared.</param>
/// <param name="SamePrediction">Tracks on which both predict the same label.</param>
/// <param name="FirstWrong">Tracks the first member gets wrong.</param>
/// <param name="SecondWrong">Tracks the second member gets wrong.</param>
/// <param name="BothWrong">Tracks both get wrong.</param>
public sealed record MemberAgreement(int First, int Second, int Tracks, int SamePrediction, int FirstWrong, int SecondWrong, int BothWrong);

/// <summary>
/// Combines trained emotion models into one that averages their class probabilities, and scores the combination
/// honestly: every member must carry out-of-fold predictions (<see cref="EmotionModel.CrossValidation"/>) from the same
/// folds (train them with the same <c>--folds</c> and <c>--split-seed</c>), so each track's combined prediction comes
/// only from fold models that never saw it. The members must share their labels and cut the same segments. When the
/// members that read the same kind of input compute it identically (spectrogram settings and statistics, summary
/// features), the ensemble feeds them one input; otherwise each member keeps its own front end as a view
/// (<see cref="FrontEndSettings.Views"/>, <see cref="NetworkSpec.SeparateInputs"/>).
/// </summary>
public static class EmotionEnsemble
{
    /// <summary>Builds the ensemble of <paramref name="members"/> and its cross-validated scores.</summary>
    /// <param name="members">Trained, cross-validated models (at least two).</param>
    /// <param name="names">How to name each member in messages (e.g. its file).</param>
    /// <param name="provenance">The ensemble's provenance (the cross-validated scores are filled in here).</param>
    /// <returns>The model and the scores.</returns>
    /// <exception cref="ArgumentException">The members cannot be combined; the message says which and why.</exception>
    public static EnsembleResult Combine(IReadOnlyList<EmotionModel> members, IReadOnlyList<string> names, ModelProvenance? provenance = null)
    {
        var scores = Score(members, names);
        var first = members[0];
        var (frontEnd, separate) = MergeFrontEnds(members, names);

        var spec = NetworkSpec.Ensemble(members.Select(m => m.Spec).ToArray(), members.Select(m => m.Seed).ToArray(), separate);
        var problems = NetworkFactory.Validate(spec);
        if (problems.Count > 0) throw new ArgumentException($"These models cannot form an ensemble: {string.Join("; ", problems)}.");
        var network = NetworkFactory.Create(spec, first.Seed);
        var state = new Dictionary<string, Nn.Tensors.Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < members.Count; i++)
            foreach (var (key, value) in members[i].Network.StateDict()) state[string.Create(CultureInfo.InvariantCulture, $"members.{i}.{key}")] = value;
        network.LoadStateDict(state, strict: true);
        network.Eval();

        var summary = scores.Summary;
        var facts = (provenance ?? new ModelProvenance()) with
        {
            Folds = scores.Folds.Count,
            CvAccuracyMean = summary.Accuracy.Mean,
            CvAccuracyStd = summary.Accuracy.Std,
            CvWeightedF1Mean = summary.WeightedF1.Mean,
            CvWeightedF1Std = summary.WeightedF1.Std,
        };
        // Each member's training history goes along, marked with the member, so reports can draw its curves.
        var history = members.SelectMany((m, i) => m.History.Select(h => h with { Member = i + 1 })).ToArray();
        var model = new EmotionModel(frontEnd, network, first.Labels, first.Seed, facts, history, scores.Predictions);
        return new EnsembleResult(model, scores);
    }

    /// <summary>
    /// Scores the average of <paramref name="members"/>' probabilities from their out-of-fold predictions without
    /// building a model, so members that cannot run as one network (other spectrogram settings, other segments) can
    /// still be compared: the predictions are per track, whatever produced them.
    /// </summary>
    /// <param name="members">Trained, cross-validated models (at least two) with the same labels and folds.</param>
    /// <param name="names">How to name each member in messages.</param>
    /// <returns>The members' and the average's cross-validated scores.</returns>
    /// <exception cref="ArgumentException">The members cannot be scored together; the message says which and why.</exception>
    public static EnsembleScores Score(IReadOnlyList<EmotionModel> members, IReadOnlyList<string> names)
    {
        CheckMembers(members, names);
        var (folds, memberSummaries) = CrossValidate(members, names, out var combined, out var pairs);
        return new EnsembleScores(memberSummaries, folds, CrossValidationSummary.From(folds), pairs, combined);
    }

    private static void CheckMembers(IReadOnlyList<EmotionModel> members, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(names);
        if (members.Count < 2) throw new ArgumentException("An ensemble needs at least two models.", nameof(members));
        if (names.Count != members.Count) throw new ArgumentException("One name per member is needed.", nameof(names));
        for (int i = 1; i < members.Count; i++)
            if (!members[i].Labels.SequenceEqual(members[0].Labels))
                throw new ArgumentException($"{names[i]}: labels [{string.Join(", ", members[i].Labels)}] differ from {names[0]}'s [{string.Join(", ", members[0].Labels)}].");
    }

    /// <summary>The track-level report of each fold of <paramref name="predictions"/> (folds in ascending order).</summary>
    /// <exception cref="ArgumentException">A prediction's label is not one of <paramref name="labels"/>.</exception>
    public static IReadOnlyList<ClassificationReport> FoldReports(IReadOnlyList<OutOfFoldPrediction> predictions, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(labels);
        return predictions.GroupBy(p => p.Fold).OrderBy(g => g.Key).Select(g =>
        {
            var confusion = new ConfusionMatrix(labels);
            foreach (var p in g) confusion.Add(p.Label, labels[ArgMax(p.Probabilities)]);
            return confusion.ToReport();
        }).ToArray();
    }

    // Each member's scores from its own predictions, then the members' mean probabilities per track, per fold.
    private static (IReadOnlyList<ClassificationReport> Folds, IReadOnlyList<CrossValidationSummary> Members) CrossValidate(
        IReadOnlyList<EmotionModel> members, IReadOnlyList<string> names, out OutOfFoldPrediction[] combined, out MemberAgreement[] pairs)
    {
        var labels = members[0].Labels;
        var maps = new List<Dictionary<string, OutOfFoldPrediction>>();
        var summaries = new List<CrossValidationSummary>();
        for (int i = 0; i < members.Count; i++)
        {
            var cv = members[i].CrossValidation;
            if (cv.Count == 0)
                throw new ArgumentException($"{names[i]}: the model keeps no out-of-fold predictions, so the ensemble cannot be scored; " +
                    "train it with --folds 2 or more (a model trained before they were kept gets them by rerunning its training command with --resume)");
            var map = new Dictionary<string, OutOfFoldPrediction>(StringComparer.Ordinal);
            foreach (var p in cv)
                if (!map.TryAdd(p.Track, p)) throw new ArgumentException($"{names[i]}: track {p.Track} has two out-of-fold predictions.");
            var reports = FoldReports(cv, labels);
            if (reports.Count < 2) throw new ArgumentException($"{names[i]}: its out-of-fold predictions cover {reports.Count} fold; at least two are needed.");
            summaries.Add(CrossValidationSummary.From(reports));
            maps.Add(map);
        }
        for (int i = 1; i < members.Count; i++)
        {
            if (maps[i].Count != maps[0].Count || maps[i].Values.Any(p => !maps[0].TryGetValue(p.Track, out var q) || q.Fold != p.Fold || q.Label != p.Label))
                throw new ArgumentException($"{names[i]} was cross-validated on other folds or tracks than {names[0]}; " +
                    "train every member on the same dataset with the same --folds and --split-seed.");
        }
        combined = maps[0].Values.OrderBy(p => p.Fold).ThenBy(p => p.Track, StringComparer.Ordinal).Select(p =>
        {
            var mean = new float[labels.Count];
            foreach (var map in maps)
            {
                var q = map[p.Track].Probabilities;
                for (int c = 0; c < mean.Length; c++) mean[c] += q[c] / maps.Count;
            }
            return p with { Probabilities = mean };
        }).ToArray();
        var predicted = maps.Select(m => m.ToDictionary(kv => kv.Key, kv => ArgMax(kv.Value.Probabilities))).ToArray();
        var agreements = new List<MemberAgreement>();
        for (int i = 0; i < maps.Count; i++)
            for (int j = i + 1; j < maps.Count; j++)
            {
                int same = 0, wrongI = 0, wrongJ = 0, both = 0;
                foreach (var (track, p) in maps[0])
                {
                    int truth = IndexOf(labels, p.Label), a = predicted[i][track], b = predicted[j][track];
                    if (a == b) same++;
                    if (a != truth) wrongI++;
                    if (b != truth) wrongJ++;
                    if (a != truth && b != truth) both++;
                }
                agreements.Add(new MemberAgreement(i, j, maps[0].Count, same, wrongI, wrongJ, both));
            }
        pairs = agreements.ToArray();
        return (FoldReports(combined, labels), summaries);
    }

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (int i = 0; i < labels.Count; i++) if (labels[i] == label) return i;
        return -1;
    }

    // Ties go to the first label, as in training's track voting.
    private static int ArgMax(IReadOnlyList<float> p)
    {
        int best = 0;
        for (int c = 1; c < p.Count; c++) if (p[c] > p[best]) best = c;
        return best;
    }

    // One front end for all members: they must cut the same segments. When members that read the same kind of input
    // compute and normalise it identically, the ensemble feeds them one batch; otherwise each member keeps its own
    // front end as a view and reads that (separate inputs).
    private static (FrontEndSettings FrontEnd, bool Separate) MergeFrontEnds(IReadOnlyList<EmotionModel> members, IReadOnlyList<string> names)
    {
        var first = members[0].FrontEnd;
        for (int i = 0; i < members.Count; i++)
        {
            var f = members[i].FrontEnd;
            if (f.Views is not null)
                throw new ArgumentException($"{names[i]}: it is an ensemble of members with their own inputs; combine its members instead.");
            if (f.SampleRate != first.SampleRate || f.SegmentSeconds != first.SegmentSeconds || f.HopSeconds != first.HopSeconds)
                throw new ArgumentException($"{names[i]}: its segments ({f.SegmentSeconds} s every {f.HopSeconds} s at {f.SampleRate} Hz) differ from " +
                    $"{names[0]}'s ({first.SegmentSeconds} s every {first.HopSeconds} s at {first.SampleRate} Hz).");
        }
        return MergeSharedInput(members) is { } shared ? (shared, false) : (FrontEndSettings.Composite(members.Select(m => m.FrontEnd).ToArray()), true);
    }

    // The one front end all members can read, or null when two members read differently computed inputs.
    private static FrontEndSettings? MergeSharedInput(IReadOnlyList<EmotionModel> members)
    {
        FrontEndSettings? spectrogram = null, features = null;
        var first = members[0].FrontEnd;
        for (int i = 0; i < members.Count; i++)
        {
            var f = members[i].FrontEnd;
            if (members[i].Spec.UsesSpectrogram)
            {
                var view = SpectrogramPart(f);
                if (spectrogram is null) spectrogram = view;
                else if (!spectrogram.ContentEquals(view)) return null;
            }
            if (members[i].Spec.UsesFeatures)
            {
                var view = FeaturePart(f);
                if (features is null) features = view;
                else if (!features.ContentEquals(view)) return null;
            }
        }
        var merged = spectrogram ?? FeaturePart(first);
        if (features is not null)
            merged = merged with
            {
                UseSummaryFeatures = true,
                ExtendedSummaryFeatures = features.ExtendedSummaryFeatures,
                FeatureMean = features.FeatureMean,
                FeatureStd = features.FeatureStd,
            };
        merged.ThrowIfInvalid();
        return merged;
    }

    private static FrontEndSettings SpectrogramPart(FrontEndSettings f) =>
        f with { UseSpectrogram = true, UseSummaryFeatures = false, ExtendedSummaryFeatures = false, FeatureMean = null, FeatureStd = null };

    // The feature part ignores every spectrogram setting (the summary features depend on the sample rate only).
    private static FrontEndSettings FeaturePart(FrontEndSettings f) =>
        new() { SampleRate = f.SampleRate, SegmentSeconds = f.SegmentSeconds, HopSeconds = f.HopSeconds, UseSpectrogram = false, UseSummaryFeatures = true,
            ExtendedSummaryFeatures = f.ExtendedSummaryFeatures, FeatureMean = f.FeatureMean, FeatureStd = f.FeatureStd };
}
