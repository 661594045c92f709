using System.Numerics.Tensors;

namespace Affetto.Nn.Tensors;

/// <summary>Binary operations of the broadcasting kernel.</summary>
internal enum BinaryOp
{
    Add,
    Sub,
    Mul,
    Div,
    Max,
    Min,
    Pow,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// <summary>
/// Strided, broadcasting element-wise kernels. Operands are coalesced to the longest possible rows; rows with unit or
/// zero strides go through TensorPrimitives (vectorised), anything else through a scalar loop.
/// </summary>
internal static class Elementwise
{
    /// <summary>Copies a strided source into a strided destination of the same shape.</summary>
    public static void Copy(float[] src, int srcOff, int[] srcStrides, float[] dst, int dstOff, int[] dstStrides, int[] shape)
    {
        if (ShapeUtil.Numel(shape) == 0)
        {
            return;
        }

        int rank = ShapeUtil.Coalesce(shape, [srcStrides, dstStrides], out var cs, out var st);
        int inner = cs[rank - 1];
        int si = st[0][rank - 1], di = st[1][rank - 1];
        var idx = new int[rank];
        int so = srcOff, dO = dstOff;
        int rows = ShapeUtil.Numel(cs) / inner;
        for (int r = 0; r < rows; r++)
        {
            if (si == 1 && di == 1)
            {
                src.AsSpan(so, inner).CopyTo(dst.AsSpan(dO, inner));
            }
            else if (si == 0 && di == 1)
            {
                dst.AsSpan(dO, inner).Fill(src[so]);
            }
            else
            {
                for (int i = 0, a = so, b = dO; i < inner; i++, a += si, b += di)
                {
                    dst[b] = src[a];
                }
            }

            Advance(idx, cs, st, rank - 1, ref so, ref dO);
        }
    }

    private static void Advance(int[] idx, int[] shape, int[][] st, int upTo, ref int o0, ref int o1)
    {
        for (int d = upTo - 1; d >= 0; d--)
        {
            idx[d]++;
            o0 += st[0][d];
            o1 += st[1][d];
            if (idx[d] < shape[d])
            {
                return;
            }

            o0 -= st[0][d] * shape[d];
            o1 -= st[1][d] * shape[d];
            idx[d] = 0;
        }
    }

    private static void Advance3(int[] idx, int[] shape, int[][] st, int upTo, ref int o0, ref int o1, ref int o2)
    {
        for (int d = upTo - 1; d >= 0; d--)
        {
            idx[d]++;
            o0 += st[0][d];
            o1 += st[1][d];
            o2 += st[2][d];
            if (idx[d] < shape[d])
            {
                return;
            }

            o0 -= st[0][d] * shape[d];
            o1 -= st[1][d] * shape[d];
            o2 -= st[2][d] * shape[d];
            idx[d] = 0;
        }
    }

    /// <summary>Computes op(a, b) with broadcasting into a new contiguous tensor.</summary>
    public static Tensor Binary(BinaryOp op, Tensor a, Tensor b)
    {
        var outShape = ShapeUtil.SameShape(a.ShapeArray, b.ShapeArray) ? (int[])a.ShapeArray.Clone() : ShapeUtil.Broadcast(a.ShapeArray, b.ShapeArray);
        var o = Tensor.Uninitialized(outShape);
        int n = o.Length;
        if (n == 0)
        {
            return o;
        }

        // Large operands are split over the kernel threads (residual adds, squeeze-and-excitation scaling and the like
        // are whole activations, and one thread alone leaves half the memory bandwidth unused).
        if (a.IsContiguous && b.IsContiguous && a.Length == n && b.Length == n)
        {
            Kernels.NormImpl.Chunked(n, (s, count) => Row(op, a.Data, a.Offset + s, 1, b.Data, b.Offset + s, 1, o.Data, s, count));
            return o;
        }

        var sa = ShapeUtil.BroadcastStrides(a.ShapeArray, a.StridesArray, outShape);
        var sb = ShapeUtil.BroadcastStrides(b.ShapeArray, b.StridesArray, outShape);
        int rank = ShapeUtil.Coalesce(outShape, [sa, sb, o.StridesArray], out var cs, out var st);
        int inner = cs[rank - 1];
        int rows = n / inner;
        int workers = n < Kernels.NormImpl.MinParallel ? 1 : Kernels.Parallelism.EffectiveThreads;
        int parts = workers <= 1 ? 1 : Kernels.Parallelism.Parts(workers, rows);
        Kernels.Parallelism.For(parts, parts == 1 ? 1 : workers, part =>
        {
            int r0 = (int)((long)rows * part / parts), r1 = (int)((long)rows * (part + 1) / parts);
            // Offsets and index of row r0: its digits in the coalesced outer shape.
            var idx = new int[rank];
            int oa = a.Offset, ob = b.Offset, oo = 0;
            for (int d = rank - 2, rest = r0; d >= 0; d--)
            {
                idx[d] = rest % cs[d];
                rest /= cs[d];
                oa += idx[d] * st[0][d];
                ob += idx[d] * st[1][d];
                oo += idx[d] * st[2][d];
            }

            for (int r = r0; r < r1; r++)
            {
                Row(op, a.Data, oa, st[0][rank - 1], b.Data, ob, st[1][rank - 1], o.Data, oo, inner);
                Advance3(idx, cs, st, rank - 1, ref oa, ref ob, ref oo);
            }
        });

        return o;
    }

    private static void Row(BinaryOp op, float[] a, int oa, int sa, float[] b, int ob, int sb, float[] o, int oo, int n)
    {
        var d = o.AsSpan(oo, n);
        if (sa == 1 && sb == 1)
        {
            var x = a.AsSpan(oa, n);
            var y = b.AsSpan(ob, n);
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(x, y, d); return;
                case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, d); return;
                case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, d); return;
                case BinaryOp.Div: TensorPrimitives.Divide(x, y, d); return;
                case BinaryOp.Max: TensorPrimitives.Max(x, y, d); return;
                case BinaryOp.Min: TensorPrimitives.Min(x, y, d); return;
                case BinaryOp.Pow: TensorPrimitives.Pow(x, y, d); return;
            }
        }
        else if (sa == 1 && sb == 0)
        {
            var x = a.AsSpan(oa, n);
            float y = b[ob];
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(x, y, d); return;
                case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, d); return;
                case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, d); return;
                case BinaryOp.Div: TensorPrimitives.Divide(x, y, d); return;
                case BinaryOp.Max: TensorPrimitives.Max(x, y, d); return;
                case BinaryOp.Min: TensorPrimitives.Min(x, y, d); return;
                case BinaryOp.Pow when y == 2f: TensorPrimitives.Multiply(x, x, d); return;
                case BinaryOp.Pow: TensorPrimitives.Pow(x, y, d); return;
            }
        }
        else if (sa == 0 && sb == 1)
        {
            float x = a[oa];
            var y = b.AsSpan(ob, n);
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(y, x, d); return;
                case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, d); return;
                case BinaryOp.Mul: TensorPrimitives.Multiply(y, x, d); return;
                case BinaryOp.Div: TensorPrimitives.Divide(x, y, d); return;
                case BinaryOp.Max: TensorPrimitives.Max(y, x, d); return;
                case BinaryOp.Min: TensorPrimitives.Min(y, x, d); return;
            }
        }

        for (int i = 0, ia = oa, ib = ob; i < n; i++, ia += sa, ib += sb)
        {
            d[i] = Apply(op, a[ia], b[ib]);
        }
    }

    public static float Apply(BinaryOp op, float x, float y) => op switch
    {
        BinaryOp.Add => x + y,
        BinaryOp.Sub => x - y,
        BinaryOp.Mul => x * y,
        BinaryOp.Div => x / y,
        BinaryOp.Max => float.IsNaN(x) || float.IsNaN(y) ? float.NaN : Math.Max(x, y),
        BinaryOp.Min => float.IsNaN(x) || float.IsNaN(y) ? float.NaN : Math.Min(x, y),
        BinaryOp.Pow => MathF.Pow(x, y),
        BinaryOp.Eq => x == y ? 1f : 0f,
        BinaryOp.Ne => x != y ? 1f : 0f,
        BinaryOp.Lt => x < y ? 1f : 0f,
        BinaryOp.Le => x <= y ? 1f : 0f,
        BinaryOp.Gt => x > y ? 1f : 0f,
        BinaryOp.Ge => x >= y ? 1f : 0f,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Error function (Numerical Recipes' erfc Chebyshev fit, fractional error below 1.2e-7), in double.</summary>
    public static double Erf(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double ans = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
            t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1.0 - ans : ans - 1.0;
    }
}
