using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Runs its children in order; they are named "0", "1", ... as in PyTorch.</summary>
public sealed class Sequential : IndexedModules
{
    /// <summary>Creates the container.</summary>
    public Sequential(params Module[] modules)
    {
        foreach (var m in modules)
        {
            Add(m);
        }
    }

    /// <summary>Appends a child named by its position.</summary>
    public Sequential Add(Module module)
    {
        Append(module);
        return this;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var m in Children)
        {
            x = m.Forward(x);
        }

        return x;
    }
}
