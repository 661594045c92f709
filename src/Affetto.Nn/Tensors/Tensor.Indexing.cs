namespace Affetto.Nn.Tensors;

public sealed partial class Tensor
{
    /// <summary>Joins tensors along an existing dimension (all other sizes must match).</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException("Concat: no tensors given.", nameof(tensors));
        }

        var first = tensors[0];
        int d = ShapeUtil.NormalizeDim(dim, first.Rank);
        var shape = (int[])first.ShapeArray.Clone();
        shape[d] = 0;
        foreach (var t in tensors)
        {
            if (t.Rank != first.Rank)
            {
                throw new ArgumentException($"Concat: ranks differ ({ShapeUtil.Format(first.ShapeArray)} vs {ShapeUtil.Format(t.ShapeArray)}).", nameof(tensors));
            }

            for (int i = 0; i < t.Rank; i++)
            {
                if (i != d && t.ShapeArray[i] != first.ShapeArray[i])
                {
                    throw new ArgumentException($"Concat: sizes differ outside dimension {dim} ({ShapeUtil.Format(first.ShapeArray)} vs {ShapeUtil.Format(t.ShapeArray)}).", nameof(tensors));
                }
            }

            shape[d] += t.ShapeArray[d];
        }

        var r = Uninitialized(shape);
        var offsets = new int[tensors.Count];
        int at = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            offsets[i] = at;
            var dst = r.Detach().Narrow(d, at, t.ShapeArray[d]);
            Elementwise.Copy(t.Data, t.Offset, t.StridesArray, dst.Data, dst.Offset, dst.StridesArray, t.ShapeArray);
            at += t.ShapeArray[d];
        }

        var inputs = tensors.ToArray();
        if (!NeedsGrad(inputs))
        {
            return r;
        }

        return r.Record("Concat", inputs, g =>
        {
            var gs = new Tensor?[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                gs[i] = inputs[i].RequiresGrad ? g.Narrow(d, offsets[i], inputs[i].ShapeArray[d]).Dense() : null;
            }

            return gs;
        });
    }

    /// <summary>Joins same-shaped tensors along a new dimension.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException("Stack: no tensors given.", nameof(tensors));
        }

        foreach (var t in tensors)
        {
            if (!ShapeUtil.SameShape(t.ShapeArray, tensors[0].ShapeArray))
            {
                throw new ArgumentException($"Stack: shapes differ ({ShapeUtil.Format(tensors[0].ShapeArray)} vs {ShapeUtil.Format(t.ShapeArray)}).", nameof(tensors));
            }
        }

        int d = dim < 0 ? dim + tensors[0].Rank + 1 : dim;
        return Concat(tensors.Select(t => t.Unsqueeze(d)).ToArray(), d);
    }

    /// <summary>Splits into pieces of <paramref name="size"/> along <paramref name="dim"/> (views; the last may be shorter).</summary>
    public Tensor[] Split(int size, int dim = 0)
    {
        if (size <= 0)
        {
            throw new ArgumentException($"Split: size must be positive, got {size}.", nameof(size));
        }

        int d = ShapeUtil.NormalizeDim(dim, Rank);
        var parts = new List<Tensor>();
        for (int at = 0; at < ShapeArray[d]; at += size)
        {
            parts.Add(Narrow(d, at, Math.Min(size, ShapeArray[d] - at)));
        }

        return parts.ToArray();
    }

    /// <summary>Splits into <paramref name="chunks"/> equal pieces along <paramref name="dim"/> (views).</summary>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank);
        if (chunks <= 0 || ShapeArray[d] % chunks != 0)
        {
            throw new ArgumentException($"Chunk: dimension {dim} of size {ShapeArray[d]} does not split into {chunks} equal chunks.", nameof(chunks));
        }

        return Split(ShapeArray[d] / chunks, d);
    }

    /// <summary>Rows (slices along <paramref name="dim"/>) picked by <paramref name="indices"/> (may repeat), like <c>index_select</c>.</summary>
    public Tensor IndexSelect(int dim, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int d = ShapeUtil.NormalizeDim(dim, Rank);
        int n = ShapeArray[d];
        var ix = indices.ToArray();
        foreach (int i in ix)
        {
            if ((uint)i >= (uint)n)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"IndexSelect: index {i} is out of range for dimension {dim} of size {n}.");
            }
        }

        var shape = (int[])ShapeArray.Clone();
        shape[d] = ix.Length;
        var r = Uninitialized(shape);
        var src = Detach();
        var dst = r.Detach();
        for (int j = 0; j < ix.Length; j++)
        {
            var s = src.Narrow(d, ix[j], 1);
            var t = dst.Narrow(d, j, 1);
            Elementwise.Copy(s.Data, s.Offset, s.StridesArray, t.Data, t.Offset, t.StridesArray, s.ShapeArray);
        }

        if (!NeedsGrad(this))
        {
            return r;
        }

        var inShape = ShapeArray;
        return r.Record("IndexSelect", [this], g =>
        {
            var z = Zeros(inShape);
            for (int j = 0; j < ix.Length; j++)
            {
                z.Narrow(d, ix[j], 1).AddInPlace(g.Narrow(d, j, 1));
            }

            return [z];
        });
    }

    /// <summary>Rows picked by an index tensor holding integral values.</summary>
    public Tensor IndexSelect(int dim, Tensor indices) => IndexSelect(dim, ToIndices(indices, "IndexSelect"));

    /// <summary>
    /// <c>out[..., i, ...] = x[..., index[..., i, ...], ...]</c> along <paramref name="dim"/> (PyTorch's gather): the index
    /// tensor has this tensor's rank and gives, for each output position, the coordinate to read along dim.
    /// </summary>
    public Tensor Gather(int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        int d = ShapeUtil.NormalizeDim(dim, Rank);
        if (index.Rank != Rank)
        {
            throw new ArgumentException($"Gather: index rank {index.Rank} differs from input rank {Rank}.", nameof(index));
        }

        for (int i = 0; i < Rank; i++)
        {
            if (i != d && index.ShapeArray[i] > ShapeArray[i])
            {
                throw new ArgumentException($"Gather: index shape {ShapeUtil.Format(index.ShapeArray)} exceeds input shape {ShapeUtil.Format(ShapeArray)} outside dim {dim}.", nameof(index));
            }
        }

        var idx = index.Dense();
        var positions = new int[idx.Length];
        var coord = new int[Rank];
        for (int e = 0; e < idx.Length; e++)
        {
            float v = idx.Data[idx.Offset + e];
            int iv = (int)v;
            if (iv != v || (uint)iv >= (uint)ShapeArray[d])
            {
                throw new ArgumentOutOfRangeException(nameof(index), $"Gather: index value {v} is out of range for dimension {dim} of size {ShapeArray[d]}.");
            }

            int off = Offset;
            for (int k = 0; k < Rank; k++)
            {
                off += (k == d ? iv : coord[k]) * StridesArray[k];
            }

            positions[e] = off;
            for (int k = Rank - 1; k >= 0; k--)
            {
                if (++coord[k] < idx.ShapeArray[k])
                {
                    break;
                }

                coord[k] = 0;
            }
        }

        var r = Uninitialized((int[])idx.ShapeArray.Clone());
        for (int e = 0; e < positions.Length; e++)
        {
            r.Data[e] = Data[positions[e]];
        }

        if (!NeedsGrad(this))
        {
            return r;
        }

        var src = this;
        return r.Record("Gather", [this], g =>
        {
            // Scatter-add into a contiguous buffer laid out like the source view's coordinates.
            var z = Zeros(src.ShapeArray);
            var gd = g.Dense();
            var c = new int[src.Rank];
            var zs = z.StridesArray;
            for (int e = 0; e < positions.Length; e++)
            {
                int rem = e, off = 0;
                for (int k = src.Rank - 1; k >= 0; k--)
                {
                    c[k] = rem % idx.ShapeArray[k];
                    rem /= idx.ShapeArray[k];
                }

                c[d] = (int)idx.Data[idx.Offset + e];
                for (int k = 0; k < src.Rank; k++)
                {
                    off += c[k] * zs[k];
                }

                z.Data[off] += gd.Data[gd.Offset + e];
            }

            return [z];
        });
    }

    /// <summary>Fills positions where <paramref name="mask"/> (broadcast) is non-zero with <paramref name="value"/>; gradient flows elsewhere.</summary>
    public Tensor MaskedFill(Tensor mask, float value) => Where(mask, Scalar(value), this);

    private static int[] ToIndices(Tensor t, string op)
    {
        var d = t.ToArray();
        var r = new int[d.Length];
        for (int i = 0; i < d.Length; i++)
        {
            r[i] = (int)d[i];
            if (r[i] != d[i])
            {
                throw new ArgumentException($"{op}: index value {d[i]} is not an integer.", nameof(t));
            }
        }

        return r;
    }
}
