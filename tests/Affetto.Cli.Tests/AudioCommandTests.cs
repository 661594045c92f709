using Affetto.Audio.IO;
using Affetto.Cli.Infrastructure;

namespace Affetto.Cli.Tests;

public class AudioCommandTests
{
    [Fact]
    public void Info_prints_format_rate_channels_and_duration()
    {
        using var dir = new TempDir();
        string wav = dir.File("tone.wav");
        AudioFile.Save(wav, Signals.Sine(440, 1.5, 16000), 16000);
        var r = CliRunner.Run("info", wav, "--format", "json");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        Assert.Contains("\"sample_rate\": 16000", r.Out);
        Assert.Contains("\"channels\": 1", r.Out);
        Assert.Contains("\"duration\": 1.5", r.Out);
        Assert.Contains("\"error\": null", r.Out);
    }

    [Fact]
    public void Info_on_a_folder_lists_every_audio_file_and_keeps_going_past_bad_ones()
    {
        using var dir = new TempDir();
        AudioFile.Save(dir.File("a.wav"), Signals.Sine(440, 0.5, 8000), 8000);
        AudioFile.Save(dir.File("b.flac"), Signals.Sine(220, 0.5, 8000), 8000);
        File.WriteAllText(dir.File("c.mp3"), "this is not audio at all");
        File.WriteAllText(dir.File("notes.txt"), "not an audio extension: skipped");
        var r = CliRunner.Run("info", dir.Path);
        Assert.Equal(ExitCodes.InputFailed, r.ExitCode);
        Assert.Contains("a.wav", r.Out);
        Assert.Contains("b.flac", r.Out);
        Assert.Contains("FLAC", r.Out);
        Assert.DoesNotContain("notes.txt", r.Out + r.Err);
        Assert.Contains("c.mp3", r.Err);
        Assert.Contains("1 of 3 files failed", r.Err);
        Assert.DoesNotContain("   at ", r.Err); // no stack trace
    }

    [Fact]
    public void Info_on_a_missing_file_names_it_and_fails()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("info", dir.File("missing.wav"));
        Assert.Equal(ExitCodes.InputFailed, r.ExitCode);
        Assert.Contains("missing.wav", r.Err);
        Assert.Contains("not found", r.Err);
        Assert.Single(r.Err.Trim().Split('\n'));
    }

    [Fact]
    public void Fade_writes_a_file_that_starts_and_ends_silent()
    {
        using var dir = new TempDir();
        string input = dir.File("in.wav"), output = dir.File("out/faded.wav");
        AudioFile.Save(input, Signals.Sine(440, 3, 8000), 8000, format: AudioSampleFormat.Float32);
        var r = CliRunner.Run("fade", input, "--in", "1", "--out", "1", "-o", output);
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var y = AudioFile.Load(output, sampleRate: null).Samples;
        Assert.Equal(24000, y.Length);
        Assert.True(Math.Abs(y[0]) < 1e-3);
        Assert.True(Math.Abs(y[^1]) < 1e-3);
        Assert.True(y.Skip(11000).Take(2000).Max() > 0.45f); // untouched middle
    }

    [Theory]
    [InlineData("--in", "-1")]
    [InlineData("--out", "NaN")]
    public void Fade_rejects_absurd_lengths_before_reading_anything(string option, string value)
    {
        var r = CliRunner.Run("fade", "whatever.wav", option, value, "-o", "x.wav");
        Assert.Equal(ExitCodes.InvalidArguments, r.ExitCode);
        Assert.Contains(option, r.Err);
    }

    [Fact]
    public void Fade_longer_than_the_file_is_a_clear_error()
    {
        using var dir = new TempDir();
        string input = dir.File("short.wav");
        AudioFile.Save(input, Signals.Sine(440, 1, 8000), 8000);
        var r = CliRunner.Run("fade", input, "--in", "2", "-o", dir.File("o.wav"));
        Assert.NotEqual(ExitCodes.Success, r.ExitCode);
        Assert.Contains("longer than the file", r.Err);
    }

    [Fact]
    public void Mix_reaches_the_requested_snr()
    {
        using var dir = new TempDir();
        string music = dir.File("music.wav"), noise = dir.File("noise.wav"), output = dir.File("mix.wav");
        var m = Signals.Sine(440, 2, 8000, 0.3);
        AudioFile.Save(music, m, 8000, format: AudioSampleFormat.Float32);
        AudioFile.Save(noise, Signals.Noise(0.7, 8000, seed: 440), 8000, format: AudioSampleFormat.Float32);
        var r = CliRunner.Run("mix", music, noise, "--snr", "5", "-o", output, "--subtype", "Float32");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        Assert.Contains("noise looped", r.Out);
        var mix = AudioFile.Load(output, sampleRate: null).Samples;
        double signal = 0, residual = 0;
        for (int i = 0; i < m.Length; i++)
        {
            signal += (double)m[i] * m[i];
            double d = mix[i] - m[i];
            residual += d * d;
        }
        Assert.Equal(5.0, 10 * Math.Log10(signal / residual), 2);
    }

    [Fact]
    public void Segment_cuts_overlapping_clips_of_the_requested_length()
    {
        using var dir = new TempDir();
        string input = dir.File("song.wav");
        AudioFile.Save(input, Signals.Sine(440, 5, 8000), 8000);
        var r = CliRunner.Run("segment", input, "--length", "2", "--hop", "1", "-o", dir.File("clips"));
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var clips = Directory.GetFiles(dir.File("clips")).OrderBy(f => f).ToArray();
        Assert.Equal(4, clips.Length); // starts at 0, 1, 2, 3 s
        Assert.All(clips, c => Assert.Equal(16000, AudioFile.ReadInfo(c).Frames));
    }

    [Fact]
    public void Unknown_option_is_a_usage_error()
    {
        var r = CliRunner.Run("info", "--no-such-option", "x.wav");
        Assert.Equal(ExitCodes.InvalidArguments, r.ExitCode);
        Assert.Contains("--no-such-option", r.Err);
    }
}
