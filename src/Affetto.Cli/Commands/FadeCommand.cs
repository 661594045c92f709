using System.CommandLine;
using Affetto.Audio.Effects;
using Affetto.Audio.IO;
using Affetto.Cli.Infrastructure;

namespace Affetto.Cli.Commands;

/// <summary><c>affetto fade FILE --in 2 --out 3 -o OUT.wav</c>: fade a file in and out.</summary>
internal sealed class FadeCommand : CommandBase
{
    private readonly Argument<string> _input = new("FILE") { Description = "Audio file to fade" };
    private readonly Option<double> _in = NonNegative(new Option<double>("--in") { Description = "Fade-in length in seconds" });
    private readonly Option<double> _out = NonNegative(new Option<double>("--out") { Description = "Fade-out length in seconds" });
    private readonly Option<FadeCurve> _curve = new("--curve")
    {
        Description = "Fade curve: Linear, Exponential, Logarithmic, EqualPower or SCurve",
        DefaultValueFactory = _ => FadeCurve.Linear,
    };
    private readonly Option<string> _output = AudioOptions.OutputFile();
    private readonly Option<AudioSampleFormat> _subtype = AudioOptions.Subtype();

    public FadeCommand(Func<CancellationToken> token) : base("fade", "Fade an audio file in and out", token)
    {
        Arguments.Add(_input);
        Options.Add(_in);
        Options.Add(_out);
        Options.Add(_curve);
        Options.Add(_output);
        Options.Add(_subtype);
    }

    protected override int Execute(ParseResult parse, CliContext ctx)
    {
        string input = parse.GetValue(_input)!, output = parse.GetValue(_output)!;
        double fadeIn = parse.GetValue(_in), fadeOut = parse.GetValue(_out);
        if (fadeIn == 0 && fadeOut == 0) throw new UserError("give --in and/or --out (seconds)");
        AudioOptions.RefuseOverwritingInput(output, input);
        var audio = AudioFile.Load(input, sampleRate: null, mono: false);
        if (fadeIn + fadeOut > audio.Duration)
            throw new UserError($"{input}: fades of {fadeIn} s + {fadeOut} s are longer than the file ({audio.Duration:0.###} s)");
        Fade.Apply(audio.Samples, audio.SampleRate, fadeIn, fadeOut, parse.GetValue(_curve), audio.Channels);
        AudioOptions.EnsureParentFolder(output);
        AudioFile.Save(output, audio.Samples, audio.SampleRate, audio.Channels, parse.GetValue(_subtype));
        ctx.Out.WriteLine($"{output}: faded in {fadeIn:0.###} s, out {fadeOut:0.###} s ({parse.GetValue(_curve)}), {audio.Duration:0.###} s");
        return ExitCodes.Success;
    }
}
