using System.Numerics.Tensors;

namespace Affetto.Nn.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Lays the tensor out as rows of the reduced elements: returns contiguous data [outer, reduce] plus the kept shape.
    /// Trailing reductions need no copy; others permute the reduced axes to the end and copy.
    /// </summary>
    private (float[] Data, int DataOffset, int Outer, int Reduce, int[] OutShape, int[] KeepShape) ReduceLayout(int[] axes)
    {
        var isReduced = new bool[Rank];
        foreach (int a in axes)
        {
            isReduced[a] = true;
        }

        var outShape = new List<int>();
        var keepShape = new int[Rank];
        int reduce = 1;
        bool trailing = true;
        for (int i = 0; i < Rank; i++)
        {
            if (isReduced[i])
            {
                reduce *= ShapeArray[i];
                keepShape[i] = 1;
            }
            else
            {
                outShape.Add(ShapeArray[i]);
                keepShape[i] = ShapeArray[i];
                for (int j = 0; j < i; j++)
                {
                    if (isReduced[j] && ShapeArray[j] != 1)
                    {
                        trailing = false;
                    }
                }
            }
        }

        int outer = reduce == 0 ? ShapeUtil.Numel(outShape.ToArray()) : Length / Math.Max(reduce, 1);
        if (trailing)
        {
            var d = Dense();
            return (d.Data, d.Offset, outer, reduce, outShape.ToArray(), keepShape);
        }

        var perm = new List<int>();
        for (int i = 0; i < Rank; i++)
        {
            if (!isReduced[i])
            {
                perm.Add(i);
            }
        }

        perm.AddRange(axes);
        var p = Detach().Permute(perm.ToArray()).Dense();
        return (p.Data, p.Offset, outer, reduce, outShape.ToArray(), keepShape);
    }

    /// <summary>Sum over <paramref name="axes"/> (all when null/empty), optionally keeping reduced dims as size 1.</summary>
    public Tensor Sum(int[]? axes = null, bool keepDim = false)
    {
        var ax = ShapeUtil.NormalizeAxes(axes, Rank);
        var (data, off, outer, reduce, outShape, keepShape) = ReduceLayout(ax);
        var r = Uninitialized(keepDim ? keepShape : outShape);
        for (int o = 0; o < outer; o++)
        {
            r.Data[o] = reduce == 0 ? 0f : TensorPrimitives.Sum(data.AsSpan(off + (o * reduce), reduce));
        }

        if (!NeedsGrad(this))
        {
            return r;
        }

        return RecordSum(r, this, keepShape);
    }

    private static Tensor RecordSum(Tensor r, Tensor input, int[] keepShape)
    {
        var inShape = input.ShapeArray;
        return r.Record("Sum", [input], g => [g.Reshape(keepShape).Expand(inShape)]);
    }

    /// <summary>Sum over one dimension.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => Sum([dim], keepDim);

    /// <summary>Mean over <paramref name="axes"/> (all when null/empty).</summary>
    public Tensor Mean(int[]? axes = null, bool keepDim = false)
    {
        var ax = ShapeUtil.NormalizeAxes(axes, Rank);
        int count = 1;
        foreach (int a in ax)
        {
            count *= ShapeArray[a];
        }

        return Sum(ax, keepDim).Mul(1f / count);
    }

    /// <summary>Mean over one dimension.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => Mean([dim], keepDim);

    /// <summary>Variance over <paramref name="axes"/>; <paramref name="unbiased"/> divides by N-1 (PyTorch's default) instead of N.</summary>
    public Tensor Var(int[]? axes = null, bool unbiased = true, bool keepDim = false)
    {
        var ax = ShapeUtil.NormalizeAxes(axes, Rank);
        int count = 1;
        foreach (int a in ax)
        {
            count *= ShapeArray[a];
        }

        var centered = Sub(Mean(ax, keepDim: true));
        return centered.Mul(centered).Sum(ax, keepDim).Mul(1f / Math.Max(unbiased ? count - 1 : count, 1));
    }

    /// <summary>Standard deviation over <paramref name="axes"/> (see <see cref="Var"/>).</summary>
    public Tensor Std(int[]? axes = null, bool unbiased = true, bool keepDim = false) => Var(axes, unbiased, keepDim).Sqrt();

    /// <summary>Maximum over <paramref name="axes"/> (all when null/empty); the gradient goes to the first maximum of each row.</summary>
    public Tensor Max(int[]? axes = null, bool keepDim = false) => Extreme(axes, keepDim, true).Values;

    /// <summary>Minimum over <paramref name="axes"/> (all when null/empty); the gradient goes to the first minimum of each row.</summary>
    public Tensor Min(int[]? axes = null, bool keepDim = false) => Extreme(axes, keepDim, false).Values;

    /// <summary>Maximum along one dimension with its indices (as float values), like <c>torch.max(x, dim)</c>.</summary>
    public (Tensor Values, Tensor Indices) MaxWithIndices(int dim, bool keepDim = false) => Extreme([dim], keepDim, true);

    /// <summary>Index of the maximum along <paramref name="dim"/> (first one on ties) as float values.</summary>
    public Tensor ArgMax(int dim, bool keepDim = false)
    {
        using (NoGrad())
        {
            return Extreme([dim], keepDim, true).Indices;
        }
    }

    /// <summary>Index of the minimum along <paramref name="dim"/> (first one on ties) as float values.</summary>
    public Tensor ArgMin(int dim, bool keepDim = false)
    {
        using (NoGrad())
        {
            return Extreme([dim], keepDim, false).Indices;
        }
    }

    private (Tensor Values, Tensor Indices) Extreme(int[]? axes, bool keepDim, bool max)
    {
        var ax = ShapeUtil.NormalizeAxes(axes, Rank);
        var (data, off, outer, reduce, outShape, keepShape) = ReduceLayout(ax);
        if (reduce == 0)
        {
            throw new InvalidOperationException($"{(max ? "Max" : "Min")} of an empty dimension (shape {ShapeUtil.Format(ShapeArray)}).");
        }

        var shape = keepDim ? keepShape : outShape;
        var v = Uninitialized(shape);
        var ix = Uninitialized((int[])shape.Clone());
        for (int o = 0; o < outer; o++)
        {
            var row = data.AsSpan(off + (o * reduce), reduce);
            int best = 0;
            float bv = row[0];
            for (int i = 1; i < row.Length && !float.IsNaN(bv); i++)
            {
                float x = row[i];
                if (float.IsNaN(x) || (max ? x > bv : x < bv))
                {
                    bv = x;
                    best = i;
                }
            }

            v.Data[o] = bv;
            ix.Data[o] = best;
        }

        if (!NeedsGrad(this))
        {
            return (v, ix);
        }

        var inShape = ShapeArray;
        var axesCopy = ax;
        v.Record(max ? "Max" : "Min", [this], g =>
        {
            // Scatter each row's gradient to its winning position in the [outer, reduce] layout, then undo the permutation.
            var gd = g.Dense();
            var flat = new float[outer * reduce];
            for (int o = 0; o < outer; o++)
            {
                flat[(o * reduce) + (int)ix.Data[o]] = gd.Data[gd.Offset + o];
            }

            return [Unlayout(flat, inShape, axesCopy)];
        });
        return (v, ix);
    }

    /// <summary>Inverse of <see cref="ReduceLayout"/>: a [kept..., reduced...] buffer back to the input's dimension order.</summary>
    private static Tensor Unlayout(float[] flat, int[] inShape, int[] axes)
    {
        var isReduced = new bool[inShape.Length];
        foreach (int a in axes)
        {
            isReduced[a] = true;
        }

        var perm = new List<int>();
        for (int i = 0; i < inShape.Length; i++)
        {
            if (!isReduced[i])
            {
                perm.Add(i);
            }
        }

        perm.AddRange(axes);
        var permShape = new int[inShape.Length];
        var inverse = new int[inShape.Length];
        for (int i = 0; i < perm.Count; i++)
        {
            permShape[i] = inShape[perm[i]];
            inverse[perm[i]] = i;
        }

        return new Tensor(flat, permShape).Permute(inverse).Dense();
    }

    /// <summary>log(sum(exp(x))) over <paramref name="dim"/>, computed stably.</summary>
    public Tensor LogSumExp(int dim, bool keepDim = false)
    {
        Tensor m;
        using (NoGrad())
        {
            m = Max([dim], keepDim: true);
        }

        var r = Sub(m).Exp().Sum([dim], keepDim: true).Log().Add(m);
        return keepDim ? r : r.Squeeze(dim);
    }

    /// <summary>Euclidean norm of all elements.</summary>
    public Tensor Norm() => Mul(this).Sum().Sqrt();
}
