namespace Affetto.Models.Emotion.Architectures;

/// <summary>Maps <see cref="Architecture"/> values to and from their command-line names.</summary>
public static class ArchitectureNames
{
    private static readonly (Architecture Value, string Name)[] s_names =
    [
        (Architecture.Cnn4, "cnn4"),
        (Architecture.Vgg16, "vgg16"),
        (Architecture.EfficientNetV2S, "efficientnetv2-s"),
        (Architecture.EfficientNetV2Narrow, "efficientnetv2-narrow"),
        (Architecture.Multimodal, "multimodal"),
        (Architecture.Mlp, "mlp"),
        (Architecture.Ensemble, "ensemble"),
    ];

    /// <summary>Every CLI name, in enum order.</summary>
    public static IReadOnlyList<string> All { get; } = s_names.Select(n => n.Name).ToArray();

    /// <summary>The names <c>affetto train</c> accepts: every architecture but the ensemble, which is built from trained models.</summary>
    public static IReadOnlyList<string> Trainable { get; } = s_names.Where(n => n.Value != Architecture.Ensemble).Select(n => n.Name).ToArray();

    /// <summary>Parses a CLI name (case-insensitive, surrounding spaces ignored).</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the valid names.</exception>
    public static Architecture Parse(string name)
    {
        if (TryParse(name, out var value))
        {
            return value;
        }

        throw new ArgumentException($"Unknown architecture '{name}'; expected one of: {string.Join(", ", All)}.", nameof(name));
    }

    /// <summary>Parses a CLI name; false when it is unknown or null.</summary>
    public static bool TryParse(string? name, out Architecture value)
    {
        var trimmed = name?.Trim();
        foreach (var (v, n) in s_names)
        {
            if (string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The CLI name of <paramref name="architecture"/>.</summary>
    /// <exception cref="ArgumentException">The value is not a defined <see cref="Architecture"/>.</exception>
    public static string ToName(Architecture architecture)
    {
        foreach (var (v, n) in s_names)
        {
            if (v == architecture)
            {
                return n;
            }
        }

        throw new ArgumentException($"Undefined architecture value {(int)architecture}.", nameof(architecture));
    }
}
