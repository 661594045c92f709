namespace Affetto.Nn.Modules;

/// <summary>Base of the containers whose children are named by position ("0", "1", ...), as in PyTorch.</summary>
public abstract class IndexedModules : Module
{
    private readonly List<Module> _modules = [];

    /// <summary>Number of children.</summary>
    public int Count => _modules.Count;

    /// <summary>The child at <paramref name="index"/>.</summary>
    public Module this[int index] => _modules[index];

    /// <summary>The children in order.</summary>
    protected IReadOnlyList<Module> Children => _modules;

    /// <summary>Registers <paramref name="module"/> under its position.</summary>
    protected void Append(Module module)
    {
        RegisterModule(_modules.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        _modules.Add(module);
    }
}
