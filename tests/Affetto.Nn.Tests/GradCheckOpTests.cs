using Affetto.Nn.Tensors;
using Affetto.Nn.Tests.Support;

namespace Affetto.Nn.Tests;

/// <summary>Finite-difference gradient checks of every differentiable tensor operation.</summary>
public class GradCheckOpTests
{
    private static Tensor R(int seed, params int[] shape) => GradCheck.Rand(seed, shape);

    /// <summary>Positive inputs in [0.5, 2] for log/sqrt/pow/div.</summary>
    private static Tensor Pos(int seed, params int[] shape) => Tensor.Uniform(shape, 0.5f, 2f, new Generator(seed));

    public static TheoryData<string> UnaryOps => new()
    {
        "neg", "exp", "log", "sqrt", "abs", "pow3", "pow2", "clamp", "relu", "leaky", "elu", "sigmoid", "tanh", "silu", "gelu",
        "softmax0", "softmax1", "logsoftmax", "sum_all", "sum_axes", "mean", "var", "std_biased", "max_dim", "min_all",
        "logsumexp", "norm", "mul_scalar", "reshape", "permute", "transpose_contig", "slice_step", "narrow", "select",
        "unsqueeze_squeeze", "expand", "flatten", "clone", "index_select", "gather", "masked_fill",
    };

    private static Tensor Unary(string op, Tensor x) => op switch
    {
        "neg" => -x,
        "exp" => x.Exp(),
        "log" => x.Log(),
        "sqrt" => x.Sqrt(),
        "abs" => x.Abs(),
        "pow3" => x.Pow(3f),
        "pow2" => x.Pow(2f),
        "clamp" => x.Clamp(0.8f, 1.6f),
        "relu" => x.Sub(1.2f).Relu(),
        "leaky" => x.Sub(1.2f).LeakyRelu(0.2f),
        "elu" => x.Sub(1.2f).Elu(0.5f),
        "sigmoid" => x.Sigmoid(),
        "tanh" => x.Tanh(),
        "silu" => x.Silu(),
        "gelu" => x.Sub(1.2f).Gelu(),
        "softmax0" => x.Softmax(0),
        "softmax1" => x.Softmax(-1),
        "logsoftmax" => x.LogSoftmax(1),
        "sum_all" => x.Sum(),
        "sum_axes" => x.Sum([0, 2], keepDim: true),
        "mean" => x.Mean([1]),
        "var" => x.Var([0, 1]),
        "std_biased" => x.Std([2], unbiased: false),
        "max_dim" => x.Max([1]),
        "min_all" => x.Min(),
        "logsumexp" => x.LogSumExp(2),
        "norm" => x.Norm(),
        "mul_scalar" => x * 2.5f + 1f,
        "reshape" => x.Reshape(4, -1).Mul(x.Reshape(4, -1)),
        "permute" => x.Permute(2, 0, 1).Mul(R(9, 4, 2, 3)),
        "transpose_contig" => x.Transpose(0, 2).Contiguous().Exp(),
        "slice_step" => x.Slice(2, 0, 4, 2).Exp(),
        "narrow" => x.Narrow(1, 1, 2).Mul(3f),
        "select" => x.Select(0, 1).Exp(),
        "unsqueeze_squeeze" => x.Unsqueeze(1).Exp().Squeeze(1),
        "expand" => x.Select(2, 0).Unsqueeze(2).Expand(2, 3, 5).Mul(R(10, 2, 3, 5)),
        "flatten" => x.Flatten(1).Exp(),
        "clone" => x.Clone().Mul(x),
        "index_select" => x.IndexSelect(2, new[] { 3, 0, 3 }).Exp(),
        "gather" => x.Gather(1, Tensor.FromArray([1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0], 2, 2, 4)).Exp(),
        "masked_fill" => x.MaskedFill(x.Gt(1.2f), 0f).Mul(x),
        _ => throw new ArgumentException(op),
    };

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void UnaryOp_AnalyticGradient_MatchesFiniteDifferences(string op)
    {
        var x = Pos(1, 2, 3, 4);
        GradCheck.Check(() => Unary(op, x), [x], eps: 1e-3f, what: op);
    }

    public static TheoryData<string> BinaryOps => new()
    {
        "add", "sub", "mul", "div", "pow", "maximum", "minimum", "add_bcast", "mul_bcast", "div_bcast_left", "where", "concat",
        "stack", "matmul2d", "matmul_batched", "matmul_bcast", "matmul_vec", "matmul_transposed", "bmm", "dot",
    };

    private static (Tensor A, Tensor B) BinaryInputs(string op) => op switch
    {
        "add_bcast" or "mul_bcast" => (Pos(1, 3, 4), Pos(2, 4)),
        "div_bcast_left" => (Pos(1, 3, 1), Pos(2, 1, 4)),
        "matmul2d" or "matmul_transposed" => (R(1, 3, 4), R(2, 4, 5)),
        "matmul_batched" => (R(1, 2, 3, 4), R(2, 2, 4, 5)),
        "matmul_bcast" => (R(1, 2, 3, 4), R(2, 4, 2)),
        "matmul_vec" => (R(1, 3, 4), R(2, 4)),
        "bmm" => (R(1, 2, 3, 4), R(2, 2, 4, 2)),
        "dot" => (R(1, 6), R(2, 6)),
        _ => (Pos(1, 3, 4), Pos(2, 3, 4)),
    };

    private static Tensor Binary(string op, Tensor a, Tensor b) => op switch
    {
        "add" or "add_bcast" => a + b,
        "sub" => a - b,
        "mul" or "mul_bcast" => a * b,
        "div" or "div_bcast_left" => a / b,
        "pow" => a.Pow(b),
        "maximum" => a.Maximum(b),
        "minimum" => a.Minimum(b),
        "where" => Tensor.Where(a.Gt(b), a.Exp(), b.Mul(b)),
        "concat" => Tensor.Concat([a, b.Mul(2f)], 1).Exp(),
        "stack" => Tensor.Stack([a, b], 1).Exp(),
        "matmul2d" or "matmul_batched" or "matmul_bcast" or "matmul_vec" or "dot" => a.MatMul(b),
        "matmul_transposed" => b.T.MatMul(a.T),
        "bmm" => a.Bmm(b),
        _ => throw new ArgumentException(op),
    };

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void BinaryOp_AnalyticGradients_MatchFiniteDifferences(string op)
    {
        var (a, b) = BinaryInputs(op);
        GradCheck.Check(() => Binary(op, a, b), [a, b], eps: 1e-3f, what: op);
    }

    [Fact]
    public void ValueUsedTwice_GradientsAccumulate_LikeMicrograd()
    {
        // micrograd's classic: a value feeding two branches and itself twice must get the sum of both paths.
        var a = Tensor.FromArray([-4f], 1);
        var b = Tensor.FromArray([2f], 1);
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        var c = a + b;
        var d = (a * b) + b.Pow(3f);
        c = c + c + 1f;
        c = c + 1f + c + (-a);
        d = d + (d * 2f) + (b + a).Relu();
        d = d + (3f * d) + (b - a).Relu();
        var e = c - d;
        var f = e.Pow(2f);
        var g = (f / 2f) + (10f / f);
        g.Backward();
        Assert.Equal(24.7041f, g.Item(), 3);
        Assert.Equal(138.8338f, a.Grad!.Item(), 3);
        Assert.Equal(645.5773f, b.Grad!.Item(), 3);
        GradCheck.Check(() => Micro(a, b), [a, b], eps: 1e-3f, tolerance: 1e-3, what: "micrograd");
    }

    private static Tensor Micro(Tensor a, Tensor b)
    {
        var c = a + b;
        var d = (a * b) + b.Pow(3f);
        c = c + c + 1f;
        c = c + 1f + c + (-a);
        d = d + (d * 2f) + (b + a).Relu();
        d = d + (3f * d) + (b - a).Relu();
        var f = (c - d).Pow(2f);
        return (f / 2f) + (10f / f);
    }

    [Fact]
    public void ManyOverlappingSlicesOfOneTensor_AccumulateCorrectly()
    {
        // Slices accumulate in place into one gradient buffer; shared closure outputs (a + b returns g for both) must not alias it.
        var x = R(5, 4, 3);
        GradCheck.Check(() =>
        {
            var a = x.Select(0, 1);
            var b = x.Narrow(0, 0, 2).Sum([0]);
            var c = a + a + b;
            var d = x.Slice(0, 1, 4, 2).Mul(x.Narrow(0, 2, 2)).Sum([0]);
            return Tensor.Stack([c, d, x.Select(0, 3).Exp(), x.Select(1, 2).Narrow(0, 1, 3).Mul(x.Select(0, 1))], 0);
        }, [x], eps: 1e-3f, what: "overlapping slices");
    }

    [Fact]
    public void SameTensorInBothOperands_GradientIsTwiceTheProduct()
    {
        var x = Pos(3, 5);
        x.RequiresGrad = true;
        (x * x).Sum().Backward();
        GradCheck.AssertClose(x.Grad!, x.Detach() * 2f, 1e-7, "d(x·x)/dx");
        GradCheck.Check(() => x * x + x.Exp() * x, [x], eps: 1e-3f, what: "x reused");
    }

    [Fact]
    public void Backward_Twice_AccumulatesIntoGrad()
    {
        var x = Pos(4, 3);
        x.RequiresGrad = true;
        x.Mul(2f).Sum().Backward();
        x.Mul(3f).Sum().Backward();
        Assert.All(x.Grad!.ToArray(), v => Assert.Equal(5f, v));
    }

    [Fact]
    public void Backward_OnFreedGraph_Throws_UnlessRetained()
    {
        var x = Pos(4, 3);
        x.RequiresGrad = true;
        var y = x.Exp().Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        Assert.Throws<InvalidOperationException>(() => y.Backward());
    }

    [Fact]
    public void Backward_NonScalarWithoutGradient_Throws()
    {
        var x = Pos(4, 3);
        x.RequiresGrad = true;
        Assert.Throws<InvalidOperationException>(() => x.Exp().Backward());
        Assert.Throws<ArgumentException>(() => x.Exp().Backward(Tensor.Ones(2)));
        Assert.Throws<InvalidOperationException>(() => Pos(1, 2).Sum().Backward());
    }

    [Fact]
    public void NoGrad_RecordsNothing_AndRestoresOnDispose()
    {
        var x = Pos(4, 3);
        x.RequiresGrad = true;
        Tensor y;
        using (Tensor.NoGrad())
        {
            y = x.Exp().Mul(x);
            Assert.False(Autograd.GradMode.IsEnabled);
        }

        Assert.True(Autograd.GradMode.IsEnabled);
        Assert.False(y.RequiresGrad);
        Assert.Null(y.GradFn);
        Assert.True(x.Exp().RequiresGrad);
    }

    [Fact]
    public void NoGrad_AllocatesOnlyTheResult()
    {
        var x = Tensor.Ones(4);
        x.RequiresGrad = true;
        long Bytes(Func<Tensor> f)
        {
            f();
            long before = GC.GetAllocatedBytesForCurrentThread();
            f();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long recorded = Bytes(() => x.Relu().Add(x).Sum());
        long free;
        using (Tensor.NoGrad())
        {
            free = Bytes(() => x.Relu().Add(x).Sum());
        }

        // Three results (tensor object, shape, strides, 4-element storage each) plus Sum's scratch; no graph nodes or closures.
        Assert.True(free < recorded, $"no-grad {free} B vs recorded {recorded} B");
        Assert.True(free < 1500, $"no-grad pass allocated {free} B");
    }

    [Fact]
    public void Detach_CutsTheGraph_ButSharesStorage()
    {
        var x = Pos(4, 3);
        x.RequiresGrad = true;
        var d = x.Detach();
        Assert.False(d.RequiresGrad);
        d[0] = 42f;
        Assert.Equal(42f, x[0]);
        var y = (x * d).Sum();
        y.Backward();
        GradCheck.AssertClose(x.Grad!, d, 1e-7, "gradient through the non-detached operand only");
    }

    [Fact]
    public void RequiresGrad_CannotBeClearedOnNonLeaf()
    {
        var x = Pos(4, 3);
        x.RequiresGrad = true;
        var y = x.Exp();
        Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
        Assert.Equal("Exp", y.GradFn!.Name);
    }
}
