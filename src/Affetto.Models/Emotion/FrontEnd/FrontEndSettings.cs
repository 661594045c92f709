using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Affetto.Audio.Features;
using Affetto.Audio.Filters;

namespace Affetto.Models.Emotion.FrontEnd;

/// <summary>
/// Everything that turns samples into model inputs, stored inside every emotion model so that training and
/// inference compute exactly the same inputs. Defaults follow the seed paper: 22050 Hz mono, 2 s segments every
/// 1 s, an STFT of 512 samples with 50% overlap (hop 256) in decibels.
/// </summary>
/// <remarks>
/// Spectrogram normalisation statistics are per frequency row (over all frames of all training segments);
/// summary-feature statistics are per feature column. Both are computed on the training side only and are null
/// (no normalisation) until set. JSON uses snake_case names (<see cref="ToJson"/>).
/// </remarks>
public sealed record FrontEndSettings
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = false,
    };

    /// <summary>Sampling rate the audio is resampled to (22050 Hz).</summary>
    public int SampleRate { get; init; } = 22050;

    /// <summary>Segment (window) length in seconds (2).</summary>
    public double SegmentSeconds { get; init; } = 2;

    /// <summary>Hop between segment starts in seconds (1).</summary>
    public double HopSeconds { get; init; } = 1;

    /// <summary>Whether spectrogram images are computed (false for feature-only networks such as the MLP).</summary>
    public bool UseSpectrogram { get; init; } = true;

    /// <summary>Spectrogram kind (STFT in dB).</summary>
    public SpectrogramKind Feature { get; init; } = SpectrogramKind.Stft;

    /// <summary>FFT size (512).</summary>
    public int NFft { get; init; } = 512;

    /// <summary>Hop between STFT frames (256 = 50% overlap).</summary>
    public int HopLength { get; init; } = 256;

    /// <summary>Window length (null = NFft).</summary>
    public int? WinLength { get; init; }

    /// <summary>Mel bands for <see cref="SpectrogramKind.Mel"/> and <see cref="SpectrogramKind.LogMel"/> (64: with NFft 512 more bands would leave empty filters).</summary>
    public int NMels { get; init; } = 64;

    /// <summary>Lowest mel edge in Hz (0).</summary>
    public double FMin { get; init; }

    /// <summary>Highest mel edge in Hz (null = SampleRate / 2).</summary>
    public double? FMax { get; init; }

    /// <summary>HTK mel scale instead of Slaney (false).</summary>
    public bool Htk { get; init; }

    /// <summary>Mel filter normalisation (Slaney).</summary>
    public MelNorm Norm { get; init; } = MelNorm.Slaney;

    /// <summary>Dynamic range kept below each segment's maximum by the decibel conversion (80 dB; null = none).</summary>
    public float? TopDb { get; init; } = 80f;

    /// <summary>Exponent of the STFT magnitude (2 = power).</summary>
    public float Power { get; init; } = 2f;

    /// <summary>Whether the per-segment summary feature vector is computed (needed by the MLP and multimodal networks).</summary>
    public bool UseSummaryFeatures { get; init; }

    /// <summary>Extended summary features (69 columns) instead of the 26 GTZAN-style means.</summary>
    public bool ExtendedSummaryFeatures { get; init; }

    /// <summary>
    /// The energy-crop threshold (of the normalised magnitude, in [0, 1]) that chose <see cref="KeptRows"/>; 0 = no crop.
    /// Informational: the crop itself is <see cref="KeptRows"/>.
    /// </summary>
    public float CropThreshold { get; init; }

    /// <summary>
    /// The frequency rows kept by a dataset-level energy crop (ascending indices into the full image), or null to keep
    /// every row. Fixed at training time (rows that reach the threshold in some training segment), so every input has
    /// the same shape.
    /// </summary>
    public int[]? KeptRows { get; init; }

    /// <summary>Per-row mean of the spectrogram image (length = image height), or null for no normalisation.</summary>
    public float[]? SpectrogramMean { get; init; }

    /// <summary>Per-row standard deviation of the spectrogram image (length = image height), or null.</summary>
    public float[]? SpectrogramStd { get; init; }

    /// <summary>Per-column mean of the summary features, or null for no normalisation.</summary>
    public float[]? FeatureMean { get; init; }

    /// <summary>Per-column standard deviation of the summary features, or null.</summary>
    public float[]? FeatureStd { get; init; }

    /// <summary>
    /// The inputs of an ensemble whose members read different spectrograms: view i is member i's own front end, and
    /// every segment is computed once per distinct view. All views cut the segments of these settings (sample rate,
    /// segment length and hop), which compute nothing themselves (<see cref="UseSpectrogram"/> and
    /// <see cref="UseSummaryFeatures"/> false). Null for every other model.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FrontEndSettings[]? Views { get; init; }

    /// <summary>Settings that compute <paramref name="views"/> (at least one; all cutting the same segments).</summary>
    /// <exception cref="ArgumentException">The views are invalid or cut different segments.</exception>
    public static FrontEndSettings Composite(IReadOnlyList<FrontEndSettings> views)
    {
        ArgumentNullException.ThrowIfNull(views);
        if (views.Count == 0) throw new ArgumentException("At least one view is needed.", nameof(views));
        var s = new FrontEndSettings
        {
            SampleRate = views[0].SampleRate, SegmentSeconds = views[0].SegmentSeconds, HopSeconds = views[0].HopSeconds,
            UseSpectrogram = false, UseSummaryFeatures = false, Views = views.ToArray(),
        };
        s.ThrowIfInvalid();
        return s;
    }

    /// <summary>Segment length in samples.</summary>
    [JsonIgnore] public int SegmentSamples => (int)Math.Round(SegmentSeconds * SampleRate);

    /// <summary>Height of the uncropped image: 1 + NFft/2 for STFT, NMels for mel kinds; 0 without spectrograms.</summary>
    [JsonIgnore] public int FullSpectrogramHeight => !UseSpectrogram ? 0 : Feature == SpectrogramKind.Stft ? NFft / 2 + 1 : NMels;

    /// <summary>Image height: the kept rows' count after a crop, else <see cref="FullSpectrogramHeight"/>.</summary>
    [JsonIgnore] public int SpectrogramHeight => !UseSpectrogram ? 0 : KeptRows?.Length ?? FullSpectrogramHeight;

    /// <summary>Image width: frames of one centred segment (1 + segmentSamples / HopLength); 0 without spectrograms.</summary>
    [JsonIgnore] public int SpectrogramWidth => !UseSpectrogram ? 0 : 1 + SegmentSamples / HopLength;

    /// <summary>Summary feature count (26 or 69); 0 when not used.</summary>
    [JsonIgnore] public int FeatureDim => !UseSummaryFeatures ? 0 : SummaryFeatures.ColumnNames(ExtendedSummaryFeatures).Count;

    /// <summary>The spectrogram options of the images.</summary>
    public SpectrogramOptions ToSpectrogramOptions() => new()
    {
        SampleRate = SampleRate, NFft = NFft, HopLength = HopLength, WinLength = WinLength, NMels = NMels, FMin = FMin,
        FMax = FMax, Htk = Htk, Norm = Norm, TopDb = TopDb, Power = Power, NMfcc = Math.Min(20, NMels),
    };

    /// <summary>The options of the summary features: librosa's defaults (NFft 2048, hop 512, 128 mels, 20 MFCCs) at <see cref="SampleRate"/>.</summary>
    public SpectrogramOptions ToSummaryOptions() => new() { SampleRate = SampleRate };

    /// <summary>Checks every setting and returns all problems (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var p = new List<string>();
        if (SampleRate < 1000) p.Add($"SampleRate must be at least 1000 Hz (got {SampleRate}).");
        if (!(SegmentSeconds > 0) || !double.IsFinite(SegmentSeconds)) p.Add($"SegmentSeconds must be positive (got {SegmentSeconds}).");
        if (!(HopSeconds > 0) || !double.IsFinite(HopSeconds)) p.Add($"HopSeconds must be positive (got {HopSeconds}).");
        // The segmenter rounds both to whole samples and needs them in 1..int.MaxValue.
        if (SampleRate >= 1000 && SegmentSeconds > 0 && double.IsFinite(SegmentSeconds) && SegmentSeconds * SampleRate >= int.MaxValue)
            p.Add($"SegmentSeconds ({SegmentSeconds}) is too long: more than {int.MaxValue} samples at {SampleRate} Hz.");
        if (SampleRate >= 1000 && HopSeconds > 0 && double.IsFinite(HopSeconds))
        {
            if (Math.Round(HopSeconds * SampleRate) < 1) p.Add($"HopSeconds ({HopSeconds}) is shorter than one sample at {SampleRate} Hz.");
            else if (HopSeconds * SampleRate >= int.MaxValue) p.Add($"HopSeconds ({HopSeconds}) is too long: more than {int.MaxValue} samples at {SampleRate} Hz.");
        }
        if (UseSummaryFeatures && ExtendedSummaryFeatures && SampleRate <= 12800)
            p.Add($"Extended summary features need a sample rate above 12800 Hz (spectral contrast's top band starts at 6400 Hz); got {SampleRate}.");
        if (Views is not null)
        {
            ValidateViews(p);
            return p;
        }
        if (!UseSpectrogram && !UseSummaryFeatures) p.Add("At least one of UseSpectrogram and UseSummaryFeatures must be set.");
        if (!Enum.IsDefined(Feature)) p.Add($"Feature {(int)Feature} is not a known spectrogram kind.");
        if (HopLength < 1) p.Add($"HopLength must be at least 1 (got {HopLength}).");
        if (!(CropThreshold >= 0 && CropThreshold <= 1)) p.Add($"CropThreshold must be in [0, 1] (got {CropThreshold}).");
        if (SampleRate >= 1000 && SegmentSeconds > 0 && SegmentSeconds * SampleRate < NFft)
            p.Add($"SegmentSeconds ({SegmentSeconds}) is shorter than one FFT window of {NFft} samples.");
        foreach (string s in ToSpectrogramOptions().Validate()) p.Add(s);
        if (KeptRows is { } kept && UseSpectrogram)
        {
            if (kept.Length == 0) p.Add("KeptRows must keep at least one row.");
            for (int i = 0; i < kept.Length; i++)
                if (kept[i] < 0 || kept[i] >= FullSpectrogramHeight || (i > 0 && kept[i] <= kept[i - 1]))
                {
                    p.Add($"KeptRows must be ascending row indices below {FullSpectrogramHeight} (got {kept[i]} at position {i}).");
                    break;
                }
        }
        if (SampleRate >= 1000 && SegmentSeconds > 0 && double.IsFinite(SegmentSeconds) && SegmentSeconds * SampleRate < int.MaxValue && UseSpectrogram)
        {
            CheckStats(p, nameof(SpectrogramMean), SpectrogramMean, SpectrogramHeight, positive: false);
            CheckStats(p, nameof(SpectrogramStd), SpectrogramStd, SpectrogramHeight, positive: true);
        }
        if (UseSummaryFeatures)
        {
            CheckStats(p, nameof(FeatureMean), FeatureMean, FeatureDim, positive: false);
            CheckStats(p, nameof(FeatureStd), FeatureStd, FeatureDim, positive: true);
        }
        if ((SpectrogramMean is null) != (SpectrogramStd is null)) p.Add("SpectrogramMean and SpectrogramStd must be both set or both null.");
        if ((FeatureMean is null) != (FeatureStd is null)) p.Add("FeatureMean and FeatureStd must be both set or both null.");
        return p;
    }

    private void ValidateViews(List<string> p)
    {
        if (UseSpectrogram || UseSummaryFeatures) p.Add("Settings with views compute nothing themselves: UseSpectrogram and UseSummaryFeatures must be false.");
        if (Views!.Length == 0) p.Add("Views must hold at least one view.");
        for (int i = 0; i < Views.Length; i++)
        {
            var v = Views[i];
            if (v is null) { p.Add($"View {i} is null."); continue; }
            if (v.Views is not null) { p.Add($"View {i} has views of its own."); continue; }
            foreach (string problem in v.Validate()) p.Add($"View {i}: {problem}");
            if (v.SampleRate != SampleRate || v.SegmentSeconds != SegmentSeconds || v.HopSeconds != HopSeconds)
                p.Add($"View {i} cuts {v.SegmentSeconds} s every {v.HopSeconds} s at {v.SampleRate} Hz, not {SegmentSeconds} s every {HopSeconds} s at {SampleRate} Hz.");
        }
    }

    private static void CheckStats(List<string> p, string name, float[]? v, int length, bool positive)
    {
        if (v is null) return;
        if (v.Length != length) p.Add($"{name} has {v.Length} values but {length} are needed.");
        foreach (float x in v)
            if (!float.IsFinite(x) || (positive && !(x > 0))) { p.Add($"{name} contains {x}, which is not {(positive ? "positive and " : "")}finite."); break; }
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem found by <see cref="Validate"/>.</summary>
    public void ThrowIfInvalid()
    {
        var p = Validate();
        if (p.Count > 0) throw new ArgumentException("Invalid front-end settings: " + string.Join(" ", p));
    }

    /// <summary>These settings without normalisation statistics.</summary>
    public FrontEndSettings WithoutStatistics() =>
        this with { SpectrogramMean = null, SpectrogramStd = null, FeatureMean = null, FeatureStd = null, Views = Views?.Select(v => v.WithoutStatistics()).ToArray() };

    /// <summary>
    /// A short hex digest of everything that changes the raw (unnormalised) inputs: the cache key of feature files.
    /// </summary>
    public string RawKey()
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes("affetto-frontend-v1|" + WithoutStatistics().ToJson()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    /// <summary>Serialises to compact snake_case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Reads settings written by <see cref="ToJson"/> and validates them.</summary>
    /// <exception cref="JsonException">Invalid JSON or invalid settings.</exception>
    public static FrontEndSettings FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var s = JsonSerializer.Deserialize<FrontEndSettings>(json, s_json) ?? throw new JsonException("front-end settings JSON is null.");
        var problems = s.Validate();
        if (problems.Count > 0) throw new JsonException("Invalid front-end settings: " + string.Join(" ", problems));
        return s;
    }

    /// <summary>Value equality including the statistics arrays (records compare arrays by reference).</summary>
    public bool ContentEquals(FrontEndSettings? other) => other is not null && ToJson() == other.ToJson();
}
