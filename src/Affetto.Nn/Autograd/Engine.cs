using Affetto.Nn.Tensors;

namespace Affetto.Nn.Autograd;

/// <summary>Reverse-mode execution of a recorded graph.</summary>
internal static class Engine
{
    public static void Backward(Tensor root, Tensor gradient, bool retainGraph, bool releaseIntermediates = false)
    {
        // Topological order by iterative depth-first search (post-order), then walk it in reverse.
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor T, int Next)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.GradFn?.Inputs ?? [];
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.RequiresGrad && visited.Add(child))
                {
                    stack.Push((child, 0));
                }
            }
            else
            {
                order.Add(t);
            }
        }

        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance) { [root] = gradient };

        // Gradient buffers created here (never a closure's output, which may be shared or a view) can be added into in place.
        var owned = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);

        // Storage of every intermediate gradient; recycled when the pass is over (see BufferPool).
        var spent = new HashSet<float[]>(ReferenceEqualityComparer.Instance);
        using (GradMode.NoGrad())
        {
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var t = order[i];
                if (!grads.Remove(t, out var g))
                {
                    continue;
                }

                // Once handed to a backward closure the buffer may be returned as (or viewed by) several inputs' gradients.
                owned.Remove(g);
                spent.Add(g.Data);

                var node = t.GradFn;
                if (node == null)
                {
                    if (t.RequiresGrad)
                    {
                        if (t.Grad == null)
                        {
                            t.Grad = g.Clone();
                        }
                        else
                        {
                            t.Grad.AddInPlace(g);
                        }
                    }

                    continue;
                }

                if (node.AccumulateInto != null && node.Inputs.Length == 1)
                {
                    var input = node.Inputs[0];
                    if (input.RequiresGrad)
                    {
                        node.AccumulateInto(g, OwnedBuffer(grads, owned, input));
                    }
                }
                else
                {
                    var inputGrads = node.BackwardFn(g);
                    var inputs = node.Inputs;
                    for (int k = 0; k < inputs.Length; k++)
                    {
                        var gi = inputGrads[k];
                        var input = inputs[k];
                        if (gi == null || !input.RequiresGrad)
                        {
                            continue;
                        }

                        if (!ShapeUtil.SameShape(gi.ShapeArray, input.ShapeArray))
                        {
                            throw new InvalidOperationException(
                                $"Backward of {node.Name} produced a gradient of shape {ShapeUtil.Format(gi.ShapeArray)} for an input of shape {ShapeUtil.Format(input.ShapeArray)}.");
                        }

                        if (!grads.TryGetValue(input, out var acc))
                        {
                            grads[input] = gi;
                        }
                        else if (owned.Contains(acc))
                        {
                            acc.AddInPlace(gi);
                        }
                        else
                        {
                            var sum = acc.Add(gi);
                            owned.Add(sum);
                            grads[input] = sum;
                        }
                    }
                }

                if (!retainGraph)
                {
                    node.Release();
                }
            }
        }

        if (releaseIntermediates)
        {
            // Intermediates' storage joins the spent gradients. Recycle still keeps the root's and the leaves' (a leaf's
            // storage may back an intermediate view of it, e.g. a transposed weight) and their grads'.
            foreach (var t in order)
            {
                if (!t.IsLeaf && !ReferenceEquals(t, root))
                {
                    spent.Add(t.Data);
                }
            }
        }

        Recycle(spent, order, gradient, releaseIntermediates ? root : null);
    }

    /// <summary>
    /// Returns the intermediate gradients' storage to the pool, except storage that anything outside the pass can
    /// still reach: the caller's seed gradient, any tensor of the graph itself (with <paramref name="releasedRoot"/>
    /// set, only that root and the leaves), and the leaves' accumulated grads.
    /// </summary>
    private static void Recycle(HashSet<float[]> spent, List<Tensor> order, Tensor gradient, Tensor? releasedRoot)
    {
        spent.Remove(gradient.Data);
        foreach (var t in order)
        {
            // With releaseIntermediates the graph's non-root tensors are given up by the caller.
            if (releasedRoot is null || t.IsLeaf || ReferenceEquals(t, releasedRoot))
            {
                spent.Remove(t.Data);
            }

            if (t.Grad != null)
            {
                spent.Remove(t.Grad.Data);
            }
        }

        foreach (var a in spent)
        {
            BufferPool.Return(a);
        }
    }

    private static Tensor OwnedBuffer(Dictionary<Tensor, Tensor> grads, HashSet<Tensor> owned, Tensor input)
    {
        if (grads.TryGetValue(input, out var acc) && owned.Contains(acc))
        {
            return acc;
        }

        var buf = acc != null ? acc.Clone() : Tensor.Zeros([.. input.Shape]);
        owned.Add(buf);
        grads[input] = buf;
        return buf;
    }
}
