using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>
/// Holds child modules named "0", "1", ... (PyTorch's <c>nn.ModuleList</c>): their parameters and buffers are registered
/// and saved, but the list itself has no forward pass; its owner calls the children.
/// </summary>
public sealed class ModuleList : Module
{
    private readonly List<Module> _modules = [];

    /// <summary>Creates the list.</summary>
    public ModuleList(params Module[] modules)
    {
        foreach (var m in modules)
        {
            Add(m);
        }
    }

    /// <summary>Number of children.</summary>
    public int Count => _modules.Count;

    /// <summary>The child at <paramref name="index"/>.</summary>
    public Module this[int index] => _modules[index];

    /// <summary>Appends a child named by its position.</summary>
    public ModuleList Add(Module module)
    {
        RegisterModule(_modules.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        _modules.Add(module);
        return this;
    }

    /// <summary>Not supported: a module list only holds modules (as in PyTorch).</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("A ModuleList has no forward pass; call its children.");
}
