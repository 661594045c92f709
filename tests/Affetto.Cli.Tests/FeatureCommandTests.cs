using Affetto.Audio.Features;
using Affetto.Audio.IO;
using Affetto.Cli.Infrastructure;

namespace Affetto.Cli.Tests;

public class FeatureCommandTests
{
    [Theory]
    [InlineData("stft", 1025)]
    [InlineData("mel", 128)]
    [InlineData("logmel", 128)]
    [InlineData("mfcc", 20)]
    [InlineData("chroma", 12)]
    public void Features_writes_a_float32_npy_of_bins_by_frames(string kind, int bins)
    {
        using var dir = new TempDir();
        string wav = dir.File("tone.wav");
        AudioFile.Save(wav, Signals.Sine(440, 1.0, 22050), 22050, format: AudioSampleFormat.Float32);
        var r = CliRunner.Run("features", wav, "--kind", kind, "-o", dir.File("out"));
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var npy = NpyReader.Read(dir.File($"out/tone.{kind}.npy"));
        Assert.Equal([bins, 1 + 22050 / 512], npy.Shape);
        Assert.All(npy.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Logmel_file_equals_the_library_result()
    {
        using var dir = new TempDir();
        string wav = dir.File("noise.wav");
        AudioFile.Save(wav, Signals.Noise(0.8, 22050, seed: 7), 22050, format: AudioSampleFormat.Float32);
        var r = CliRunner.Run("features", wav, "--kind", "logmel", "--n-mels", "40", "--hop", "256", "-o", dir.Path);
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var npy = NpyReader.Read(dir.File("noise.logmel.npy"));
        var expected = new FeatureExtractor(new SpectrogramOptions { NMels = 40, HopLength = 256 })
            .LogMel(AudioFile.Load(wav).Samples);
        Assert.Equal([expected.Rows, expected.Columns], npy.Shape);
        Assert.Equal(expected.Data, npy.Data);
    }

    [Fact]
    public void Summary_is_one_csv_row_of_26_features_per_file()
    {
        using var dir = new TempDir();
        AudioFile.Save(dir.File("a.wav"), Signals.Sine(440, 1.0, 22050), 22050);
        AudioFile.Save(dir.File("b.wav"), Signals.Noise(1.0, 22050, seed: 1), 22050);
        var r = CliRunner.Run("features", dir.Path, "--kind", "summary");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var lines = r.Out.Trim().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal(27, lines[0].Split(',').Length);
        Assert.StartsWith("file,chroma_stft,rms,spectral_centroid,spectral_bandwidth,rolloff,zero_crossing_rate,mfcc1,", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.Equal(27, l.Split(',').Length));
    }

    [Fact]
    public void Summary_on_a_nan_file_reports_it_and_keeps_the_other_rows()
    {
        using var dir = new TempDir();
        AudioFile.Save(dir.File("good.wav"), Signals.Sine(440, 1.0, 22050), 22050);
        WriteFloatWavWithNaN(dir.File("nan.wav"));
        var r = CliRunner.Run("features", dir.Path, "--kind", "summary", "-o", dir.File("s.csv"));
        Assert.Equal(ExitCodes.InputFailed, r.ExitCode);
        Assert.Contains("nan.wav", r.Err);
        Assert.Contains("NaN", r.Err);
        Assert.Equal(2, File.ReadAllLines(dir.File("s.csv")).Length);
    }

    [Fact]
    public void Invalid_analysis_options_are_all_listed_at_once()
    {
        var r = CliRunner.Run("features", "x.wav", "--n-fft", "1", "--n-mels", "0");
        Assert.Equal(ExitCodes.InvalidArguments, r.ExitCode);
        Assert.Contains("--n-fft", r.Err);
        Assert.Contains("--n-mels", r.Err);
    }

    [Fact]
    public void Same_names_in_different_folders_do_not_overwrite_each_other()
    {
        var names = Commands.FeaturesCommand.OutputNames(["a/x.wav", "b/x.wav", "c/y.wav"], ".mel.npy");
        Assert.Equal("x.mel.npy", names["a/x.wav"]);
        Assert.Equal("x-2.mel.npy", names["b/x.wav"]);
        Assert.Equal("y.mel.npy", names["c/y.wav"]);
    }

    [Theory]
    [InlineData("waveform", "w.svg", "<svg")]
    [InlineData("spectrogram", "s.png", "\u0089PNG")]
    [InlineData("logmel", "l.png", "\u0089PNG")]
    public void Plot_writes_the_picture(string kind, string name, string magic)
    {
        using var dir = new TempDir();
        string wav = dir.File("tone.wav");
        AudioFile.Save(wav, Signals.Sine(440, 1.0, 22050), 22050);
        var r = CliRunner.Run("plot", kind, wav, "--out", dir.File(name));
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var head = File.ReadAllBytes(dir.File(name)).Take(200).Select(b => (char)b).ToArray();
        Assert.Contains(magic, new string(head));
    }

    [Fact]
    public void Plot_refuses_a_spectrogram_as_svg()
    {
        var r = CliRunner.Run("plot", "spectrogram", "x.wav", "--out", "x.svg");
        Assert.Equal(ExitCodes.InvalidArguments, r.ExitCode);
        Assert.Contains(".png", r.Err);
    }

    [Fact]
    public void Demo_makes_its_song_and_pictures()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("demo", "-o", dir.Path);
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        Assert.Contains("mfcc20", r.Out);
        Assert.True(File.Exists(dir.File("demo-song.wav")));
        Assert.True(File.Exists(dir.File("demo-logmel.png")));
        Assert.True(File.Exists(dir.File("demo-waveform.svg")));
    }

    // A float WAV written by hand: 100 samples, one NaN.
    private static void WriteFloatWavWithNaN(string path)
    {
        var samples = new float[100];
        for (int i = 0; i < samples.Length; i++) samples[i] = 0.1f;
        samples[42] = float.NaN;
        using var w = new BinaryWriter(File.Create(path));
        int dataBytes = samples.Length * 4;
        w.Write("RIFF"u8); w.Write(36 + dataBytes); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)3); w.Write((short)1); w.Write(22050); w.Write(22050 * 4);
        w.Write((short)4); w.Write((short)32);
        w.Write("data"u8); w.Write(dataBytes);
        foreach (var s in samples) w.Write(s);
    }
}
