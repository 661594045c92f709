using System.CommandLine;
using Affetto.Audio.Features;
using Affetto.Audio.IO;
using Affetto.Cli.Infrastructure;
using Affetto.Plotting;

namespace Affetto.Cli.Commands;

/// <summary>What <c>affetto plot</c> draws.</summary>
internal enum PlotKind
{
    /// <summary>Amplitude over time, as an SVG line chart (min/max envelope for long files).</summary>
    Waveform,

    /// <summary>STFT magnitude in dB (relative to the peak) over linear or log frequency, as PNG.</summary>
    Spectrogram,

    /// <summary>Log-mel power in dB over mel-spaced frequency, as PNG.</summary>
    LogMel,
}

/// <summary><c>affetto plot waveform|spectrogram|logmel FILE --out F.png|F.svg</c>.</summary>
internal sealed class PlotCommand : CommandBase
{
    private readonly Argument<PlotKind> _kind = new("KIND") { Description = "waveform (SVG), spectrogram or logmel (PNG)" };
    private readonly Argument<string> _input = new("FILE") { Description = "Audio file" };
    private readonly Option<string> _out = new("--out", "-o") { Description = "Picture to write: .svg for waveform, .png for spectrograms", Required = true };
    private readonly Option<bool> _logFrequency = new("--log-frequency") { Description = "spectrogram: logarithmic frequency axis" };
    private readonly Option<string?> _title = new("--title") { Description = "Title [default: the file name]" };
    private readonly SpectrogramCliOptions _spec = new();

    public PlotCommand(Func<CancellationToken> token)
        : base("plot", "Draw a waveform (SVG), spectrogram or log-mel spectrogram (PNG) of an audio file", token)
    {
        Arguments.Add(_kind);
        Arguments.Add(_input);
        Options.Add(_out);
        Options.Add(_logFrequency);
        Options.Add(_title);
        _spec.AddTo(this);
    }

    protected override int Execute(ParseResult parse, CliContext ctx)
    {
        var kind = parse.GetValue(_kind);
        string input = parse.GetValue(_input)!, output = parse.GetValue(_out)!;
        string wanted = kind == PlotKind.Waveform ? ".svg" : ".png";
        if (!string.Equals(Path.GetExtension(output), wanted, StringComparison.OrdinalIgnoreCase))
            throw new UserError($"{output}: a {kind.ToString().ToLowerInvariant()} plot is written as {wanted}; name the file *{wanted}");
        var options = _spec.Build(parse, power: kind == PlotKind.Spectrogram ? 1f : 2f);
        int? rate = kind == PlotKind.Waveform && parse.GetResult(_spec.SampleRate) is null ? null : options.SampleRate;
        var audio = AudioFile.Load(input, rate, mono: true, parse.GetValue(_spec.Offset), parse.GetValue(_spec.Duration));
        if (audio.Samples.Length == 0) throw new UserError($"{input}: no audio in the requested window");
        string title = parse.GetValue(_title) ?? Path.GetFileName(input);
        AudioOptions.EnsureParentFolder(output);
        switch (kind)
        {
            case PlotKind.Waveform:
                new LineChart { Title = title, XLabel = "Time (s)", YLabel = "Amplitude", ShowLegend = false, YRange = (-1, 1) }
                    .AddWaveform("waveform", audio.Samples, audio.SampleRate)
                    .SaveSvg(output);
                break;
            case PlotKind.Spectrogram:
            {
                var fx = new FeatureExtractor(options, ctx.Warn);
                // Magnitude in dB relative to the loudest bin, floored 80 dB below it (librosa amplitude_to_db(ref=max)).
                var db = Decibels.PowerToDb(fx.Spectrogram(audio.Samples, 2f), DbReference.Max, topDb: 80f);
                new Heatmap
                {
                    Title = title,
                    SecondsPerFrame = options.EffectiveHopLength / (double)options.SampleRate,
                    StartSeconds = parse.GetValue(_spec.Offset),
                    RowToHz = Heatmap.LinearRows(options.SampleRate / (double)options.NFft),
                    YTicks = parse.GetValue(_logFrequency) ? AxisTickMode.Log : AxisTickMode.Linear,
                    ColorBarLabel = "dB (re max)",
                }.SavePng(output, db.Data, db.Rows, db.Columns);
                break;
            }
            default:
            {
                var fx = new FeatureExtractor(options, ctx.Warn);
                var logMel = fx.LogMel(audio.Samples, DbReference.Max);
                new Heatmap
                {
                    Title = title,
                    SecondsPerFrame = options.EffectiveHopLength / (double)options.SampleRate,
                    StartSeconds = parse.GetValue(_spec.Offset),
                    RowToHz = Heatmap.MelRows(options.NMels, options.FMin, options.FMax ?? options.SampleRate / 2.0, options.Htk),
                    ColorBarLabel = "dB (re max)",
                }.SavePng(output, logMel.Data, logMel.Rows, logMel.Columns);
                break;
            }
        }
        ctx.Out.WriteLine($"{output}: {kind.ToString().ToLowerInvariant()} of {input} ({audio.Duration:0.###} s)");
        return ExitCodes.Success;
    }
}
