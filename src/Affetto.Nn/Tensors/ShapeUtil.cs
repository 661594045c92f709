namespace Affetto.Nn.Tensors;

/// <summary>Shape and stride arithmetic shared by tensor operations.</summary>
internal static class ShapeUtil
{
    public static int Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            n *= d;
        }

        if (n > int.MaxValue)
        {
            throw new ArgumentException($"Tensor shape [{string.Join(", ", shape.ToArray())}] has more than {int.MaxValue} elements.");
        }

        return (int)n;
    }

    public static int[] ContiguousStrides(int[] shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            s[i] = acc;
            acc *= Math.Max(shape[i], 1);
        }

        return s;
    }

    public static bool IsContiguous(int[] shape, int[] strides)
    {
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] != 1 && strides[i] != acc)
            {
                return false;
            }

            acc *= shape[i];
        }

        return true;
    }

    public static int NormalizeDim(int dim, int rank, string what = "dim")
    {
        int r = Math.Max(rank, 1);
        int d = dim < 0 ? dim + r : dim;
        if (d < 0 || d >= r)
        {
            throw new ArgumentException($"{what} {dim} is out of range for a tensor of rank {rank}.", what);
        }

        return d;
    }

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    public static bool SameShape(int[] a, int[] b) => a.AsSpan().SequenceEqual(b);

    public static int[] Broadcast(int[] a, int[] b)
    {
        int r = Math.Max(a.Length, b.Length);
        var o = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i - (r - a.Length) >= 0 ? a[i - (r - a.Length)] : 1;
            int db = i - (r - b.Length) >= 0 ? b[i - (r - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException($"Shapes {Format(a)} and {Format(b)} cannot be broadcast together (dimension {i}: {da} vs {db}).");
            }

            o[i] = da == 1 ? db : da;
        }

        return o;
    }

    /// <summary>Strides of a tensor viewed with the broadcast shape <paramref name="outShape"/> (0 on broadcast dims).</summary>
    public static int[] BroadcastStrides(int[] shape, int[] strides, int[] outShape)
    {
        int r = outShape.Length;
        var s = new int[r];
        int off = r - shape.Length;
        for (int i = 0; i < shape.Length; i++)
        {
            s[i + off] = shape[i] == 1 && outShape[i + off] != 1 ? 0 : strides[i];
        }

        return s;
    }

    /// <summary>
    /// Merges adjacent dimensions that are laid out consecutively for every operand and drops size-1 dimensions, so
    /// strided loops run over as few, as long rows as possible. Returns the coalesced rank (at least 1).
    /// </summary>
    public static int Coalesce(int[] shape, int[][] strides, out int[] cShape, out int[][] cStrides)
    {
        int nOps = strides.Length;
        var sh = new List<int>(shape.Length);
        var st = new List<int>[nOps];
        for (int k = 0; k < nOps; k++)
        {
            st[k] = new List<int>(shape.Length);
        }

        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1)
            {
                continue;
            }

            if (sh.Count > 0)
            {
                int last = sh.Count - 1;
                bool merge = true;
                for (int k = 0; k < nOps; k++)
                {
                    if (st[k][last] != strides[k][i] * shape[i])
                    {
                        merge = false;
                        break;
                    }
                }

                if (merge)
                {
                    sh[last] *= shape[i];
                    for (int k = 0; k < nOps; k++)
                    {
                        st[k][last] = strides[k][i];
                    }

                    continue;
                }
            }

            sh.Add(shape[i]);
            for (int k = 0; k < nOps; k++)
            {
                st[k].Add(strides[k][i]);
            }
        }

        if (sh.Count == 0)
        {
            sh.Add(1);
            for (int k = 0; k < nOps; k++)
            {
                st[k].Add(1);
            }
        }

        cShape = sh.ToArray();
        cStrides = new int[nOps][];
        for (int k = 0; k < nOps; k++)
        {
            cStrides[k] = st[k].ToArray();
        }

        return cShape.Length;
    }

    public static int[] NormalizeAxes(int[]? axes, int rank)
    {
        if (axes == null || axes.Length == 0)
        {
            var all = new int[rank];
            for (int i = 0; i < rank; i++)
            {
                all[i] = i;
            }

            return all;
        }

        var set = new SortedSet<int>();
        foreach (int a in axes)
        {
            int d = NormalizeDim(a, rank, "axis");
            if (!set.Add(d))
            {
                throw new ArgumentException($"Axis {a} is repeated in the reduction axes.", nameof(axes));
            }
        }

        return set.ToArray();
    }
}
