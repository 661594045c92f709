using Affetto.Nn.Tensors;
using Affetto.Nn.Tests.Support;

namespace Affetto.Nn.Tests;

public class TensorTests
{
    private static Tensor Seq(params int[] shape) => Tensor.Arange(shape.Aggregate(1, (a, b) => a * b)).Reshape(shape);

    [Fact]
    public void Views_ShareStorage_WithoutCopying()
    {
        var x = Seq(2, 3, 4);
        var t = x.Transpose(0, 2);
        Assert.False(t.IsContiguous);
        Assert.Equal([4, 3, 2], t.Shape);
        Assert.Equal(x[1, 2, 3], t[3, 2, 1]);
        var n = x.Narrow(2, 1, 2);
        n[0, 0, 0] = -1f;
        Assert.Equal(-1f, x[0, 0, 1]);
        var e = x.Select(1, 0).Unsqueeze(1).Expand(2, 5, 4);
        Assert.Equal(0, e.Strides[1]);
        Assert.Equal(x[1, 0, 2], e[1, 4, 2]);
        var r = x.Reshape(6, 4);
        r[5, 3] = 99f;
        Assert.Equal(99f, x[1, 2, 3]);
        Assert.Same(x, x.Contiguous());
        var c = t.Contiguous();
        Assert.True(c.IsContiguous);
        Assert.Equal(t.ToArray(), c.ToArray());
        Assert.Equal([2, 3, 4], x.Slice(2, 0, 4, 1).Shape);
        Assert.Equal([0f, 2f], Seq(4).Slice(0, 0, 4, 2).ToArray());
        Assert.Equal([2f, 3f], Seq(4).Slice(0, -2, 4).ToArray());
    }

    [Fact]
    public void ReshapeOfStridedView_Copies_AndKeepsValues()
    {
        var x = Seq(3, 4);
        var r = x.T.Reshape(12);
        Assert.Equal([0f, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], r.ToArray());
        Assert.Throws<InvalidOperationException>(() => x.T.View(12));
        Assert.Equal([3, 4], x.Reshape(-1, 4).Shape);
        Assert.Throws<ArgumentException>(() => x.Reshape(5, -1));
        Assert.Throws<ArgumentException>(() => x.Reshape(-1, -1));
    }

    public static TheoryData<int[], int[], int[]> BroadcastShapes => new()
    {
        { [3, 4], [4], [3, 4] },
        { [2, 1, 4], [3, 1], [2, 3, 4] },
        { [1], [2, 3], [2, 3] },
        { [], [2, 2], [2, 2] },
        { [5, 1, 1], [1, 6, 1], [5, 6, 1] },
        // Large enough to be split over the kernel threads: same shape, and rows starting mid-shape
        { [41, 1000], [41, 1000], [41, 1000] },
        { [8, 64, 9, 11], [8, 64, 1, 1], [8, 64, 9, 11] },
        { [3, 70, 200], [70, 1], [3, 70, 200] },
    };

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void BinaryOps_Broadcast_LikeNumPy(int[] sa, int[] sb, int[] expected)
    {
        var a = Tensor.Randn(sa, new Generator(1));
        var b = Tensor.Uniform(sb, 0.5f, 2f, new Generator(2));
        foreach (var (op, f) in new (string, Func<float, float, float>)[] { ("add", (x, y) => x + y), ("sub", (x, y) => x - y), ("mul", (x, y) => x * y), ("div", (x, y) => x / y), ("max", MathF.Max) })
        {
            var r = op switch { "add" => a + b, "sub" => a - b, "mul" => a * b, "div" => a / b, _ => a.Maximum(b) };
            Assert.Equal(expected, r.Shape);
            var ae = a.Expand(expected);
            var be = b.Expand(expected);
            var want = ae.ToArray().Zip(be.ToArray(), f).ToArray();
            Assert.Equal(want, r.ToArray());
        }

        // Operands that are strided views take the general path with the same results.
        var at = Tensor.Randn([4, 3], new Generator(3)).T;
        Assert.Equal(at.ToArray().Zip(at.ToArray(), (x, y) => x * y), (at * at.Contiguous()).ToArray());
        var big = Tensor.Randn([300, 170], new Generator(4)).T;
        Assert.Equal(big.ToArray().Zip(big.ToArray(), (x, y) => x + y), (big + big.Contiguous()).ToArray());
    }

    [Fact]
    public void Broadcast_IncompatibleShapes_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Ones(2, 3) + Tensor.Ones(4));
        Assert.Contains("[2, 3]", e.Message);
    }

    [Fact]
    public void ComparisonsAndWhere_ProduceMasks()
    {
        var x = Tensor.FromArray([1f, 5f, 3f, -2f], 4);
        Assert.Equal([0f, 1, 1, 0], x.Gt(2f).ToArray());
        Assert.Equal([1f, 0, 0, 1], x.Le(1f).ToArray());
        Assert.Equal([0f, 0, 1, 0], x.Eq(3f).ToArray());
        Assert.Equal([1f, 1, 0, 1], x.Ne(3f).ToArray());
        Assert.Equal([0f, 1, 1, 0], x.Ge(Tensor.FromArray([2f], 1)).ToArray());
        Assert.Equal([1f, 0, 0, 1], x.Lt(3f).ToArray());
        Assert.Equal([1f, 0, 0, -2], Tensor.Where(x.Gt(2f), Tensor.Scalar(0f), x).ToArray());
        Assert.Equal([1f, 2, 2, -2], x.Clamp(max: 2f).ToArray());
        Assert.Equal([1f, 5, 3, 0], x.Clamp(min: 0f).ToArray());
    }

    [Fact]
    public void Reductions_OverAnyAxes_WithKeepDim()
    {
        var x = Seq(2, 3, 4);
        Assert.Equal(276f, x.Sum().Item());
        Assert.Equal([2, 1, 4], x.Sum([1], keepDim: true).Shape);
        Assert.Equal([12f + 13 + 14 + 15 + 16 + 17 + 18 + 19 + 20 + 21 + 22 + 23 + 0 + 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11], x.Sum([0, 1, 2]).Reshape(1).ToArray());
        Assert.Equal([0f + 4 + 8 + 12 + 16 + 20, 6 * 1 + 60, 6 * 2 + 60, 6 * 3 + 60], x.Sum([0, 1]).ToArray());
        Assert.Equal([1.5f, 5.5f, 9.5f, 13.5f, 17.5f, 21.5f], x.Mean([-1]).ToArray());
        Assert.Equal([20f, 21, 22, 23], x.Max([0, 1]).ToArray());
        Assert.Equal([0f, 4, 8], x.Min([0, 2]).ToArray());
        Assert.Equal([3f, 3, 3, 3, 3, 3], x.ArgMax(2).Reshape(6).ToArray());
        Assert.Equal([0f, 0, 0, 0], x.Select(0, 0).ArgMin(0).ToArray());
        var (v, i) = Tensor.FromArray([3f, 7f, 7f, 1f], 4).MaxWithIndices(0);
        Assert.Equal(7f, v.Item());
        Assert.Equal(1f, i.Item());
        var s = Tensor.FromArray([1f, 2f, 3f, 4f], 4);
        Assert.Equal(1.6666666f, s.Var().Item(), 5);
        Assert.Equal(1.25f, s.Var(unbiased: false).Item(), 5);
        Assert.Equal(MathF.Sqrt(1.25f), s.Std(unbiased: false).Item(), 5);
        Assert.Throws<ArgumentException>(() => x.Sum([0, 0]));
        Assert.Throws<ArgumentException>(() => x.Sum([3]));
    }

    [Fact]
    public void MatMul_MatchesNaiveProduct_ForTransposedAndBatchedOperands()
    {
        var a = Tensor.Randn([2, 5, 7], new Generator(1));
        var b = Tensor.Randn([2, 7, 3], new Generator(2));
        var c = a.MatMul(b);
        for (int n = 0; n < 2; n++)
        {
            for (int i = 0; i < 5; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    double s = 0;
                    for (int k = 0; k < 7; k++)
                    {
                        s += a[n, i, k] * b[n, k, j];
                    }

                    Assert.Equal(s, c[n, i, j], 4);
                }
            }
        }

        var m = Tensor.Randn([6, 4], new Generator(3));
        GradCheck.AssertClose(m.T.MatMul(m), m.T.Contiguous().MatMul(m.Contiguous()), 1e-6, "transposed operand");
        Assert.Equal([5], Tensor.Ones(5, 4).MatMul(Tensor.Ones(4)).Shape);
        Assert.Equal([3], Tensor.Ones(4).MatMul(Tensor.Ones(4, 3)).Shape);
        Assert.Empty(Tensor.Ones(4).MatMul(Tensor.Ones(4)).Shape);
        Assert.Throws<ArgumentException>(() => Tensor.Ones(2, 3).MatMul(Tensor.Ones(4, 2)));
    }

    [Fact]
    public void ConcatStackSplitChunk_RoundTrip()
    {
        var a = Seq(2, 3);
        var b = Seq(2, 2).Add(100f);
        var c = Tensor.Concat([a, b], 1);
        Assert.Equal([2, 5], c.Shape);
        Assert.Equal([0f, 1, 2, 100, 101, 3, 4, 5, 102, 103], c.ToArray());
        var s = Tensor.Stack([a, a.Mul(2f)], 0);
        Assert.Equal([2, 2, 3], s.Shape);
        var parts = c.Split(3, 1);
        Assert.Equal(a.ToArray(), parts[0].ToArray());
        Assert.Equal(b.ToArray(), parts[1].ToArray());
        Assert.Equal(2, Seq(4, 2).Chunk(2).Length);
        Assert.Throws<ArgumentException>(() => Tensor.Concat([a, Seq(3, 3)], 1));
        Assert.Throws<ArgumentException>(() => Tensor.Stack([a, b]));
        Assert.Throws<ArgumentException>(() => Seq(5).Chunk(2));
    }

    [Fact]
    public void IndexSelectAndGather_PickLikeTorch()
    {
        var x = Seq(3, 4);
        Assert.Equal([8f, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11], x.IndexSelect(0, new[] { 2, 0, 2 }).ToArray());
        Assert.Equal([1f, 3, 5, 7, 9, 11], x.IndexSelect(1, Tensor.FromArray([1f, 3f])).ToArray());
        var g = x.Gather(1, Tensor.FromArray([3, 0, 1, 1, 2, 2], 3, 2));
        Assert.Equal([3f, 0, 5, 5, 10, 10], g.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(0, new[] { 3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Gather(1, Tensor.FromArray([4f], 1, 1)));
        Assert.Throws<ArgumentException>(() => x.IndexSelect(1, Tensor.FromArray([0.5f])));
    }

    [Fact]
    public void Generator_SameSeed_SameStream_AndSaneMoments()
    {
        var a = Tensor.Randn([10000], new Generator(7)).ToArray();
        Assert.Equal(a, Tensor.Randn([10000], new Generator(7)).ToArray());
        Assert.NotEqual(a, Tensor.Randn([10000], new Generator(8)).ToArray());
        Assert.InRange(a.Average(), -0.05, 0.05);
        Assert.InRange(Tensor.FromArray(a).Std().Item(), 0.97f, 1.03f);
        var u = Tensor.Uniform([10000], -2f, 3f, new Generator(1)).ToArray();
        Assert.All(u, v => Assert.InRange(v, -2f, 3f));
        Assert.InRange(u.Average(), 0.4, 0.6);
        var p = new Generator(3).Permutation(50);
        Assert.Equal(Enumerable.Range(0, 50), p.Order());
        Assert.Throws<ArgumentException>(() => new Generator(1).NextInt(0));
    }

    [Fact]
    public void Factories_And_Accessors_ValidateArguments()
    {
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, -1));
        Assert.Throws<ArgumentException>(() => Tensor.FromArray([1f, 2f, 3f], 2, 2));
        Assert.Throws<ArgumentException>(() => Tensor.Wrap(new float[3], 2, 2));
        Assert.Throws<InvalidOperationException>(() => Tensor.Ones(2).Item());
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(2, 2)[2, 0]);
        Assert.Throws<ArgumentException>(() => Tensor.Ones(2, 2)[0]);
        Assert.Throws<InvalidOperationException>(() => Seq(2, 3).T.AsSpan());
        Assert.Throws<ArgumentException>(() => Seq(2, 3).Permute(0, 0));
        Assert.Throws<ArgumentException>(() => Seq(2, 3).Expand(4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Seq(2, 3).Select(1, 3));
        Assert.Throws<ArgumentException>(() => Seq(2, 3).Transpose(0, 2));
        Assert.Equal(-1f, Tensor.Ones(2, 2)[-1, -1] - 2f);
        Assert.Contains("Tensor[2, 2]", Tensor.Ones(2, 2).ToString());
    }

    [Fact]
    public void InPlaceHelpers_CopyFillAdd()
    {
        var x = Tensor.Zeros(2, 3);
        x.CopyFrom(Tensor.FromArray([1f, 2f, 3f], 3));
        Assert.Equal([1f, 2, 3, 1, 2, 3], x.ToArray());
        x.T.Fill(5f);
        Assert.All(x.ToArray(), v => Assert.Equal(5f, v));
        x.AddInPlace(Tensor.Ones(3));
        x.MulInPlace(0.5f);
        Assert.All(x.ToArray(), v => Assert.Equal(3f, v));
        Assert.Throws<ArgumentException>(() => x.CopyFrom(Tensor.Ones(4)));
    }

    [Fact]
    public void Softmax_IsStable_ForLargeInputs()
    {
        var x = Tensor.FromArray([1000f, 1001f, 1002f], 1, 3);
        var s = x.Softmax(1).ToArray();
        Assert.Equal(1f, s.Sum(), 5);
        Assert.True(s[2] > s[1] && s[1] > s[0]);
        var ls = x.LogSoftmax(1).ToArray();
        Assert.All(ls, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Recycle_ThenEmptyOfTheSameSize_ReusesTheStorage()
    {
        var a = Tensor.Empty(8, 1024);
        float[] storage = a.Data;
        a.Recycle();
        // The pool is process-wide and other tests run in parallel: some Empty of this size gets the array back.
        bool reused = false;
        var taken = new List<Tensor>();
        for (int i = 0; i < 64 && !reused; i++)
        {
            var b = Tensor.Empty(1024, 8);
            taken.Add(b);
            reused = ReferenceEquals(b.Data, storage);
            Assert.Equal([1024, 8], b.Shape);
        }
        Assert.True(reused);
    }

    [Fact]
    public void Recycle_ViewsAndAutogradTensors_Throw()
    {
        var x = Tensor.Zeros(4, 4);
        Assert.Throws<InvalidOperationException>(() => x.Narrow(0, 1, 2).Recycle());
        var leaf = Tensor.Zeros(4, 4);
        leaf.RequiresGrad = true;
        Assert.Throws<InvalidOperationException>(() => leaf.Recycle());
        Assert.Throws<InvalidOperationException>(() => leaf.Mul(2f).Recycle());
    }
}
