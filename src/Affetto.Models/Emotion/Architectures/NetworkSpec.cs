using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Affetto.Models.Emotion.Architectures;

/// <summary>
/// Everything needed to rebuild an <see cref="EmotionNetwork"/> (the model file stores it as JSON with snake_case keys,
/// the architecture by its CLI name). Build one with <see cref="For"/> to get each architecture's default width.
/// </summary>
public sealed record NetworkSpec
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    /// <summary>Which network.</summary>
    public Architecture Architecture { get; init; }

    /// <summary>Number of output classes (4 Russell quadrants by default).</summary>
    public int NumClasses { get; init; } = 4;

    /// <summary>Channels of the spectrogram input (1 for a log-mel spectrogram).</summary>
    public int InputChannels { get; init; } = 1;

    /// <summary>Spectrogram height: frequency bins (e.g. mel bands). Unused (0) by <see cref="Architecture.Mlp"/>.</summary>
    public int InputHeight { get; init; }

    /// <summary>Spectrogram width: frames. Unused (0) by <see cref="Architecture.Mlp"/>.</summary>
    public int InputWidth { get; init; }

    /// <summary>Length of the 1-D summary feature vector; 0 when unused (every architecture but Multimodal and Mlp).</summary>
    public int FeatureDim { get; init; }

    /// <summary>
    /// Channel multiplier for cnn4, vgg16, efficientnetv2-narrow and the multimodal spectrogram branch (see
    /// <see cref="DefaultWidth"/>); efficientnetv2-s is always the paper's widths and requires 1.
    /// </summary>
    public double Width { get; init; } = 1.0;

    /// <summary>Dropout probability before the final linear layer(s).</summary>
    public float Dropout { get; init; } = 0.3f;

    /// <summary>EfficientNet stochastic-depth probability of the last block (linearly scaled per block, torchvision's 0.2).</summary>
    public float StochasticDepthProb { get; init; } = 0.2f;

    /// <summary>An ensemble's member networks (null for every other architecture); see <see cref="Ensemble"/>.</summary>
    public IReadOnlyList<NetworkSpec>? Members { get; init; }

    /// <summary>The seeds an ensemble's members were initialised with (rebuilds their untrained networks for maps).</summary>
    public IReadOnlyList<int>? MemberSeeds { get; init; }

    /// <summary>
    /// Whether each member of an ensemble reads its own input (member i the front end's view i; see
    /// <see cref="FrontEnd.FrontEndSettings.Views"/>), so members may take spectrograms of other sizes. False: all
    /// members read the one input of the model.
    /// </summary>
    public bool SeparateInputs { get; init; }

    /// <summary>Whether the architecture reads the spectrogram input (an ensemble: whether any member does).</summary>
    public bool UsesSpectrogram => Architecture == Architecture.Ensemble ? Members?.Any(m => m.UsesSpectrogram) == true : Architecture != Architecture.Mlp;

    /// <summary>Whether the architecture reads the summary feature vector (an ensemble: whether any member does).</summary>
    public bool UsesFeatures => Architecture == Architecture.Ensemble
        ? Members?.Any(m => m.UsesFeatures) == true
        : Architecture is Architecture.Mlp or Architecture.Multimodal;

    /// <summary>
    /// The spec of an ensemble of <paramref name="members"/> (input sizes and classes taken from them; check it with
    /// <see cref="NetworkFactory.Validate"/>).
    /// </summary>
    /// <param name="members">The members' specs, at least two.</param>
    /// <param name="seeds">Each member's initialisation seed.</param>
    /// <param name="separateInputs">Whether each member reads its own input (see <see cref="SeparateInputs"/>).</param>
    public static NetworkSpec Ensemble(IReadOnlyList<NetworkSpec> members, IReadOnlyList<int> seeds, bool separateInputs = false)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(seeds);
        var image = members.FirstOrDefault(m => m.UsesSpectrogram);
        return new NetworkSpec
        {
            Architecture = Architecture.Ensemble,
            NumClasses = members.Count > 0 ? members[0].NumClasses : 0,
            InputChannels = image?.InputChannels ?? 1,
            InputHeight = image?.InputHeight ?? 0,
            InputWidth = image?.InputWidth ?? 0,
            FeatureDim = members.FirstOrDefault(m => m.UsesFeatures)?.FeatureDim ?? 0,
            Dropout = 0,
            Members = members.ToArray(),
            MemberSeeds = seeds.ToArray(),
            SeparateInputs = separateInputs,
        };
    }

    /// <summary>
    /// The default channel multiplier: 0.25 for vgg16 and efficientnetv2-narrow (so they train on a CPU), 1 otherwise.
    /// </summary>
    public static double DefaultWidth(Architecture architecture) => architecture switch
    {
        Architecture.Vgg16 or Architecture.EfficientNetV2Narrow => 0.25,
        _ => 1.0,
    };

    /// <summary>
    /// A spec with the architecture's default width. Pass 0 for the sizes an architecture does not use.
    /// </summary>
    public static NetworkSpec For(Architecture architecture, int inputHeight, int inputWidth, int featureDim = 0, int numClasses = 4) => new()
    {
        Architecture = architecture,
        NumClasses = numClasses,
        InputHeight = architecture == Architecture.Mlp ? 0 : inputHeight,
        InputWidth = architecture == Architecture.Mlp ? 0 : inputWidth,
        FeatureDim = architecture is Architecture.Mlp or Architecture.Multimodal ? featureDim : 0,
        Width = DefaultWidth(architecture),
    };

    /// <summary>Value equality, including an ensemble's members and seeds element by element.</summary>
    public bool Equals(NetworkSpec? other) =>
        other is not null && Architecture == other.Architecture && NumClasses == other.NumClasses && InputChannels == other.InputChannels
        && InputHeight == other.InputHeight && InputWidth == other.InputWidth && FeatureDim == other.FeatureDim && Width.Equals(other.Width)
        && Dropout.Equals(other.Dropout) && StochasticDepthProb.Equals(other.StochasticDepthProb)
        && SequenceEqual(Members, other.Members) && SequenceEqual(MemberSeeds, other.MemberSeeds) && SeparateInputs == other.SeparateInputs;

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(Architecture, NumClasses, InputHeight, InputWidth, FeatureDim, Width, Dropout, Members?.Count ?? -1);

    private static bool SequenceEqual<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);

    // Written out rather than compiler-generated so that a non-ensemble spec prints exactly as it did before ensembles
    // existed: training runs fingerprint this text, and earlier checkpoints must still resume.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Architecture = {Architecture}, NumClasses = {NumClasses}, InputChannels = {InputChannels}, InputHeight = {InputHeight}, ");
        builder.Append($"InputWidth = {InputWidth}, FeatureDim = {FeatureDim}, Width = {Width}, Dropout = {Dropout}, StochasticDepthProb = {StochasticDepthProb}, ");
        builder.Append($"UsesSpectrogram = {UsesSpectrogram}, UsesFeatures = {UsesFeatures}");
        if (Members is not null) builder.Append($", Members = [{string.Join(", ", Members)}]");
        if (MemberSeeds is not null) builder.Append($", MemberSeeds = [{string.Join(", ", MemberSeeds)}]");
        if (SeparateInputs) builder.Append(", SeparateInputs = True");
        return true;
    }

    /// <summary>Serialises to one-line JSON with snake_case keys (architecture as its CLI name).</summary>
    public string ToJson() => JsonSerializer.Serialize(ToDto(), s_json);

    private Dto ToDto() => new()
    {
        Architecture = ArchitectureNames.ToName(Architecture),
        NumClasses = NumClasses,
        InputChannels = InputChannels,
        InputHeight = InputHeight,
        InputWidth = InputWidth,
        FeatureDim = FeatureDim,
        Width = Width,
        Dropout = Dropout,
        StochasticDepthProb = StochasticDepthProb,
        Members = Members?.Select(m => m.ToDto()).ToArray(),
        MemberSeeds = MemberSeeds?.ToArray(),
        SeparateInputs = SeparateInputs ? true : null,
    };

    /// <summary>Parses <see cref="ToJson"/>'s output. Keys other than "architecture" may be absent (defaults apply).</summary>
    /// <exception cref="FormatException">The text is not JSON of this shape, or the architecture is missing/unknown.</exception>
    public static NetworkSpec FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Dto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<Dto>(json, s_json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Network spec JSON is invalid: {e.Message}", e);
        }

        if (dto == null)
        {
            throw new FormatException("Network spec JSON is null.");
        }

        return FromDto(dto, 0);
    }

    private static NetworkSpec FromDto(Dto dto, int depth)
    {
        if (string.IsNullOrWhiteSpace(dto.Architecture))
        {
            throw new FormatException("Network spec JSON has no \"architecture\".");
        }

        if (!ArchitectureNames.TryParse(dto.Architecture, out var architecture))
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"Network spec JSON names unknown architecture '{dto.Architecture}'; expected one of: {string.Join(", ", ArchitectureNames.All)}."));
        }

        var d = new NetworkSpec();
        return new NetworkSpec
        {
            Architecture = architecture,
            NumClasses = dto.NumClasses ?? d.NumClasses,
            InputChannels = dto.InputChannels ?? d.InputChannels,
            InputHeight = dto.InputHeight ?? 0,
            InputWidth = dto.InputWidth ?? 0,
            FeatureDim = dto.FeatureDim ?? 0,
            Width = dto.Width ?? d.Width,
            Dropout = dto.Dropout ?? d.Dropout,
            StochasticDepthProb = dto.StochasticDepthProb ?? d.StochasticDepthProb,
            // Members nest one level only (an ensemble of ensembles is refused by validation, not by the parser's stack).
            Members = dto.Members is null ? null
                : depth > 0 ? throw new FormatException("Network spec JSON nests an ensemble inside an ensemble.")
                : dto.Members.Select(m => FromDto(m ?? throw new FormatException("Network spec JSON has a null ensemble member."), depth + 1)).ToArray(),
            MemberSeeds = dto.MemberSeeds,
            SeparateInputs = dto.SeparateInputs ?? false,
        };
    }

    private sealed class Dto
    {
        public string? Architecture { get; set; }

        public int? NumClasses { get; set; }

        public int? InputChannels { get; set; }

        public int? InputHeight { get; set; }

        public int? InputWidth { get; set; }

        public int? FeatureDim { get; set; }

        public double? Width { get; set; }

        public float? Dropout { get; set; }

        public float? StochasticDepthProb { get; set; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public Dto?[]? Members { get; set; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public int[]? MemberSeeds { get; set; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public bool? SeparateInputs { get; set; }
    }
}
