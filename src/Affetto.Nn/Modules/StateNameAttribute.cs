namespace Affetto.Nn.Modules;

/// <summary>
/// Marks a field (or auto-property) for <see cref="Module.RegisterFields"/>: sets its state-dict name and, for tensors,
/// whether it is a buffer rather than a parameter.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class StateNameAttribute : Attribute
{
    /// <summary>Names the member explicitly.</summary>
    public StateNameAttribute(string name) => Name = name;

    /// <summary>The state-dict name (PyTorch's attribute name).</summary>
    public string Name { get; }

    /// <summary>True for a buffer (saved, not trained), false for a parameter.</summary>
    public bool Buffer { get; init; }
}
