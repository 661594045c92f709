using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>
/// One fused LSTM step on pre-activation gates [B, 4H] (order i, f, g, o) and the previous cell state [B, H]:
/// returns [B, 2H] holding h' = σ(o)·tanh(c') and c' = σ(f)·c + σ(i)·tanh(g) side by side, with a single backward
/// node instead of a dozen element-wise ones.
/// </summary>
internal static class LstmCellOp
{
    public static Tensor Forward(Tensor gates, Tensor c)
    {
        int b = gates.Size(0), h4 = gates.Size(1), hs = h4 / 4;
        var gd = gates.Dense();
        var cd = c.Dense();
        var act = new float[b * h4];
        var tanhC = new float[b * hs];
        var outp = Tensor.Zeros(b, 2 * hs);
        var o = outp.AsSpan();
        var gs = gd.AsSpan();
        var cs = cd.AsSpan();
        for (int n = 0; n < b; n++)
        {
            int gRow = n * h4, cRow = n * hs, oRow = n * 2 * hs;
            for (int j = 0; j < hs; j++)
            {
                float i = Sigmoid(gs[gRow + j]);
                float f = Sigmoid(gs[gRow + hs + j]);
                float g = MathF.Tanh(gs[gRow + (2 * hs) + j]);
                float og = Sigmoid(gs[gRow + (3 * hs) + j]);
                float cn = (f * cs[cRow + j]) + (i * g);
                float tc = MathF.Tanh(cn);
                act[gRow + j] = i;
                act[gRow + hs + j] = f;
                act[gRow + (2 * hs) + j] = g;
                act[gRow + (3 * hs) + j] = og;
                tanhC[cRow + j] = tc;
                o[oRow + j] = og * tc;
                o[oRow + hs + j] = cn;
            }
        }

        if (!Tensor.NeedsGradAny([gates, c]))
        {
            return outp;
        }

        return outp.RecordOp("LstmCell", [gates, c], grad =>
        {
            var gr = grad.Dense().AsSpan();
            var dGates = Tensor.Zeros(b, h4);
            var dC = Tensor.Zeros(b, hs);
            var dg = dGates.AsSpan();
            var dc = dC.AsSpan();
            var cPrev = cd.AsSpan();
            for (int n = 0; n < b; n++)
            {
                int gRow = n * h4, cRow = n * hs, oRow = n * 2 * hs;
                for (int j = 0; j < hs; j++)
                {
                    float i = act[gRow + j], f = act[gRow + hs + j], g = act[gRow + (2 * hs) + j], og = act[gRow + (3 * hs) + j];
                    float tc = tanhC[cRow + j];
                    float dh = gr[oRow + j];
                    float dcn = gr[oRow + hs + j] + (dh * og * (1f - (tc * tc)));
                    dg[gRow + j] = dcn * g * i * (1f - i);
                    dg[gRow + hs + j] = dcn * cPrev[cRow + j] * f * (1f - f);
                    dg[gRow + (2 * hs) + j] = dcn * i * (1f - (g * g));
                    dg[gRow + (3 * hs) + j] = dh * tc * og * (1f - og);
                    dc[cRow + j] = dcn * f;
                }
            }

            return [gates.RequiresGrad ? dGates : null, c.RequiresGrad ? dC : null];
        });
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
