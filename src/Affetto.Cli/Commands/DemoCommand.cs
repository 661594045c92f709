using System.CommandLine;
using Affetto.Audio.Effects;
using Affetto.Audio.Features;
using Affetto.Audio.IO;
using Affetto.Cli.Infrastructure;
using Affetto.Plotting;

namespace Affetto.Cli.Commands;

/// <summary>
/// <c>affetto demo</c>: a self-contained tour that needs no data: it synthesises a short song (a chord
/// progression over a drum pattern), writes it, and analyses it the way the other commands would: file
/// information, the 26 summary features, a log-mel picture and a waveform chart.
/// </summary>
internal sealed class DemoCommand : CommandBase
{
    private readonly Option<string> _out = new("--output", "-o")
    {
        Description = "Folder for the demo song and its pictures",
        DefaultValueFactory = _ => "affetto-demo",
    };

    private readonly Option<int> _seed = new("--seed") { Description = "Seed of the synthesised song", DefaultValueFactory = _ => 440 };

    public DemoCommand(Func<CancellationToken> token)
        : base("demo", "Synthesise a short song and analyse it (no data needed)", token)
    {
        Options.Add(_out);
        Options.Add(_seed);
    }

    protected override int Execute(ParseResult parse, CliContext ctx)
    {
        string folder = parse.GetValue(_out)!;
        Directory.CreateDirectory(folder);
        const int sampleRate = 22050;
        var song = DemoSong.Synthesize(sampleRate, parse.GetValue(_seed));
        Fade.Apply(song, sampleRate, 0.5, 1.0);
        string wav = Path.Combine(folder, "demo-song.wav");
        AudioFile.Save(wav, song, sampleRate);

        var info = AudioFile.ReadInfo(wav);
        ctx.Out.WriteLine($"{wav}: {info.Format} {info.Codec}, {info.SampleRate} Hz, {info.Channels} ch, {info.Duration:0.###} s");

        var audio = AudioFile.Load(wav, sampleRate);
        var options = new SpectrogramOptions();
        var summary = SummaryFeatures.Compute(audio.Samples, options);
        var names = SummaryFeatures.ColumnNames(extended: false);
        ctx.Out.WriteLine();
        ctx.Out.WriteLine("The 26 summary features (means over frames, librosa conventions):");
        TextOutput.WriteTable(ctx.Out, ["feature", "value"],
            names.Select((n, i) => (IReadOnlyList<string>)[n, TextOutput.Num(summary[i], 4)]));

        var fx = new FeatureExtractor(options, ctx.Warn);
        var logMel = fx.LogMel(audio.Samples, DbReference.Max);
        string png = Path.Combine(folder, "demo-logmel.png");
        new Heatmap
        {
            Title = "demo song: log-mel spectrogram",
            SecondsPerFrame = options.EffectiveHopLength / (double)sampleRate,
            RowToHz = Heatmap.MelRows(options.NMels, 0, sampleRate / 2.0),
            ColorBarLabel = "dB (re max)",
        }.SavePng(png, logMel.Data, logMel.Rows, logMel.Columns);
        string svg = Path.Combine(folder, "demo-waveform.svg");
        new LineChart { Title = "demo song: waveform", XLabel = "Time (s)", YLabel = "Amplitude", ShowLegend = false, YRange = (-1, 1) }
            .AddWaveform("waveform", audio.Samples, sampleRate)
            .SaveSvg(svg);
        ctx.Out.WriteLine();
        ctx.Out.WriteLine($"Pictures: {png}, {svg}");
        ctx.Out.WriteLine($"Next: affetto features {wav} --kind mfcc -o {folder}");
        return ExitCodes.Success;
    }
}

/// <summary>A tiny synthesiser for the demo: additive chords, a bass line, kick and hi-hat.</summary>
internal static class DemoSong
{
    /// <summary>Eight seconds at 120 BPM: C - G - Am - F, one chord per bar of two seconds.</summary>
    public static float[] Synthesize(int sampleRate, int seed)
    {
        var rng = new Random(seed);
        int n = 8 * sampleRate;
        var y = new float[n];
        int[][] chords = [[60, 64, 67], [55, 59, 62], [57, 60, 64], [53, 57, 60]];
        for (int bar = 0; bar < 4; bar++)
        {
            int start = bar * 2 * sampleRate, length = 2 * sampleRate;
            foreach (int note in chords[bar])
                AddTone(y, start, length, Hz(note), 0.12, sampleRate, decay: 0.8);
            AddTone(y, start, length, Hz(chords[bar][0] - 24), 0.25, sampleRate, decay: 1.5);
        }
        for (int beat = 0; beat < 16; beat++)
        {
            int start = beat * sampleRate / 2;
            if (beat % 2 == 0) AddKick(y, start, sampleRate);
            AddHat(y, start + sampleRate / 4, sampleRate, rng);
        }
        float peak = y.Max(MathF.Abs);
        for (int i = 0; i < n; i++) y[i] *= 0.8f / peak;
        return y;
    }

    private static double Hz(int midi) => 440.0 * Math.Pow(2, (midi - 69) / 12.0);

    private static void AddTone(float[] y, int start, int length, double hz, double amplitude, int sr, double decay)
    {
        for (int i = 0; i < length && start + i < y.Length; i++)
        {
            double t = i / (double)sr;
            double envelope = Math.Exp(-t * decay) * Math.Min(1, t * 200);
            double phase = 2 * Math.PI * hz * t;
            // A few harmonics so chroma and MFCC see a real timbre, not a bare sine.
            y[start + i] += (float)(amplitude * envelope * (Math.Sin(phase) + 0.5 * Math.Sin(2 * phase) + 0.25 * Math.Sin(3 * phase)));
        }
    }

    private static void AddKick(float[] y, int start, int sr)
    {
        int length = sr / 5;
        double phase = 0;
        for (int i = 0; i < length && start + i < y.Length; i++)
        {
            double t = i / (double)sr;
            phase += 2 * Math.PI * (50 + 100 * Math.Exp(-t * 30)) / sr;
            y[start + i] += (float)(0.9 * Math.Exp(-t * 18) * Math.Sin(phase));
        }
    }

    private static void AddHat(float[] y, int start, int sr, Random rng)
    {
        int length = sr / 20;
        double previous = 0;
        for (int i = 0; i < length && start + i < y.Length; i++)
        {
            double white = rng.NextDouble() * 2 - 1;
            double high = white - previous; // first difference: a crude high-pass
            previous = white;
            y[start + i] += (float)(0.15 * Math.Exp(-i / (double)sr * 60) * high);
        }
    }
}
