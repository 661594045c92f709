using System.CommandLine;
using Affetto.Audio.Effects;
using Affetto.Audio.IO;
using Affetto.Cli.Infrastructure;

namespace Affetto.Cli.Commands;

/// <summary><c>affetto segment FILE --length 2 --hop 1 -o DIR</c>: cut files into fixed-length clips.</summary>
internal sealed class SegmentCommand : CommandBase
{
    private readonly Argument<string[]> _inputs = PathsArgument();
    private readonly Option<double> _length = Positive(new Option<double>("--length")
        { Description = "Clip length in seconds", DefaultValueFactory = _ => 2 });
    private readonly Option<double> _hop = Positive(new Option<double>("--hop")
        { Description = "Seconds between clip starts [default: the length, no overlap]" });
    private readonly Option<bool> _pad = new("--pad") { Description = "Keep a short last clip, padded with silence" };
    private readonly Option<int?> _sampleRate = new("--sr") { Description = "Resample to this rate [default: keep the file's]" };
    private readonly Option<string> _output = new("--output", "-o") { Description = "Output folder", Required = true };
    private readonly Option<AudioSampleFormat> _subtype = AudioOptions.Subtype();

    public SegmentCommand(Func<CancellationToken> token)
        : base("segment", "Cut audio into fixed-length clips (e.g. 2 s with 1 s hop, or 5 s with 0.5 s hop)", token)
    {
        Arguments.Add(_inputs);
        Options.Add(_length);
        Options.Add(_hop);
        Options.Add(_pad);
        Options.Add(_sampleRate);
        Options.Add(_output);
        Options.Add(_subtype);
    }

    protected override int Execute(ParseResult parse, CliContext ctx)
    {
        var files = InputExpander.Expand(parse.GetValue(_inputs)!);
        if (files.Count == 0) throw new UserError("no audio files found in the given folders");
        string outDir = parse.GetValue(_output)!;
        double length = parse.GetValue(_length);
        double hop = parse.GetResult(_hop) is null ? length : parse.GetValue(_hop);
        var tail = parse.GetValue(_pad) ? TailPolicy.PadWithZeros : TailPolicy.Drop;
        var format = parse.GetValue(_subtype);
        int? rate = parse.GetValue(_sampleRate);
        Directory.CreateDirectory(outDir);
        var items = BatchRunner.Run(ctx, files, "files", path =>
        {
            var audio = AudioFile.Load(path, sampleRate: rate, mono: true);
            var ranges = Segmenter.Ranges(audio.Samples.Length, audio.SampleRate, length, hop, tail);
            if (ranges.Length == 0)
                throw new UserError($"shorter ({audio.Duration:0.###} s) than one {length} s clip (use --pad to keep it)");
            string stem = Path.GetFileNameWithoutExtension(path);
            var clip = new float[ranges[0].Length];
            for (int i = 0; i < ranges.Length; i++)
            {
                Array.Clear(clip);
                Segmenter.CopySegment(audio.Samples, ranges[i], clip);
                AudioFile.Save(Path.Combine(outDir, $"{stem}_{i:D4}.wav"), clip, audio.SampleRate, 1, format);
            }
            return ranges.Length;
        });
        int total = items.Where(i => i.Succeeded).Sum(i => i.Result);
        ctx.Out.WriteLine($"{total} clips of {length:0.###} s (hop {hop:0.###} s) from {items.Count(i => i.Succeeded)} files in {outDir}");
        return BatchRunner.Finish(ctx, items, "files");
    }
}
