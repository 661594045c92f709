using Affetto.Audio.Filters;
using Affetto.Audio.Transforms;

namespace Affetto.Audio.Features;

/// <summary>
/// Spectrogram and feature settings with librosa's names and defaults (0.10): sampleRate 22050, nFft 2048,
/// hopLength 512 (null = winLength / 4), winLength null (= nFft), Hann window, center = true with constant
/// padding, power 2, 128 Slaney-normalised Slaney-scale mel bands from 0 Hz to sr/2, 20 MFCCs, topDb 80.
/// </summary>
public sealed record SpectrogramOptions
{
    /// <summary>Sampling rate in Hz (22050).</summary>
    public int SampleRate { get; init; } = 22050;
    /// <summary>FFT size (2048).</summary>
    public int NFft { get; init; } = 2048;
    /// <summary>Hop between frames (512); null = winLength / 4 as librosa.</summary>
    public int? HopLength { get; init; } = 512;
    /// <summary>Window length (null = nFft).</summary>
    public int? WinLength { get; init; }
    /// <summary>Window shape (Hann, periodic).</summary>
    public WindowType Window { get; init; } = WindowType.Hann;
    /// <summary>Centre frames by padding nFft / 2 on both sides (true).</summary>
    public bool Center { get; init; } = true;
    /// <summary>Padding mode for <see cref="Center"/> (constant).</summary>
    public PadMode PadMode { get; init; } = PadMode.Constant;
    /// <summary>Exponent of the magnitude for the mel spectrogram (2 = power).</summary>
    public float Power { get; init; } = 2f;
    /// <summary>Number of mel bands (128).</summary>
    public int NMels { get; init; } = 128;
    /// <summary>Lowest mel edge in Hz (0).</summary>
    public double FMin { get; init; }
    /// <summary>Highest mel edge in Hz (null = sampleRate / 2).</summary>
    public double? FMax { get; init; }
    /// <summary>HTK mel scale instead of Slaney (false).</summary>
    public bool Htk { get; init; }
    /// <summary>Mel filter normalisation (Slaney).</summary>
    public MelNorm Norm { get; init; } = MelNorm.Slaney;
    /// <summary>Number of MFCCs (20).</summary>
    public int NMfcc { get; init; } = 20;
    /// <summary>Dynamic range kept by power_to_db below the maximum (80 dB); null = no clipping.</summary>
    public float? TopDb { get; init; } = 80f;

    /// <summary>Effective window length.</summary>
    public int EffectiveWinLength => WinLength ?? NFft;
    /// <summary>Effective hop length (librosa: winLength / 4 when null).</summary>
    public int EffectiveHopLength => HopLength ?? Math.Max(1, EffectiveWinLength / 4);

    /// <summary>Checks every setting and returns all problems found (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var p = new List<string>();
        if (SampleRate < 1) p.Add($"SampleRate must be positive (got {SampleRate}).");
        if (NFft < 2) p.Add($"NFft must be at least 2 (got {NFft}).");
        if (HopLength is < 1) p.Add($"HopLength must be at least 1 or null (got {HopLength}).");
        if (WinLength is int w && (w < 1 || w > NFft)) p.Add($"WinLength must be in 1..NFft ({NFft}) or null (got {w}).");
        if (!Enum.IsDefined(Window)) p.Add($"Window {(int)Window} is not a known window type.");
        if (!Enum.IsDefined(PadMode)) p.Add($"PadMode {(int)PadMode} is not a known pad mode.");
        if (!(Power > 0) || float.IsInfinity(Power)) p.Add($"Power must be positive and finite (got {Power}).");
        if (NMels < 1) p.Add($"NMels must be at least 1 (got {NMels}).");
        if (!(FMin >= 0) || double.IsInfinity(FMin)) p.Add($"FMin must be finite and non-negative (got {FMin}).");
        double nyquist = SampleRate / 2.0;
        if (FMax is double fm)
        {
            if (!(fm > FMin)) p.Add($"FMax ({fm}) must be greater than FMin ({FMin}).");
            if (SampleRate >= 1 && !(fm <= nyquist)) p.Add($"FMax ({fm}) must not exceed the Nyquist frequency ({nyquist}).");
        }
        else if (SampleRate >= 1 && FMin >= nyquist) p.Add($"FMin ({FMin}) must be below the Nyquist frequency ({nyquist}).");
        if (!Enum.IsDefined(Norm)) p.Add($"Norm {(int)Norm} is not a known mel normalisation.");
        if (NMfcc < 1) p.Add($"NMfcc must be at least 1 (got {NMfcc}).");
        else if (NMels >= 1 && NMfcc > NMels) p.Add($"NMfcc ({NMfcc}) must not exceed NMels ({NMels}).");
        if (TopDb is float t && (!(t >= 0) || float.IsInfinity(t))) p.Add($"TopDb must be finite and non-negative or null (got {t}).");
        return p;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem when <see cref="Validate"/> finds any.</summary>
    public void ThrowIfInvalid()
    {
        var p = Validate();
        if (p.Count > 0) throw new ArgumentException("Invalid spectrogram options: " + string.Join(" ", p));
    }
}
