using System.Numerics.Tensors;

namespace Affetto.Nn.Tensors;

public sealed partial class Tensor
{
    /// <summary>This tensor if contiguous, otherwise a contiguous copy; never recorded (for kernels).</summary>
    internal Tensor Dense()
    {
        if (IsContiguous)
        {
            return this;
        }

        var r = Uninitialized((int[])ShapeArray.Clone());
        Elementwise.Copy(Data, Offset, StridesArray, r.Data, 0, r.StridesArray, ShapeArray);
        return r;
    }

    /// <summary>Reduces a broadcast gradient back to <paramref name="shape"/> by summing the broadcast dimensions.</summary>
    internal static Tensor SumTo(Tensor g, int[] shape)
    {
        if (ShapeUtil.SameShape(g.ShapeArray, shape))
        {
            return g;
        }

        int lead = g.Rank - shape.Length;
        var axes = new List<int>();
        for (int i = 0; i < g.Rank; i++)
        {
            if (i < lead || (shape[i - lead] == 1 && g.ShapeArray[i] != 1))
            {
                axes.Add(i);
            }
        }

        var s = axes.Count > 0 ? g.Sum(axes.ToArray(), keepDim: true) : g;
        return s.Reshape(shape);
    }

    // ---------------------------------------------------------------- binary arithmetic

    /// <summary>Element-wise sum with broadcasting.</summary>
    public Tensor Add(Tensor other)
    {
        var r = Elementwise.Binary(BinaryOp.Add, this, other);
        if (!NeedsGrad(this, other))
        {
            return r;
        }

        return RecordAdd(r, this, other);
    }

    /// <summary>Element-wise difference with broadcasting.</summary>
    public Tensor Sub(Tensor other)
    {
        var r = Elementwise.Binary(BinaryOp.Sub, this, other);
        if (!NeedsGrad(this, other))
        {
            return r;
        }

        return RecordSub(r, this, other);
    }

    /// <summary>Element-wise product with broadcasting.</summary>
    public Tensor Mul(Tensor other)
    {
        var r = Elementwise.Binary(BinaryOp.Mul, this, other);
        return NeedsGrad(this, other) ? RecordMul(r, this, other) : r;
    }

    private static Tensor RecordMul(Tensor r, Tensor a, Tensor b) =>
        r.Record("Mul", [a, b], g => [a.RequiresGrad ? SumTo(g.Mul(b), a.ShapeArray) : null, b.RequiresGrad ? SumTo(g.Mul(a), b.ShapeArray) : null]);

    /// <summary>Element-wise quotient with broadcasting.</summary>
    public Tensor Div(Tensor other)
    {
        var r = Elementwise.Binary(BinaryOp.Div, this, other);
        return NeedsGrad(this, other) ? RecordDiv(r, this, other) : r;
    }

    private static Tensor RecordDiv(Tensor r, Tensor a, Tensor b) =>
        r.Record("Div", [a, b], g => [
            a.RequiresGrad ? SumTo(g.Div(b), a.ShapeArray) : null,
            b.RequiresGrad ? SumTo(g.Mul(r).Div(b).Neg(), b.ShapeArray) : null]);

    /// <summary>Element-wise maximum with broadcasting (ties share the gradient equally, as PyTorch).</summary>
    public Tensor Maximum(Tensor other) => MinMax(BinaryOp.Max, other);

    /// <summary>Element-wise minimum with broadcasting (ties share the gradient equally, as PyTorch).</summary>
    public Tensor Minimum(Tensor other) => MinMax(BinaryOp.Min, other);

    private Tensor MinMax(BinaryOp op, Tensor other)
    {
        var r = Elementwise.Binary(op, this, other);
        if (!NeedsGrad(this, other))
        {
            return r;
        }

        var a = this;
        return r.Record(op == BinaryOp.Max ? "Maximum" : "Minimum", [this, other], g =>
        {
            var win = Elementwise.Binary(op == BinaryOp.Max ? BinaryOp.Gt : BinaryOp.Lt, a, other);
            var tie = Elementwise.Binary(BinaryOp.Eq, a, other);
            var wa = win.Add(tie.Mul(0.5f));
            var wb = Scalar(1f).Sub(wa);
            return [SumTo(g.Mul(wa), a.ShapeArray), SumTo(g.Mul(wb), other.ShapeArray)];
        });
    }

    /// <summary>Element-wise power with a tensor exponent (broadcasting).</summary>
    public Tensor Pow(Tensor exponent)
    {
        var r = Elementwise.Binary(BinaryOp.Pow, this, exponent);
        if (!NeedsGrad(this, exponent))
        {
            return r;
        }

        var a = this;
        return r.Record("Pow", [this, exponent], g => [
            a.RequiresGrad ? SumTo(g.Mul(exponent).Mul(a.Pow(exponent.Sub(Scalar(1f)))), a.ShapeArray) : null,
            exponent.RequiresGrad ? SumTo(g.Mul(r).Mul(a.Log()), exponent.ShapeArray) : null]);
    }

    /// <summary>Element-wise power with a scalar exponent.</summary>
    public Tensor Pow(float exponent)
    {
        var x = Dense();
        var r = Uninitialized((int[])ShapeArray.Clone());
        if (exponent == 2f)
        {
            TensorPrimitives.Multiply(x.Span, x.Span, r.Data);
        }
        else
        {
            TensorPrimitives.Pow(x.Span, exponent, r.Data);
        }

        if (!NeedsGrad(this))
        {
            return r;
        }

        var a = this;
        return r.Record("PowScalar", [this], g => [exponent == 2f ? g.Mul(a).Mul(2f) : g.Mul(a.Pow(exponent - 1f)).Mul(exponent)]);
    }

    /// <summary>Adds a scalar.</summary>
    public Tensor Add(float value) => Add(Scalar(value));

    /// <summary>Subtracts a scalar.</summary>
    public Tensor Sub(float value) => Add(Scalar(-value));

    /// <summary>Multiplies by a scalar.</summary>
    public Tensor Mul(float value)
    {
        var x = Dense();
        var r = Uninitialized((int[])ShapeArray.Clone());
        TensorPrimitives.Multiply(x.Span, value, r.Data);
        return NeedsGrad(this) ? r.Record("MulScalar", [this], g => [g.Mul(value)]) : r;
    }

    /// <summary>Divides by a scalar.</summary>
    public Tensor Div(float value) => Mul(1f / value);

    /// <summary>Element-wise sum.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);

    /// <summary>Element-wise difference.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);

    /// <summary>Element-wise product.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);

    /// <summary>Element-wise quotient.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);

    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Tensor a, float b) => a.Add(b);

    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(float a, Tensor b) => b.Add(a);

    /// <summary>Subtracts a scalar.</summary>
    public static Tensor operator -(Tensor a, float b) => a.Sub(b);

    /// <summary>Scalar minus tensor.</summary>
    public static Tensor operator -(float a, Tensor b) => Scalar(a).Sub(b);

    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(Tensor a, float b) => a.Mul(b);

    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(float a, Tensor b) => b.Mul(a);

    /// <summary>Divides by a scalar.</summary>
    public static Tensor operator /(Tensor a, float b) => a.Div(b);

    /// <summary>Scalar divided by tensor.</summary>
    public static Tensor operator /(float a, Tensor b) => Scalar(a).Div(b);

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();

    // ---------------------------------------------------------------- comparisons (masks of 0/1, not differentiable)

    /// <summary>1 where this &gt; other (broadcast), else 0.</summary>
    public Tensor Gt(Tensor other) => Elementwise.Binary(BinaryOp.Gt, this, other);

    /// <summary>1 where this &gt;= other (broadcast), else 0.</summary>
    public Tensor Ge(Tensor other) => Elementwise.Binary(BinaryOp.Ge, this, other);

    /// <summary>1 where this &lt; other (broadcast), else 0.</summary>
    public Tensor Lt(Tensor other) => Elementwise.Binary(BinaryOp.Lt, this, other);

    /// <summary>1 where this &lt;= other (broadcast), else 0.</summary>
    public Tensor Le(Tensor other) => Elementwise.Binary(BinaryOp.Le, this, other);

    /// <summary>1 where this == other (broadcast), else 0.</summary>
    public Tensor Eq(Tensor other) => Elementwise.Binary(BinaryOp.Eq, this, other);

    /// <summary>1 where this != other (broadcast), else 0.</summary>
    public Tensor Ne(Tensor other) => Elementwise.Binary(BinaryOp.Ne, this, other);

    /// <summary>1 where this &gt; value, else 0.</summary>
    public Tensor Gt(float value) => Gt(Scalar(value));

    /// <summary>1 where this &gt;= value, else 0.</summary>
    public Tensor Ge(float value) => Ge(Scalar(value));

    /// <summary>1 where this &lt; value, else 0.</summary>
    public Tensor Lt(float value) => Lt(Scalar(value));

    /// <summary>1 where this &lt;= value, else 0.</summary>
    public Tensor Le(float value) => Le(Scalar(value));

    /// <summary>1 where this == value, else 0.</summary>
    public Tensor Eq(float value) => Eq(Scalar(value));

    /// <summary>1 where this != value, else 0.</summary>
    public Tensor Ne(float value) => Ne(Scalar(value));

    /// <summary>
    /// Picks <paramref name="ifTrue"/> where <paramref name="condition"/> is non-zero, else <paramref name="ifFalse"/>
    /// (all three broadcast). Differentiable in both branches.
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor ifTrue, Tensor ifFalse)
    {
        var shape = ShapeUtil.Broadcast(ShapeUtil.Broadcast(condition.ShapeArray, ifTrue.ShapeArray), ifFalse.ShapeArray);
        var c = condition.Expand(shape).Dense();
        var a = ifTrue.Detach().Expand(shape).Dense();
        var b = ifFalse.Detach().Expand(shape).Dense();
        var r = Uninitialized(shape);
        var cs = c.Span;
        var asp = a.Span;
        var bs = b.Span;
        var rs = r.Data;
        for (int i = 0; i < rs.Length; i++)
        {
            rs[i] = cs[i] != 0f ? asp[i] : bs[i];
        }

        if (!NeedsGrad(ifTrue, ifFalse))
        {
            return r;
        }

        return r.Record("Where", [ifTrue, ifFalse], g =>
        {
            var zero = Scalar(0f);
            return [
                ifTrue.RequiresGrad ? SumTo(Where(c, g, zero), ifTrue.ShapeArray) : null,
                ifFalse.RequiresGrad ? SumTo(Where(c, zero, g), ifFalse.ShapeArray) : null];
        });
    }

    // ---------------------------------------------------------------- unary

    private Tensor UnaryForward(Action<ReadOnlySpan<float>, Span<float>> kernel)
    {
        var x = Dense();
        var r = Uninitialized((int[])ShapeArray.Clone());
        kernel(x.Span, r.Data.AsSpan(0, r.Length));
        return r;
    }

    /// <summary>Negation.</summary>
    public Tensor Neg()
    {
        var r = UnaryForward(static (x, d) => TensorPrimitives.Negate(x, d));
        return NeedsGrad(this) ? r.Record("Neg", [this], static g => [g.Neg()]) : r;
    }

    /// <summary>e^x.</summary>
    public Tensor Exp()
    {
        var r = UnaryForward(static (x, d) => TensorPrimitives.Exp(x, d));
        return NeedsGrad(this) ? RecordUnary(r, this, "Exp", static (g, x, y) => g.Mul(y)) : r;
    }

    /// <summary>Natural logarithm.</summary>
    public Tensor Log()
    {
        var r = UnaryForward(static (x, d) => TensorPrimitives.Log(x, d));
        return NeedsGrad(this) ? RecordUnary(r, this, "Log", static (g, x, y) => g.Div(x)) : r;
    }

    /// <summary>Square root.</summary>
    public Tensor Sqrt()
    {
        var r = UnaryForward(static (x, d) => TensorPrimitives.Sqrt(x, d));
        return NeedsGrad(this) ? RecordUnary(r, this, "Sqrt", static (g, x, y) => g.Div(y).Mul(0.5f)) : r;
    }

    /// <summary>Absolute value (gradient sign(x), 0 at 0).</summary>
    public Tensor Abs()
    {
        var r = UnaryForward(static (x, d) => TensorPrimitives.Abs(x, d));
        return NeedsGrad(this) ? RecordUnary(r, this, "Abs", static (g, x, y) => g.Mul(x.Sign())) : r;
    }

    /// <summary>-1, 0 or 1 by sign (not differentiable).</summary>
    public Tensor Sign() => UnaryForward(static (x, d) =>
    {
        for (int i = 0; i < x.Length; i++)
        {
            d[i] = x[i] > 0 ? 1f : x[i] < 0 ? -1f : 0f;
        }
    });

    /// <summary>Clamps to [min, max] (either may be null); the gradient passes where min &lt;= x &lt;= max.</summary>
    public Tensor Clamp(float? min = null, float? max = null)
    {
        var x = Dense();
        var r = Uninitialized((int[])ShapeArray.Clone());
        var d = r.Data.AsSpan(0, r.Length);
        x.Span.CopyTo(d);
        if (min.HasValue)
        {
            TensorPrimitives.Max(d, min.Value, d);
        }

        if (max.HasValue)
        {
            TensorPrimitives.Min(d, max.Value, d);
        }

        if (!NeedsGrad(this))
        {
            return r;
        }

        return r.Record("Clamp", [this], g =>
        {
            var m = Uninitialized((int[])x.ShapeArray.Clone());
            var xs = x.Span;
            for (int i = 0; i < m.Length; i++)
            {
                m.Data[i] = (!min.HasValue || xs[i] >= min.Value) && (!max.HasValue || xs[i] <= max.Value) ? 1f : 0f;
            }

            return [g.Mul(m)];
        });
    }

    /// <summary>max(x, 0).</summary>
    public Tensor Relu()
    {
        var r = UnaryForward(static (x, d) => Kernels.ActivationKernels.Relu(x, d));
        return NeedsGrad(this) ? RecordUnary(r, this, "Relu", static (g, x, y) =>
        {
            var gd = g.Dense();
            var o = Uninitialized((int[])y.ShapeArray.Clone());
            Kernels.ActivationKernels.ReluBackward(y.Span, gd.Span, o.Data.AsSpan(0, o.Length));
            return o;
        }) : r;
    }

    /// <summary>x for x &gt; 0, slope * x otherwise.</summary>
    public Tensor LeakyRelu(float negativeSlope = 0.01f)
    {
        var r = UnaryForward((x, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = x[i] > 0 ? x[i] : x[i] * negativeSlope;
            }
        });
        var a = Dense();
        return NeedsGrad(this) ? r.Record("LeakyRelu", [this], g => [MaskedBy(g, a, y => y > 0f ? 1f : negativeSlope)]) : r;
    }

    /// <summary>x for x &gt; 0, alpha * (e^x - 1) otherwise.</summary>
    public Tensor Elu(float alpha = 1f)
    {
        var r = UnaryForward((x, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = x[i] > 0 ? x[i] : alpha * (MathF.Exp(x[i]) - 1f);
            }
        });
        var a = Dense();
        if (!NeedsGrad(this))
        {
            return r;
        }

        return r.Record("Elu", [this], g =>
        {
            var m = Uninitialized((int[])ShapeArray.Clone());
            var xs = a.Span;
            for (int i = 0; i < m.Length; i++)
            {
                m.Data[i] = xs[i] > 0 ? 1f : r.Data[i] + alpha;
            }

            return [g.Mul(m)];
        });
    }

    /// <summary>Logistic sigmoid 1 / (1 + e^-x).</summary>
    public Tensor Sigmoid()
    {
        var r = UnaryForward(static (x, d) => TensorPrimitives.Sigmoid(x, d));
        return NeedsGrad(this) ? RecordUnary(r, this, "Sigmoid", static (g, x, r) => Fused(g, r, static (y, gs, d) =>
        {
            // g·y·(1 - y)
            TensorPrimitives.Subtract(1f, y, d);
            TensorPrimitives.Multiply(d, y, d);
            TensorPrimitives.Multiply(d, gs, d);
        })) : r;
    }

    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh()
    {
        var r = UnaryForward(static (x, d) => TensorPrimitives.Tanh(x, d));
        return NeedsGrad(this) ? RecordUnary(r, this, "Tanh", static (g, x, r) => Fused(g, r, static (y, gs, d) =>
        {
            // g·(1 - y²)
            TensorPrimitives.Multiply(y, y, d);
            TensorPrimitives.Subtract(1f, d, d);
            TensorPrimitives.Multiply(d, gs, d);
        })) : r;
    }

    /// <summary>SiLU (swish): x * sigmoid(x).</summary>
    public Tensor Silu()
    {
        var r = UnaryForward(static (x, d) => Kernels.ActivationKernels.Silu(x, d));
        return NeedsGrad(this)
            ? RecordUnary(r, this, "Silu", static (g, a, y) => Fused(g, a, static (x, gs, d) => Kernels.ActivationKernels.SiluBackward(x, gs, d)))
            : r;
    }

    /// <summary>GELU, exact erf form: x * Phi(x).</summary>
    public Tensor Gelu()
    {
        var a = Dense();
        var r = UnaryForward(static (x, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = (float)(0.5 * x[i] * (1.0 + Elementwise.Erf(x[i] / Math.Sqrt(2.0))));
            }
        });
        return NeedsGrad(this) ? r.Record("Gelu", [this], g => [MaskedBy(g, a, static x =>
        {
            double cdf = 0.5 * (1.0 + Elementwise.Erf(x / Math.Sqrt(2.0)));
            double pdf = Math.Exp(-0.5 * x * x) / Math.Sqrt(2.0 * Math.PI);
            return (float)(cdf + (x * pdf));
        })]) : r;
    }

    private static Tensor RecordAdd(Tensor r, Tensor a, Tensor b)
    {
        var (sa, sb) = (a.ShapeArray, b.ShapeArray);
        return r.Record("Add", [a, b], g => [SumTo(g, sa), SumTo(g, sb)]);
    }

    private static Tensor RecordSub(Tensor r, Tensor a, Tensor b)
    {
        var (sa, sb) = (a.ShapeArray, b.ShapeArray);
        return r.Record("Sub", [a, b], g => [SumTo(g, sa), SumTo(g.Neg(), sb)]);
    }

    /// <summary>Records a unary op whose gradient is backward(g, input, output); keeps closures out of the no-grad path.</summary>
    private static Tensor RecordUnary(Tensor r, Tensor x, string name, Func<Tensor, Tensor, Tensor, Tensor> backward) =>
        r.Record(name, [x], g => [backward(g, x, r)]);

    /// <summary>Runs a vectorised backward kernel (v, g, destination) on dense copies.</summary>
    private static Tensor Fused(Tensor g, Tensor v, SpanAction3 kernel)
    {
        var gd = g.Dense();
        var vd = v.Dense();
        var o = Uninitialized((int[])g.ShapeArray.Clone());
        kernel(vd.Span, gd.Span, o.Data.AsSpan(0, o.Length));
        return o;
    }

    private delegate void SpanAction3(ReadOnlySpan<float> v, ReadOnlySpan<float> g, Span<float> destination);

    /// <summary>g * f(v) element-wise, for backward passes.</summary>
    private static Tensor MaskedBy(Tensor g, Tensor v, Func<float, float> f)
    {
        var gd = g.Dense();
        var vd = v.Dense();
        var o = Uninitialized((int[])g.ShapeArray.Clone());
        var gs = gd.Span;
        var vs = vd.Span;
        for (int i = 0; i < o.Length; i++)
        {
            o.Data[i] = gs[i] * f(vs[i]);
        }

        return o;
    }
}
