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
    /// <remarks>
    /// Without autograd (<see cref="Autograd.GradMode.NoGrad"/>) the activations between two of Affetto.Nn's own
    /// modules go back to the buffer pool as soon as the next one has consumed them, so inference reuses the same
    /// storage batch after batch instead of faulting in fresh pages for every activation. Nothing outside this call
    /// can reach them: they were made here, and the built-in modules keep neither their inputs nor their outputs.
    /// Activations next to a module of another assembly, or holding one, are left alone (it might keep them).
    /// </remarks>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        bool recycle = !Autograd.GradMode.IsEnabled;
        Module? previous = null;
        foreach (var m in Children)
        {
            var next = m.Forward(x);
            // Never the caller's input, nor a view of it or the input passed through (Flatten, Identity, Dropout in
            // eval mode hand it on).
            if (recycle && previous is not null && !ReferenceEquals(x.Data, input.Data) && IsBuiltIn(previous) && IsBuiltIn(m))
            {
                Recycle(x, next);
            }

            previous = m;
            x = next;
        }

        return x;
    }

    /// <summary>Whether <paramref name="m"/> and everything inside it are Affetto.Nn's own modules.</summary>
    private static bool IsBuiltIn(Module m) =>
        m.GetType().Assembly == typeof(Sequential).Assembly && m.NamedChildren().All(c => IsBuiltIn(c.Module));

    /// <summary>Gives <paramref name="spent"/>'s storage back unless <paramref name="next"/> shares it (a view, or the
    /// same tensor passed through), it is a parameter, or it is not a whole storage of its own.</summary>
    private static void Recycle(Tensor spent, Tensor next)
    {
        if (ReferenceEquals(spent.Data, next.Data) || spent.RequiresGrad || spent.GradFn is not null
            || spent.Offset != 0 || spent.Length != spent.Data.Length)
        {
            return;
        }

        BufferPool.Return(spent.Data);
    }
}
