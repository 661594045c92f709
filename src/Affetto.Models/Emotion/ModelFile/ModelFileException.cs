namespace Affetto.Models.Emotion.ModelFile;

/// <summary>A model file that is missing, unreadable, or not an Affetto emotion model; the message names the file.</summary>
public sealed class ModelFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="problem">What is wrong, without the path.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ModelFileException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The model file.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
