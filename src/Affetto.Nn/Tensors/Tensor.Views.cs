namespace Affetto.Nn.Tensors;

public sealed partial class Tensor
{
    private int[] InferShape(int[] shape)
    {
        var s = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1)
            {
                if (infer >= 0)
                {
                    throw new ArgumentException($"Shape {ShapeUtil.Format(shape)} has more than one -1.", nameof(shape));
                }

                infer = i;
            }
            else if (s[i] < 0)
            {
                throw new ArgumentException($"Shape {ShapeUtil.Format(shape)} has a negative dimension.", nameof(shape));
            }
            else
            {
                known *= s[i];
            }
        }

        if (infer >= 0)
        {
            if (known == 0 || Length % known != 0)
            {
                throw new ArgumentException($"Cannot reshape a tensor of shape {ShapeUtil.Format(ShapeArray)} ({Length} elements) into {ShapeUtil.Format(shape)}.", nameof(shape));
            }

            s[infer] = (int)(Length / known);
        }
        else if (known != Length)
        {
            throw new ArgumentException($"Cannot reshape a tensor of shape {ShapeUtil.Format(ShapeArray)} ({Length} elements) into {ShapeUtil.Format(shape)}.", nameof(shape));
        }

        return s;
    }

    /// <summary>The same elements with a new shape (one dimension may be -1); a view when contiguous, else a copy.</summary>
    public Tensor Reshape(params int[] shape)
    {
        var s = InferShape(shape);
        var src = IsContiguous ? this : Contiguous();
        var r = new Tensor(src.Data, src.Offset, s, ShapeUtil.ContiguousStrides(s));
        if (!NeedsGrad(src))
        {
            return r;
        }

        return RecordReshapeLike(r, src, "Reshape");
    }

    /// <summary>Like <see cref="Reshape"/> but never copies: throws for non-contiguous tensors.</summary>
    public Tensor View(params int[] shape)
    {
        if (!IsContiguous)
        {
            throw new InvalidOperationException($"View needs a contiguous tensor (shape {ShapeUtil.Format(ShapeArray)} is a strided view); use Reshape or Contiguous().");
        }

        return Reshape(shape);
    }

    /// <summary>A contiguous version: this tensor itself when already contiguous, else a copy.</summary>
    public Tensor Contiguous()
    {
        if (IsContiguous)
        {
            return this;
        }

        var r = Dense();
        return NeedsGrad(this) ? r.Record("Contiguous", [this], static g => [g]) : r;
    }

    /// <summary>Reorders dimensions (a view).</summary>
    public Tensor Permute(params int[] dims)
    {
        if (dims.Length != Rank)
        {
            throw new ArgumentException($"Permute: {dims.Length} dims given for a tensor of rank {Rank}.", nameof(dims));
        }

        var shape = new int[Rank];
        var strides = new int[Rank];
        var inverse = new int[Rank];
        var seen = new bool[Rank];
        for (int i = 0; i < Rank; i++)
        {
            int d = ShapeUtil.NormalizeDim(dims[i], Rank);
            if (seen[d])
            {
                throw new ArgumentException($"Permute: dimension {dims[i]} is repeated.", nameof(dims));
            }

            seen[d] = true;
            shape[i] = ShapeArray[d];
            strides[i] = StridesArray[d];
            inverse[d] = i;
        }

        var r = new Tensor(Data, Offset, shape, strides);
        return NeedsGrad(this) ? r.Record("Permute", [this], g => [g.Permute(inverse)]) : r;
    }

    /// <summary>Swaps two dimensions (a view).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        var p = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            p[i] = i;
        }

        int a = ShapeUtil.NormalizeDim(dim0, Rank), b = ShapeUtil.NormalizeDim(dim1, Rank);
        (p[a], p[b]) = (p[b], p[a]);
        return Permute(p);
    }

    /// <summary>Transpose of a 2-D tensor (a view).</summary>
    public Tensor T
    {
        get
        {
            if (Rank != 2)
            {
                throw new InvalidOperationException($"T needs a 2-D tensor; this one has shape {ShapeUtil.Format(ShapeArray)}.");
            }

            return Transpose(0, 1);
        }
    }

    /// <summary>Elements <paramref name="start"/>..start+length-1 along <paramref name="dim"/> (a view).</summary>
    public Tensor Narrow(int dim, int start, int length) => Slice(dim, start, start + length, 1);

    /// <summary>Elements start, start+step, ... (&lt; end) along <paramref name="dim"/> (a view). Negative start/end count from the end.</summary>
    public Tensor Slice(int dim, int start, int end, int step = 1)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank);
        int n = ShapeArray[d];
        if (step <= 0)
        {
            throw new ArgumentException($"Slice: step must be positive, got {step}.", nameof(step));
        }

        int s = start < 0 ? start + n : start;
        int e = end < 0 ? end + n : Math.Min(end, n);
        if (s < 0 || s > n || e < s)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {end}) is out of range for dimension {dim} of size {n}.");
        }

        var shape = (int[])ShapeArray.Clone();
        var strides = (int[])StridesArray.Clone();
        shape[d] = (e - s + step - 1) / step;
        strides[d] *= step;
        var r = new Tensor(Data, Offset + (s * StridesArray[d]), shape, strides);
        if (!NeedsGrad(this))
        {
            return r;
        }

        var inShape = ShapeArray;
        r.Record("Slice", [this], g =>
        {
            var z = Zeros(inShape);
            z.Slice(d, s, e, step).CopyFrom(g);
            return [z];
        });
        r.GradFn!.AccumulateInto = (g, buffer) => buffer.Slice(d, s, e, step).AddInPlace(g);
        return r;
    }

    /// <summary>The slice at <paramref name="index"/> along <paramref name="dim"/>, with that dimension removed (a view).</summary>
    public Tensor Select(int dim, int index)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank);
        int ix = index < 0 ? index + ShapeArray[d] : index;
        if ((uint)ix >= (uint)ShapeArray[d])
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Select: index {index} is out of range for dimension {dim} of size {ShapeArray[d]}.");
        }

        return Slice(d, ix, ix + 1).Squeeze(d);
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/> (a view).</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = dim < 0 ? dim + Rank + 1 : dim;
        if (d < 0 || d > Rank)
        {
            throw new ArgumentException($"Unsqueeze: dim {dim} is out of range for rank {Rank}.", nameof(dim));
        }

        var shape = new List<int>(ShapeArray);
        var strides = new List<int>(StridesArray);
        shape.Insert(d, 1);
        strides.Insert(d, d < Rank ? StridesArray[d] * ShapeArray[d] : 1);
        return ViewAs(shape.ToArray(), strides.ToArray(), "Unsqueeze");
    }

    /// <summary>Removes dimension <paramref name="dim"/> if its size is 1 (a view).</summary>
    public Tensor Squeeze(int dim)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank);
        if (ShapeArray[d] != 1)
        {
            return this;
        }

        var shape = new List<int>(ShapeArray);
        var strides = new List<int>(StridesArray);
        shape.RemoveAt(d);
        strides.RemoveAt(d);
        return ViewAs(shape.ToArray(), strides.ToArray(), "Squeeze");
    }

    /// <summary>Removes every dimension of size 1 (a view).</summary>
    public Tensor Squeeze()
    {
        var shape = new List<int>();
        var strides = new List<int>();
        for (int i = 0; i < Rank; i++)
        {
            if (ShapeArray[i] != 1)
            {
                shape.Add(ShapeArray[i]);
                strides.Add(StridesArray[i]);
            }
        }

        return ViewAs(shape.ToArray(), strides.ToArray(), "Squeeze");
    }

    private Tensor ViewAs(int[] shape, int[] strides, string name)
    {
        var r = new Tensor(Data, Offset, shape, strides);
        if (!NeedsGrad(this))
        {
            return r;
        }

        return RecordReshapeLike(r, this, name);
    }

    private static Tensor RecordReshapeLike(Tensor r, Tensor input, string name)
    {
        var orig = input.ShapeArray;
        return r.Record(name, [input], g => [g.Reshape(orig)]);
    }

    /// <summary>Broadcasts size-1 dimensions (and new leading ones) to <paramref name="shape"/> without copying; -1 keeps a size.</summary>
    public Tensor Expand(params int[] shape)
    {
        if (shape.Length < Rank)
        {
            throw new ArgumentException($"Expand: target {ShapeUtil.Format(shape)} has fewer dimensions than {ShapeUtil.Format(ShapeArray)}.", nameof(shape));
        }

        var s = (int[])shape.Clone();
        int lead = s.Length - Rank;
        var strides = new int[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            if (i < lead)
            {
                if (s[i] < 0)
                {
                    throw new ArgumentException($"Expand: -1 is not allowed for new leading dimensions ({ShapeUtil.Format(shape)}).", nameof(shape));
                }

                strides[i] = 0;
                continue;
            }

            int own = ShapeArray[i - lead];
            if (s[i] == -1)
            {
                s[i] = own;
            }

            if (own == s[i])
            {
                strides[i] = StridesArray[i - lead];
            }
            else if (own == 1)
            {
                strides[i] = 0;
            }
            else
            {
                throw new ArgumentException($"Expand: cannot expand {ShapeUtil.Format(ShapeArray)} to {ShapeUtil.Format(shape)}.", nameof(shape));
            }
        }

        var r = new Tensor(Data, Offset, s, strides);
        if (!NeedsGrad(this))
        {
            return r;
        }

        var orig = ShapeArray;
        return r.Record("Expand", [this], g => [SumTo(g, orig)]);
    }

    /// <summary>Merges dimensions <paramref name="startDim"/>..<paramref name="endDim"/> into one.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0)
        {
            return Reshape(1);
        }

        int s = ShapeUtil.NormalizeDim(startDim, Rank), e = ShapeUtil.NormalizeDim(endDim, Rank);
        if (e < s)
        {
            throw new ArgumentException($"Flatten: endDim {endDim} is before startDim {startDim}.", nameof(endDim));
        }

        var shape = new List<int>();
        for (int i = 0; i < s; i++)
        {
            shape.Add(ShapeArray[i]);
        }

        int m = 1;
        for (int i = s; i <= e; i++)
        {
            m *= ShapeArray[i];
        }

        shape.Add(m);
        for (int i = e + 1; i < Rank; i++)
        {
            shape.Add(ShapeArray[i]);
        }

        return Reshape(shape.ToArray());
    }
}
