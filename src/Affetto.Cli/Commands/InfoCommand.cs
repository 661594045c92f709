using System.CommandLine;
using Affetto.Audio.IO;
using Affetto.Cli.Infrastructure;

namespace Affetto.Cli.Commands;

/// <summary><c>affetto info FILE...</c>: format, codec, sample rate, channels and duration of audio files.</summary>
internal sealed class InfoCommand : CommandBase
{
    private readonly Argument<string[]> _paths = PathsArgument();

    private readonly Option<OutputFormat> _format = TextOutput.FormatOption();

    public InfoCommand(Func<CancellationToken> token)
        : base("info", "Print format, codec, sample rate, channels and duration of audio files", token)
    {
        Arguments.Add(_paths);
        Options.Add(_format);
    }

    private sealed record InfoRow(string File, string? Format, string? Codec, int? SampleRate, int? Channels,
        long? Frames, double? Duration, string? Error);

    protected override int Execute(ParseResult parse, CliContext ctx)
    {
        var files = InputExpander.Expand(parse.GetValue(_paths)!);
        if (files.Count == 0) throw new UserError("no audio files found in the given folders");
        var items = BatchRunner.Run(ctx, files, "files", AudioFile.ReadInfo);
        var rows = items.Select(i => i.Result is { } r
            ? new InfoRow(i.Path, r.Format, r.Codec, r.SampleRate, r.Channels, r.Frames, Math.Round(r.Duration, 6), null)
            : new InfoRow(i.Path, null, null, null, null, null, null, i.Error)).ToList();
        switch (parse.GetValue(_format))
        {
            case OutputFormat.Json:
                Json.Write(ctx.Out, rows);
                break;
            case OutputFormat.Csv:
                TextOutput.WriteCsvRow(ctx.Out, ["file", "format", "codec", "sample_rate", "channels", "frames", "duration", "error"]);
                foreach (var r in rows)
                    TextOutput.WriteCsvRow(ctx.Out, [r.File, r.Format ?? "", r.Codec ?? "", r.SampleRate?.ToString() ?? "",
                        r.Channels?.ToString() ?? "", r.Frames?.ToString() ?? "",
                        r.Duration is { } d ? TextOutput.Num(d, 6) : "", r.Error ?? ""]);
                break;
            default:
                TextOutput.WriteTable(ctx.Out, ["file", "format", "codec", "rate", "ch", "duration"],
                    rows.Where(r => r.Error is null).Select(r => (IReadOnlyList<string>)
                    [r.File, r.Format!, r.Codec!, r.SampleRate + " Hz", r.Channels!.Value.ToString(), FormatDuration(r.Duration!.Value)]));
                break;
        }
        return BatchRunner.Finish(ctx, items, "files");
    }

    private static string FormatDuration(double seconds)
    {
        var t = TimeSpan.FromSeconds(seconds);
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t:mm\\:ss\\.fff}" : $"{t:m\\:ss\\.fff}";
    }
}
