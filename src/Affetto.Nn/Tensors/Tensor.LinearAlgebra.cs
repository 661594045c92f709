using Affetto.Nn.Kernels;

namespace Affetto.Nn.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product with PyTorch's <c>matmul</c> rules: 1-D·1-D dot, 2-D·2-D, batched (leading dims broadcast),
    /// and 1-D operands promoted then squeezed. Runs through <see cref="Gemm.Sgemm"/>; transposed views are passed as
    /// transposed operands without copying.
    /// </summary>
    public Tensor MatMul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Rank == 0 || other.Rank == 0)
        {
            throw new ArgumentException("MatMul: both operands need at least one dimension.", nameof(other));
        }

        if (Rank == 1 && other.Rank == 1)
        {
            return Unsqueeze(0).Mm(other.Unsqueeze(1)).Reshape();
        }

        if (Rank == 1)
        {
            return Unsqueeze(0).MatMul(other).Squeeze(-2);
        }

        if (other.Rank == 1)
        {
            return MatMul(other.Unsqueeze(1)).Squeeze(-1);
        }

        if (Rank == 2 && other.Rank == 2)
        {
            return Mm(other);
        }

        int m = ShapeArray[^2], k = ShapeArray[^1], n = other.ShapeArray[^1];
        if (other.ShapeArray[^2] != k)
        {
            throw new ArgumentException($"MatMul: inner dimensions differ ({ShapeUtil.Format(ShapeArray)} @ {ShapeUtil.Format(other.ShapeArray)}).", nameof(other));
        }

        if (other.Rank == 2)
        {
            // [..., m, k] @ [k, n]: fold the batch into rows.
            var lead = ShapeArray[..^1];
            var flat = Reshape(-1, k).Mm(other);
            return flat.Reshape([.. lead, n]);
        }

        var batchA = ShapeArray[..^2];
        var batchB = other.ShapeArray[..^2];
        var batch = ShapeUtil.Broadcast(batchA, batchB);
        int b = ShapeUtil.Numel(batch);
        var a3 = Expand([.. batch, m, k]).Reshape(b, m, k);
        var b3 = other.Expand([.. batch, k, n]).Reshape(b, k, n);
        return a3.Bmm(b3).Reshape([.. batch, m, n]);
    }

    /// <summary>2-D matrix product [m, k] · [k, n].</summary>
    public Tensor Mm(Tensor other)
    {
        if (Rank != 2 || other.Rank != 2 || ShapeArray[1] != other.ShapeArray[0])
        {
            throw new ArgumentException($"Mm: needs [m, k] and [k, n]; got {ShapeUtil.Format(ShapeArray)} and {ShapeUtil.Format(other.ShapeArray)}.", nameof(other));
        }

        int m = ShapeArray[0], k = ShapeArray[1], n = other.ShapeArray[1];
        var r = Uninitialized([m, n]);
        GemmInto(this, other, r.Data, 0, 0f);
        if (!NeedsGrad(this, other))
        {
            return r;
        }

        return RecordMm(r, this, other);
    }

    private static Tensor RecordMm(Tensor r, Tensor a, Tensor other)
    {
        return r.Record("Mm", [a, other], g => [
            a.RequiresGrad ? g.Mm(other.T) : null,
            other.RequiresGrad ? a.T.Mm(g) : null]);
    }

    /// <summary>Batched matrix product [b, m, k] · [b, k, n].</summary>
    public Tensor Bmm(Tensor other)
    {
        if (Rank != 3 || other.Rank != 3 || ShapeArray[0] != other.ShapeArray[0] || ShapeArray[2] != other.ShapeArray[1])
        {
            throw new ArgumentException($"Bmm: needs [b, m, k] and [b, k, n]; got {ShapeUtil.Format(ShapeArray)} and {ShapeUtil.Format(other.ShapeArray)}.", nameof(other));
        }

        int bs = ShapeArray[0], m = ShapeArray[1], n = other.ShapeArray[2];
        var r = Uninitialized([bs, m, n]);
        var a0 = Detach();
        var b0 = other.Detach();
        for (int i = 0; i < bs; i++)
        {
            GemmInto(a0.Select(0, i), b0.Select(0, i), r.Data, i * m * n, 0f);
        }

        if (!NeedsGrad(this, other))
        {
            return r;
        }

        var a = this;
        return r.Record("Bmm", [this, other], g => [
            a.RequiresGrad ? g.Bmm(other.Transpose(1, 2)) : null,
            other.RequiresGrad ? a.Transpose(1, 2).Bmm(g) : null]);
    }

    /// <summary>C[cOff..] = A·B + beta·C for 2-D operands given as (possibly transposed) views.</summary>
    internal static void GemmInto(Tensor a, Tensor b, float[] c, int cOff, float beta)
    {
        int m = a.ShapeArray[0], k = a.ShapeArray[1], n = b.ShapeArray[1];
        var (ta, lda, ad, ao) = Operand(a);
        var (tb, ldb, bd, bo) = Operand(b);
        Gemm.Sgemm(ta, tb, m, n, k, 1f, ad.AsSpan(ao), lda, bd.AsSpan(bo), ldb, beta, c.AsSpan(cOff, m * n), n);
    }

    private static (bool Trans, int Ld, float[] Data, int Offset) Operand(Tensor t)
    {
        int r = t.ShapeArray[0], c = t.ShapeArray[1];
        int s0 = t.StridesArray[0], s1 = t.StridesArray[1];
        if ((s1 == 1 || c == 1) && (r == 1 || s0 >= c))
        {
            return (false, Math.Max(r == 1 ? c : s0, Math.Max(c, 1)), t.Data, t.Offset);
        }

        if ((s0 == 1 || r == 1) && (c == 1 || s1 >= r))
        {
            return (true, Math.Max(c == 1 ? r : s1, Math.Max(r, 1)), t.Data, t.Offset);
        }

        var d = t.Dense();
        return (false, Math.Max(c, 1), d.Data, d.Offset);
    }
}
