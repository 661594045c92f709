using System.Numerics.Tensors;

namespace Affetto.Nn.Tensors;

public sealed partial class Tensor
{
    /// <summary>Softmax along <paramref name="dim"/> (max-subtracted, so stable for large inputs).</summary>
    public Tensor Softmax(int dim) => SoftmaxCore(dim, log: false);

    /// <summary>log(softmax(x)) along <paramref name="dim"/>, computed as x - max - log(sum(exp(x - max))).</summary>
    public Tensor LogSoftmax(int dim) => SoftmaxCore(dim, log: true);

    private Tensor SoftmaxCore(int dim, bool log)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank);
        var perm = Enumerable.Range(0, Rank).Where(i => i != d).Append(d).ToArray();
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            inverse[perm[i]] = i;
        }

        var x = d == Rank - 1 ? Dense() : Detach().Permute(perm).Dense();
        int n = Rank == 0 ? 1 : ShapeArray[d];
        var y = Uninitialized((int[])x.ShapeArray.Clone());
        int rows = n == 0 ? 0 : Length / n;
        for (int r = 0; r < rows; r++)
        {
            var src = x.Data.AsSpan(x.Offset + (r * n), n);
            var dst = y.Data.AsSpan(r * n, n);
            float m = TensorPrimitives.Max(src);
            TensorPrimitives.Subtract(src, m, dst);
            if (log)
            {
                float lse = 0f;
                double s = 0;
                foreach (float v in dst)
                {
                    s += MathF.Exp(v);
                }

                lse = (float)Math.Log(s);
                TensorPrimitives.Subtract(dst, lse, dst);
            }
            else
            {
                TensorPrimitives.Exp(dst, dst);
                float s = TensorPrimitives.Sum(dst);
                TensorPrimitives.Divide(dst, s, dst);
            }
        }

        var result = d == Rank - 1 ? y : y.Permute(inverse).Dense();
        if (!NeedsGrad(this))
        {
            return result;
        }

        return result.Record(log ? "LogSoftmax" : "Softmax", [this], g =>
        {
            if (log)
            {
                // d/dx = g - softmax * sum(g)
                return [g.Sub(result.Exp().Mul(g.Sum([d], keepDim: true)))];
            }

            // d/dx = y * (g - sum(g * y))
            return [result.Mul(g.Sub(g.Mul(result).Sum([d], keepDim: true)))];
        });
    }
}
