using System.CommandLine;
using Affetto.Audio.Effects;
using Affetto.Audio.IO;
using Affetto.Cli.Infrastructure;

namespace Affetto.Cli.Commands;

/// <summary><c>affetto mix MUSIC NOISE --snr 0 -o OUT.wav</c>: add noise to music at an exact signal-to-noise ratio.</summary>
internal sealed class MixCommand : CommandBase
{
    private readonly Argument<string> _music = new("MUSIC") { Description = "The music (signal)" };
    private readonly Argument<string> _noise = new("NOISE") { Description = "The noise, looped or cut to the music's length" };
    private readonly Option<double> _snr = Check(new Option<double>("--snr")
    {
        Description = "Signal-to-noise ratio in dB (10 log10 of music power over noise power)",
        DefaultValueFactory = _ => 0,
    }, v => double.IsFinite(v) && Math.Abs(v) <= 200 ? null : $"--snr must be a finite number of dB within ±200 (got {v})");
    private readonly Option<int?> _sampleRate = new("--sr") { Description = "Output sample rate [default: the music's]" };
    private readonly Option<bool> _normalize = new("--normalize") { Description = "Scale the mix down if it would clip" };
    private readonly Option<string> _output = AudioOptions.OutputFile();
    private readonly Option<AudioSampleFormat> _subtype = AudioOptions.Subtype();

    public MixCommand(Func<CancellationToken> token) : base("mix", "Mix noise into music at an exact SNR", token)
    {
        Arguments.Add(_music);
        Arguments.Add(_noise);
        Options.Add(_snr);
        Options.Add(_sampleRate);
        Options.Add(_normalize);
        Options.Add(_output);
        Options.Add(_subtype);
        _sampleRate.Validators.Add(r =>
        {
            if (r.GetValue(_sampleRate) is { } sr && (sr < 1000 || sr > AudioLimits.MaxSampleRate))
                r.AddError($"--sr must be between 1000 and {AudioLimits.MaxSampleRate} Hz (got {sr})");
        });
    }

    protected override int Execute(ParseResult parse, CliContext ctx)
    {
        string musicPath = parse.GetValue(_music)!, noisePath = parse.GetValue(_noise)!, output = parse.GetValue(_output)!;
        AudioOptions.RefuseOverwritingInput(output, musicPath, noisePath);
        int? rate = parse.GetValue(_sampleRate);
        var music = AudioFile.Load(musicPath, sampleRate: rate, mono: true);
        var noise = AudioFile.Load(noisePath, sampleRate: music.SampleRate, mono: true);
        double snr = parse.GetValue(_snr);
        var mix = Mixer.MixAtSnr(music.Samples, noise.Samples, snr,
            new MixOptions { NormalizeToAvoidClipping = parse.GetValue(_normalize) }, out var report);
        AudioOptions.EnsureParentFolder(output);
        AudioFile.Save(output, mix, music.SampleRate, 1, parse.GetValue(_subtype));
        string looped = report.NoiseLooped ? ", noise looped" : "";
        string gain = report.OutputGain != 1 ? $", output scaled by {report.OutputGainDb:0.##} dB to avoid clipping" : "";
        ctx.Out.WriteLine($"{output}: SNR {snr:0.##} dB, {music.Duration:0.###} s at {music.SampleRate} Hz{looped}{gain}");
        return ExitCodes.Success;
    }
}
