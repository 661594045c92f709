using System.CommandLine;
using Affetto.Audio.Features;
using Affetto.Audio.Filters;
using Affetto.Audio.IO;
using Affetto.Audio.Transforms;
using Affetto.Cli.Infrastructure;

namespace Affetto.Cli.Commands;

/// <summary>
/// The librosa-style analysis options (<c>--sr --n-fft --hop --win --n-mels --fmin --fmax --n-mfcc --top-db</c>
/// ...) shared by <c>features</c> and <c>plot</c>, turned into one <see cref="SpectrogramOptions"/>.
/// </summary>
internal sealed class SpectrogramCliOptions
{
    public readonly Option<int> SampleRate = new("--sr") { Description = "Resample to this rate (Hz)", DefaultValueFactory = _ => 22050 };
    public readonly Option<int> NFft = new("--n-fft") { Description = "FFT size", DefaultValueFactory = _ => 2048 };
    public readonly Option<int?> Hop = new("--hop") { Description = "Hop length in samples [default: 512; win/4 when --win is given]" };
    public readonly Option<int?> Win = new("--win") { Description = "Window length in samples [default: n-fft]" };
    public readonly Option<WindowType> Window = new("--window") { Description = "Window: Hann, Hamming, Blackman or Rectangular", DefaultValueFactory = _ => WindowType.Hann };
    public readonly Option<bool> Center = new("--center") { Description = "Centre frames by padding n_fft/2 on both sides", DefaultValueFactory = _ => true };
    public readonly Option<PadMode> PadMode = new("--pad-mode") { Description = "Padding when centred: Constant (zeros) or Reflect", DefaultValueFactory = _ => Audio.Transforms.PadMode.Constant };
    public readonly Option<int> NMels = new("--n-mels") { Description = "Number of mel bands", DefaultValueFactory = _ => 128 };
    public readonly Option<double> FMin = new("--fmin") { Description = "Lowest mel frequency (Hz)", DefaultValueFactory = _ => 0 };
    public readonly Option<double?> FMax = new("--fmax") { Description = "Highest mel frequency (Hz) [default: sr/2]" };
    public readonly Option<bool> Htk = new("--htk") { Description = "Use the HTK mel scale instead of Slaney's" };
    public readonly Option<MelNorm> Norm = new("--norm") { Description = "Mel filter normalisation: Slaney (area) or None", DefaultValueFactory = _ => MelNorm.Slaney };
    public readonly Option<int> NMfcc = new("--n-mfcc") { Description = "Number of MFCCs", DefaultValueFactory = _ => 20 };
    public readonly Option<float?> TopDb = new("--top-db") { Description = "Clip log-mel this many dB below its peak (0 or less: no clipping)", DefaultValueFactory = _ => 80f };
    public readonly Option<double> Offset = new("--offset") { Description = "Start reading at this many seconds", DefaultValueFactory = _ => 0 };
    public readonly Option<double?> Duration = new("--duration") { Description = "Read only this many seconds" };

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { SampleRate, NFft, Hop, Win, Window, Center, PadMode, NMels, FMin, FMax, Htk, Norm, NMfcc, TopDb, Offset, Duration })
            command.Options.Add(o);
    }

    /// <summary>Builds the analysis options from the parsed command line.</summary>
    /// <exception cref="UserError">Listing every invalid value at once, named as the command-line options.</exception>
    public SpectrogramOptions Build(ParseResult parse, float power)
    {
        var problems = new List<string>();
        double offset = parse.GetValue(Offset);
        if (!(offset >= 0) || double.IsInfinity(offset)) problems.Add($"--offset must be zero or more seconds (got {offset})");
        if (parse.GetValue(Duration) is { } d && !(d > 0 && double.IsFinite(d)))
            problems.Add($"--duration must be a positive number of seconds (got {d})");
        int sr = parse.GetValue(SampleRate);
        if (sr < 1000 || sr > AudioLimits.MaxSampleRate)
            problems.Add($"--sr must be between 1000 and {AudioLimits.MaxSampleRate} Hz (got {sr})");
        var options = BuildUnchecked(parse, power);
        if (problems.Count == 0) problems.AddRange(options.Validate().Select(CliNames));
        if (problems.Count > 0) throw new UserError(string.Join("; ", problems));
        return options;
    }

    private SpectrogramOptions BuildUnchecked(ParseResult get, float power)
    {
        int? win = get.GetValue(Win);
        int? hop = get.GetValue(Hop) ?? (win is null ? 512 : null);
        float? topDb = get.GetValue(TopDb) is { } t && t > 0 ? t : null;
        return new SpectrogramOptions
        {
            SampleRate = get.GetValue(SampleRate),
            NFft = get.GetValue(NFft),
            HopLength = hop,
            WinLength = win,
            Window = get.GetValue(Window),
            Center = get.GetValue(Center),
            PadMode = get.GetValue(PadMode),
            Power = power,
            NMels = get.GetValue(NMels),
            FMin = get.GetValue(FMin),
            FMax = get.GetValue(FMax),
            Htk = get.GetValue(Htk),
            Norm = get.GetValue(Norm),
            NMfcc = get.GetValue(NMfcc),
            TopDb = topDb,
        };
    }

    /// <summary>Rewrites the library's property names in a validation message as the command-line options.</summary>
    private static string CliNames(string message)
    {
        foreach (var (lib, cli) in s_names) message = message.Replace(lib, cli, StringComparison.Ordinal);
        return message.TrimEnd('.');
    }

    private static readonly (string, string)[] s_names =
    [
        ("SampleRate", "--sr"), ("NFft", "--n-fft"), ("HopLength", "--hop"), ("WinLength", "--win"),
        ("NMels", "--n-mels"), ("FMin", "--fmin"), ("FMax", "--fmax"), ("NMfcc", "--n-mfcc"), ("TopDb", "--top-db"),
        ("Power", "--power"),
    ];
}
