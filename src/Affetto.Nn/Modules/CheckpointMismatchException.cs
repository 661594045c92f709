namespace Affetto.Nn.Modules;

/// <summary>A state dict does not fit a module: keys are missing or unexpected, or shapes differ.</summary>
public sealed class CheckpointMismatchException : Exception
{
    /// <summary>Creates the exception from the three lists.</summary>
    public CheckpointMismatchException(IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys, IReadOnlyList<string> shapeMismatches)
        : base(BuildMessage(missingKeys, unexpectedKeys, shapeMismatches))
    {
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        ShapeMismatches = shapeMismatches;
    }

    /// <summary>Keys the module has but the checkpoint lacks.</summary>
    public IReadOnlyList<string> MissingKeys { get; }

    /// <summary>Keys the checkpoint has but the module lacks.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; }

    /// <summary>"key: checkpoint [shape] vs model [shape]" for every shape mismatch.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; }

    private static string BuildMessage(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapes)
    {
        var parts = new List<string>();
        if (missing.Count > 0)
        {
            parts.Add("missing keys: " + string.Join(", ", missing));
        }

        if (unexpected.Count > 0)
        {
            parts.Add("unexpected keys: " + string.Join(", ", unexpected));
        }

        if (shapes.Count > 0)
        {
            parts.Add("shape mismatches: " + string.Join("; ", shapes));
        }

        return "The checkpoint does not match the model (" + string.Join(" | ", parts) + ").";
    }
}
