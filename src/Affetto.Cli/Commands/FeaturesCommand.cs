using System.CommandLine;
using System.Globalization;
using Affetto.Audio.Features;
using Affetto.Audio.IO;
using Affetto.Cli.Infrastructure;

namespace Affetto.Cli.Commands;

/// <summary>What <c>affetto features</c> computes.</summary>
internal enum FeatureKind
{
    /// <summary>STFT magnitude (or power with --power 2), [1 + n_fft/2, frames].</summary>
    Stft,

    /// <summary>Mel power spectrogram, [n_mels, frames].</summary>
    Mel,

    /// <summary>Log-mel in dB (librosa power_to_db, ref 1, amin 1e-10, top_db 80), [n_mels, frames].</summary>
    LogMel,

    /// <summary>MFCC (DCT-II, ortho, of the log-mel), [n_mfcc, frames].</summary>
    Mfcc,

    /// <summary>Chroma from the power STFT, [12, frames].</summary>
    Chroma,

    /// <summary>The 26 one-dimensional features (means over frames), one CSV row per file.</summary>
    Summary,
}

/// <summary>
/// <c>affetto features PATH... --kind stft|mel|logmel|mfcc|chroma|summary</c>: matrices as NumPy <c>.npy</c>
/// (float32, [bins, frames]); the summary as CSV, one row per file, streamed so long files use little memory.
/// </summary>
internal sealed class FeaturesCommand : CommandBase
{
    private readonly Argument<string[]> _paths = PathsArgument();
    private readonly Option<FeatureKind> _kind = new("--kind", "-k")
    {
        Description = "stft, mel, logmel, mfcc, chroma or summary",
        DefaultValueFactory = _ => FeatureKind.LogMel,
    };
    private readonly Option<float?> _power = new("--power") { Description = "Exponent of the STFT magnitude [default: 1 for stft, 2 otherwise]" };
    private readonly Option<bool> _extended = new("--extended")
    {
        Description = "summary: add standard deviations, spectral contrast, flatness and tempo",
    };
    private readonly Option<string?> _output = new("--output", "-o")
    {
        Description = "Folder for .npy files [default: .]; for summary a CSV file [default: standard output]",
    };
    private readonly SpectrogramCliOptions _spec = new();

    public FeaturesCommand(Func<CancellationToken> token)
        : base("features", "Compute STFT, mel, log-mel, MFCC, chroma or the 26 summary features", token)
    {
        Arguments.Add(_paths);
        Options.Add(_kind);
        Options.Add(_power);
        Options.Add(_extended);
        Options.Add(_output);
        _spec.AddTo(this);
        _power.Validators.Add(r =>
        {
            if (r.GetValue(_power) is { } p && !(p > 0 && float.IsFinite(p))) r.AddError($"--power must be positive (got {p})");
        });
    }

    protected override int Execute(ParseResult parse, CliContext ctx)
    {
        var files = InputExpander.Expand(parse.GetValue(_paths)!);
        if (files.Count == 0) throw new UserError("no audio files found in the given folders");
        var kind = parse.GetValue(_kind);
        float power = parse.GetValue(_power) ?? (kind == FeatureKind.Stft ? 1f : 2f);
        var options = _spec.Build(parse, power);
        double offset = parse.GetValue(_spec.Offset);
        double? duration = parse.GetValue(_spec.Duration);
        return kind == FeatureKind.Summary
            ? WriteSummaries(ctx, files, options, parse.GetValue(_extended), offset, duration, parse.GetValue(_output))
            : WriteMatrices(ctx, files, kind, options, offset, duration, parse.GetValue(_output) ?? ".");
    }

    private static int WriteMatrices(CliContext ctx, IReadOnlyList<string> files, FeatureKind kind,
        SpectrogramOptions options, double offset, double? duration, string folder)
    {
        Directory.CreateDirectory(folder);
        var names = OutputNames(files, "." + kind.ToString().ToLowerInvariant() + ".npy");
        var extractor = new FeatureExtractor(options, warning => ctx.Warn(warning));
        var items = BatchRunner.Run(ctx, files, "files", path =>
        {
            var audio = AudioFile.Load(path, options.SampleRate, mono: true, offset, duration);
            var m = kind switch
            {
                FeatureKind.Stft => extractor.Spectrogram(audio.Samples, options.Power),
                FeatureKind.Mel => extractor.MelSpectrogram(audio.Samples),
                FeatureKind.LogMel => extractor.LogMel(audio.Samples),
                FeatureKind.Mfcc => extractor.Mfcc(audio.Samples),
                FeatureKind.Chroma => extractor.ChromaStft(audio.Samples),
                _ => throw new InvalidOperationException($"unexpected kind {kind}"),
            };
            string target = Path.Combine(folder, names[path]);
            NpyWriter.Write(target, m.Data, [m.Rows, m.Columns]);
            return (target, m.Rows, m.Columns);
        });
        foreach (var i in items.Where(i => i.Succeeded))
            ctx.Out.WriteLine($"{i.Result.target}  [{i.Result.Rows}, {i.Result.Columns}]");
        return BatchRunner.Finish(ctx, items, "files");
    }

    private static int WriteSummaries(CliContext ctx, IReadOnlyList<string> files, SpectrogramOptions options,
        bool extended, double offset, double? duration, string? csvPath)
    {
        var items = BatchRunner.Run(ctx, files, "files", path =>
        {
            // Streamed block by block: a one-hour file never sits in memory whole.
            using var reader = AudioStreamReader.Open(path, options.SampleRate, mono: true, offset, duration);
            var accumulator = new SummaryFeatureAccumulator(options, extended);
            var block = new float[1 << 16];
            int n;
            while ((n = reader.Read(block)) > 0)
            {
                ctx.Cancellation.ThrowIfCancellationRequested();
                accumulator.Push(block.AsSpan(0, n));
            }
            if (accumulator.SamplesPushed == 0) throw new UserError("no audio in the requested window");
            return accumulator.Finish();
        });
        var columns = SummaryFeatures.ColumnNames(extended, options.NMfcc);
        TextWriter w = ctx.Out;
        StreamWriter? file = null;
        if (csvPath is not null)
        {
            AudioOptions.EnsureParentFolder(csvPath);
            w = file = new StreamWriter(csvPath);
        }
        using (file)
        {
            TextOutput.WriteCsvRow(w, ["file", .. columns]);
            foreach (var i in items.Where(i => i.Succeeded))
                TextOutput.WriteCsvRow(w, [i.Path, .. i.Result!.Select(v => v.ToString("R", CultureInfo.InvariantCulture))]);
        }
        if (csvPath is not null)
            ctx.Out.WriteLine($"{csvPath}: {items.Count(i => i.Succeeded)} rows x {columns.Count} features");
        return BatchRunner.Finish(ctx, items, "files");
    }

    /// <summary>
    /// Output file names: the input's name plus <paramref name="suffix"/>; inputs that share a name get
    /// -2, -3, ... in input order, so nothing is overwritten.
    /// </summary>
    internal static Dictionary<string, string> OutputNames(IReadOnlyList<string> files, string suffix)
    {
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            if (names.ContainsKey(f)) continue;
            string stem = Path.GetFileNameWithoutExtension(f);
            int k = used[stem] = used.GetValueOrDefault(stem) + 1;
            names[f] = (k == 1 ? stem : $"{stem}-{k}") + suffix;
        }
        return names;
    }
}
