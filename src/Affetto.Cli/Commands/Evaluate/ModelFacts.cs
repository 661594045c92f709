using System.Globalization;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.ModelFile;

namespace Affetto.Cli.Commands.Evaluate;

/// <summary>Display facts about a model: architecture, front end, labels, seed, then its training provenance.</summary>
internal static class ModelFacts
{
    public static List<KeyValuePair<string, string>> Describe(string modelPath, EmotionModel model)
    {
        var spec = model.Spec;
        var facts = new List<KeyValuePair<string, string>>
        {
            new("model_file", modelPath),
            new("architecture", ArchitectureNames.ToName(spec.Architecture)),
            new("width", N(spec.Width)),
            new("parameters", model.Network.ParameterCount().ToString(CultureInfo.InvariantCulture)),
            new("embedding_size", model.Network.EmbeddingSize.ToString(CultureInfo.InvariantCulture)),
            new("labels", string.Join(" ", model.Labels)),
            new("init_seed", model.Seed.ToString(CultureInfo.InvariantCulture)),
            new("front_end", FrontEnd(model.FrontEnd)),
            new("segments", Segments(model.FrontEnd)),
            new("normalisation", Normalisation(model.FrontEnd)),
        };
        facts.AddRange(model.Provenance.ToPairs());
        return facts;
    }

    /// <summary>One line: the image kind and size, the STFT settings, the summary features.</summary>
    public static string FrontEnd(FrontEndSettings f)
    {
        // An ensemble whose members read their own inputs: one description per member's view.
        if (f.Views is { } views)
            return string.Join(" | ", views.Select((v, i) => $"member {i + 1}: {FrontEnd(v)}"));
        var parts = new List<string>();
        if (f.UseSpectrogram)
        {
            string kind = f.Feature switch { SpectrogramKind.Stft => "stft (dB)", SpectrogramKind.Mel => "mel (linear)", _ => "logmel (dB)" };
            string mel = f.Feature == SpectrogramKind.Stft ? "" : $", n_mels {f.NMels}";
            parts.Add($"{kind} {f.SpectrogramHeight}x{f.SpectrogramWidth}, n_fft {f.NFft}, hop {f.HopLength}{mel}");
            if (f.KeptRows is { } kept)
                parts.Add($"energy crop{(f.CropThreshold > 0 ? " " + N(f.CropThreshold) : "")}: {kept.Length} of {f.FullSpectrogramHeight} rows kept");
        }
        if (f.UseSummaryFeatures) parts.Add($"{f.FeatureDim} summary features");
        return string.Join("; ", parts);
    }

    public static string Segments(FrontEndSettings f) =>
        $"{N(f.SegmentSeconds)} s every {N(f.HopSeconds)} s at {f.SampleRate} Hz, mono";

    private static string Normalisation(FrontEndSettings f)
    {
        if (f.Views is { } views) return string.Join(" | ", views.Select(Normalisation).Distinct());
        var parts = new List<string>();
        if (f.SpectrogramMean is not null) parts.Add("per-row image statistics");
        if (f.FeatureMean is not null) parts.Add("per-column feature statistics");
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    private static string N(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
