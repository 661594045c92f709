using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>
/// One fused GRU step from the input projection gx = W_i·x + b_i [B, 3H], the hidden projection gh = W_h·h + b_h [B, 3H]
/// (gate order r, z, n) and h [B, H]: r = σ(gx_r + gh_r), z = σ(gx_z + gh_z), n = tanh(gx_n + r·gh_n),
/// h' = (1 - z)·n + z·h, with a single backward node.
/// </summary>
internal static class GruCellOp
{
    public static Tensor Forward(Tensor gx, Tensor gh, Tensor h)
    {
        int b = h.Size(0), hs = h.Size(1), h3 = 3 * hs;
        var xd = gx.Dense().AsSpan().ToArray();
        var hd = gh.Dense().AsSpan().ToArray();
        var prev = h.Dense().AsSpan().ToArray();
        var act = new float[b * h3];
        var outp = Tensor.Zeros(b, hs);
        var o = outp.AsSpan();
        for (int n = 0; n < b; n++)
        {
            int gRow = n * h3, hRow = n * hs;
            for (int j = 0; j < hs; j++)
            {
                float r = Sigmoid(xd[gRow + j] + hd[gRow + j]);
                float z = Sigmoid(xd[gRow + hs + j] + hd[gRow + hs + j]);
                float nn = MathF.Tanh(xd[gRow + (2 * hs) + j] + (r * hd[gRow + (2 * hs) + j]));
                act[gRow + j] = r;
                act[gRow + hs + j] = z;
                act[gRow + (2 * hs) + j] = nn;
                o[hRow + j] = nn + (z * (prev[hRow + j] - nn));
            }
        }

        if (!Tensor.NeedsGradAny([gx, gh, h]))
        {
            return outp;
        }

        return outp.RecordOp("GruCell", [gx, gh, h], grad =>
        {
            var g = grad.Dense().AsSpan();
            var dgx = Tensor.Zeros(b, h3);
            var dgh = Tensor.Zeros(b, h3);
            var dh = Tensor.Zeros(b, hs);
            var dx = dgx.AsSpan();
            var dhh = dgh.AsSpan();
            var dp = dh.AsSpan();
            for (int n = 0; n < b; n++)
            {
                int gRow = n * h3, hRow = n * hs;
                for (int j = 0; j < hs; j++)
                {
                    float r = act[gRow + j], z = act[gRow + hs + j], nn = act[gRow + (2 * hs) + j];
                    float d = g[hRow + j];
                    float dan = d * (1f - z) * (1f - (nn * nn));
                    float daz = d * (prev[hRow + j] - nn) * z * (1f - z);
                    float dar = dan * hd[gRow + (2 * hs) + j] * r * (1f - r);
                    dx[gRow + j] = dar;
                    dhh[gRow + j] = dar;
                    dx[gRow + hs + j] = daz;
                    dhh[gRow + hs + j] = daz;
                    dx[gRow + (2 * hs) + j] = dan;
                    dhh[gRow + (2 * hs) + j] = dan * r;
                    dp[hRow + j] = d * z;
                }
            }

            return [gx.RequiresGrad ? dgx : null, gh.RequiresGrad ? dgh : null, h.RequiresGrad ? dh : null];
        });
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
