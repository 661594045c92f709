using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>
/// Holds child modules named "0", "1", ... (PyTorch's <c>nn.ModuleList</c>): their parameters and buffers are registered
/// and saved, but the list itself has no forward pass; its owner calls the children.
/// </summary>
public sealed class ModuleList : IndexedModules
{
    /// <summary>Creates the list.</summary>
    public ModuleList(params Module[] modules)
    {
        foreach (var m in modules)
        {
            Add(m);
        }
    }

    /// <summary>Appends a child named by its position.</summary>
    public ModuleList Add(Module module)
    {
        Append(module);
        return this;
    }

    /// <summary>Not supported: a module list only holds modules (as in PyTorch).</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("A ModuleList has no forward pass; call its children.");
}
