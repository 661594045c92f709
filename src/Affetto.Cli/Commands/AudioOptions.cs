using System.CommandLine;
using Affetto.Audio.IO;
using Affetto.Cli.Infrastructure;

namespace Affetto.Cli.Commands;

/// <summary>Options shared by the commands that write audio.</summary>
internal static class AudioOptions
{
    /// <summary><c>-o/--output FILE</c>: where the audio goes; the container follows the extension.</summary>
    public static Option<string> OutputFile() => new("--output", "-o")
    {
        Description = "Output audio file (.wav, .flac, .ogg, .aiff or .au)",
        Required = true,
    };

    /// <summary><c>--subtype</c>: the sample format written.</summary>
    public static Option<AudioSampleFormat> Subtype() => new("--subtype")
    {
        Description = "Sample format written: Pcm16, Pcm24, Pcm32 or Float32",
        DefaultValueFactory = _ => AudioSampleFormat.Pcm16,
    };

    /// <summary>Creates the folder of <paramref name="path"/> when missing, so a mistyped folder is not a failure.</summary>
    public static void EnsureParentFolder(string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
    }

    /// <summary>Refuses to overwrite an input with an output.</summary>
    public static void RefuseOverwritingInput(string output, params string[] inputs)
    {
        string full = Path.GetFullPath(output);
        foreach (var input in inputs)
            if (string.Equals(full, Path.GetFullPath(input), StringComparison.Ordinal))
                throw new UserError($"{output}: the output would overwrite the input; choose another file");
    }
}
