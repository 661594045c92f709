namespace Affetto.Models.Emotion.Training;

/// <summary>
/// mixup (Zhang et al., 2018): each training input becomes λ·x_i + (1 − λ)·x_perm(i) with one λ ~ Beta(α, α) per
/// batch, and the loss the same mixture of the two labels' losses. λ is folded to max(λ, 1 − λ) so the first label
/// always dominates and the batch's training accuracy stays meaningful.
/// </summary>
public sealed class Mixup
{
    private Mixup(float lambda, int[] partners)
    {
        Lambda = lambda;
        Partners = partners;
    }

    /// <summary>The weight of each row's own input and label, in [0.5, 1].</summary>
    public float Lambda { get; }

    /// <summary>For each row, the row it is mixed with (a permutation of the batch).</summary>
    public IReadOnlyList<int> Partners { get; }

    /// <summary>A draw for a batch of <paramref name="count"/> rows, or null when <paramref name="alpha"/> is 0 or the batch has one row.</summary>
    public static Mixup? Draw(double alpha, int count, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(alpha > 0) || count < 2) return null;
        double lambda = RandomDraws.SymmetricBeta(alpha, random);
        var partners = Enumerable.Range(0, count).ToArray();
        random.Shuffle(partners);
        return new Mixup((float)Math.Max(lambda, 1 - lambda), partners);
    }

    /// <summary>Mixes the rows of <paramref name="rows"/> (count × <paramref name="rowSize"/>, row-major) in place.</summary>
    public void Apply(Span<float> rows, int rowSize)
    {
        int n = Partners.Count;
        if (rows.Length != n * rowSize) throw new ArgumentException($"Expected {n} rows of {rowSize}, got {rows.Length} values.", nameof(rows));
        // The rows are read after some were overwritten, so mix from a pooled copy (a batch every training step).
        float[] original = System.Buffers.ArrayPool<float>.Shared.Rent(rows.Length);
        try
        {
            rows.CopyTo(original);
            float a = Lambda, b = 1 - Lambda;
            for (int i = 0; i < n; i++)
            {
                var own = original.AsSpan(i * rowSize, rowSize);
                var other = original.AsSpan(Partners[i] * rowSize, rowSize);
                var target = rows.Slice(i * rowSize, rowSize);
                System.Numerics.Tensors.TensorPrimitives.Multiply(own, a, target);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(other, b, target, target);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(original);
        }
    }
}
