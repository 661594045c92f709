using System.Globalization;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Emotion.Architectures;

/// <summary>Builds and validates emotion-recognition networks.</summary>
public static class NetworkFactory
{
    /// <summary>Smallest spectrogram side the four 2×2 max-pools of cnn4 and the multimodal branch accept.</summary>
    public const int Cnn4MinimumSide = 16;

    /// <summary>
    /// Builds the network of <paramref name="spec"/> with every random initialisation (and dropout / stochastic-depth
    /// masks) drawn from one <see cref="Generator"/> seeded with <paramref name="seed"/>: the same spec and seed give
    /// the same weights.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is invalid; the message lists every problem.</exception>
    public static EmotionNetwork Create(NetworkSpec spec, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = Validate(spec);
        if (problems.Count > 0)
        {
            throw new ArgumentException(
                $"Invalid {DescribeArchitecture(spec.Architecture)} network spec: {string.Join("; ", problems)}.", nameof(spec));
        }

        if (spec.Architecture == Architecture.Ensemble)
            return new EnsembleNetwork(spec, spec.Members!.Select((m, i) => Create(m, spec.MemberSeeds![i])).ToArray());
        var g = new Generator(seed);
        return spec.Architecture switch
        {
            Architecture.Cnn4 => new Cnn4Network(spec, g),
            Architecture.Vgg16 => new Vgg16Network(spec, g),
            Architecture.EfficientNetV2S or Architecture.EfficientNetV2Narrow => new EfficientNetV2Network(spec, g),
            Architecture.Multimodal => new MultimodalNetwork(spec, g),
            Architecture.Mlp => new MlpNetwork(spec, g),
            _ => throw new ArgumentException($"Undefined architecture value {(int)spec.Architecture}.", nameof(spec)),
        };
    }

    /// <summary>Every problem with <paramref name="spec"/> (empty when it is valid).</summary>
    public static IReadOnlyList<string> Validate(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var p = new List<string>();
        var ci = CultureInfo.InvariantCulture;
        if (!Enum.IsDefined(spec.Architecture))
        {
            p.Add(string.Create(ci, $"architecture value {(int)spec.Architecture} is undefined"));
            return p;
        }

        if (spec.Architecture == Architecture.Ensemble)
        {
            ValidateEnsemble(spec, p);
            return p;
        }

        if (spec.SeparateInputs)
        {
            p.Add("separate_inputs is for ensembles only");
        }

        if (spec.NumClasses < 2)
        {
            p.Add(string.Create(ci, $"num_classes must be at least 2, got {spec.NumClasses}"));
        }

        if (!(spec.Dropout >= 0f && spec.Dropout < 1f))
        {
            p.Add(string.Create(ci, $"dropout must be in [0, 1), got {spec.Dropout}"));
        }

        if (!(spec.StochasticDepthProb >= 0f && spec.StochasticDepthProb < 1f))
        {
            p.Add(string.Create(ci, $"stochastic_depth_prob must be in [0, 1), got {spec.StochasticDepthProb}"));
        }

        if (!(spec.Width > 0 && spec.Width <= 16 && double.IsFinite(spec.Width)))
        {
            p.Add(string.Create(ci, $"width must be in (0, 16], got {spec.Width}"));
        }
        else if (spec.Architecture == Architecture.EfficientNetV2S && spec.Width != 1.0)
        {
            p.Add(string.Create(ci, $"efficientnetv2-s has the paper's fixed widths, so width must be 1 (got {spec.Width}; use efficientnetv2-narrow to scale)"));
        }

        if (spec.UsesSpectrogram)
        {
            if (spec.InputChannels < 1)
            {
                p.Add(string.Create(ci, $"input_channels must be at least 1, got {spec.InputChannels}"));
            }

            int min = spec.Architecture is Architecture.Cnn4 or Architecture.Multimodal ? Cnn4MinimumSide : 1;
            string why = min > 1 ? " (four 2x2 max-pools)" : string.Empty;
            if (spec.InputHeight < min)
            {
                p.Add(string.Create(ci, $"input_height (frequency bins) must be at least {min}{why}, got {spec.InputHeight}"));
            }

            if (spec.InputWidth < min)
            {
                p.Add(string.Create(ci, $"input_width (frames) must be at least {min}{why}, got {spec.InputWidth}"));
            }
        }
        else if (spec.InputHeight != 0 || spec.InputWidth != 0)
        {
            p.Add(string.Create(ci, $"mlp uses no spectrogram, so input_height and input_width must be 0 (got {spec.InputHeight} x {spec.InputWidth})"));
        }

        if (spec.UsesFeatures)
        {
            if (spec.FeatureDim < 1)
            {
                p.Add(string.Create(ci, $"feature_dim must be at least 1, got {spec.FeatureDim}"));
            }
        }
        else if (spec.FeatureDim != 0)
        {
            p.Add(string.Create(ci, $"{ArchitectureNames.ToName(spec.Architecture)} uses no summary features, so feature_dim must be 0 (got {spec.FeatureDim})"));
        }

        return p;
    }

    private static void ValidateEnsemble(NetworkSpec spec, List<string> p)
    {
        var ci = CultureInfo.InvariantCulture;
        if (spec.Members is not { Count: >= 2 } members)
        {
            p.Add("an ensemble needs at least two members");
            return;
        }

        if (spec.MemberSeeds is null || spec.MemberSeeds.Count != members.Count)
            p.Add(string.Create(ci, $"an ensemble of {members.Count} members needs {members.Count} member seeds, got {spec.MemberSeeds?.Count ?? 0}"));
        for (int i = 0; i < members.Count; i++)
        {
            var m = members[i];
            if (m is null)
            {
                p.Add(string.Create(ci, $"member {i} is null"));
                continue;
            }

            if (m.Architecture == Architecture.Ensemble)
            {
                p.Add(string.Create(ci, $"member {i} is itself an ensemble; list its members instead"));
                continue;
            }

            foreach (string problem in Validate(m)) p.Add(string.Create(ci, $"member {i}: {problem}"));
            if (m.NumClasses != spec.NumClasses)
                p.Add(string.Create(ci, $"member {i} has {m.NumClasses} classes, the ensemble {spec.NumClasses}"));
            // Members with separate inputs each read their own view; otherwise they share the model's one input.
            if (!spec.SeparateInputs && m.UsesSpectrogram && (m.InputChannels, m.InputHeight, m.InputWidth) != (spec.InputChannels, spec.InputHeight, spec.InputWidth))
                p.Add(string.Create(ci, $"member {i} takes {m.InputChannels}x{m.InputHeight}x{m.InputWidth} spectrograms, the ensemble {spec.InputChannels}x{spec.InputHeight}x{spec.InputWidth}"));
            if (!spec.SeparateInputs && m.UsesFeatures && m.FeatureDim != spec.FeatureDim)
                p.Add(string.Create(ci, $"member {i} takes {m.FeatureDim} features, the ensemble {spec.FeatureDim}"));
        }
    }

    private static string DescribeArchitecture(Architecture a) => Enum.IsDefined(a) ? ArchitectureNames.ToName(a) : "unknown";
}
