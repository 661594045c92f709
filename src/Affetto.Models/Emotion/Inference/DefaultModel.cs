namespace Affetto.Models.Emotion.Inference;

/// <summary>
/// Finds the emotion model to use when none is named: the file in <c>AFFETTO_MODEL</c>, else
/// <c>models/emotion.safetensors</c> in the first folder at or above the executable's folder that holds one.
/// </summary>
public static class DefaultModel
{
    /// <summary>The environment variable naming a model file.</summary>
    public const string EnvironmentVariable = "AFFETTO_MODEL";

    /// <summary>Where the shipped model lives, relative to the repository root.</summary>
    public static readonly string RelativePath = Path.Combine("models", "emotion.safetensors");

    /// <summary>How to make a model, for error messages.</summary>
    public const string TrainHint =
        "train one with 'affetto train --dataset ../shared/data/4q --out models/emotion.safetensors' or name one with --model FILE";

    /// <summary>The default model file, or null when there is none.</summary>
    /// <param name="baseDirectory">Where to start looking (default <see cref="AppContext.BaseDirectory"/>).</param>
    /// <param name="environment">The value of <see cref="EnvironmentVariable"/> (default: read from the process).</param>
    /// <returns>The path, or null.</returns>
    public static string? Find(string? baseDirectory = null, string? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(environment))
            return environment;
        for (var dir = new DirectoryInfo(baseDirectory ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>The model file to use: <paramref name="explicitPath"/> when given, else <see cref="Find"/>.</summary>
    /// <param name="explicitPath">A path the user named, or null.</param>
    /// <returns>An existing file.</returns>
    /// <exception cref="FileNotFoundException">No model named and none found, or the named file does not exist.</exception>
    public static string Resolve(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            return File.Exists(explicitPath)
                ? explicitPath
                : throw new FileNotFoundException($"the model file '{explicitPath}' does not exist; {TrainHint}", explicitPath);
        }
        string? found = Find();
        if (found is null)
            throw new FileNotFoundException(
                $"no emotion model: neither ${EnvironmentVariable} nor {RelativePath} (searched upwards from {AppContext.BaseDirectory}); {TrainHint}");
        if (!File.Exists(found))
            throw new FileNotFoundException($"${EnvironmentVariable} names '{found}', which does not exist; {TrainHint}", found);
        return found;
    }
}
