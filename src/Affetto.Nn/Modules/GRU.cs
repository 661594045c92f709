using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>
/// Multi-layer (optionally bidirectional) GRU with PyTorch's gate order r, z, n and formula
/// n = tanh(W_in x + b_in + r·(W_hn h + b_hn)), h' = (1 - z)·n + z·h.
/// </summary>
public sealed class GRU : RecurrentBase
{
    /// <summary>Creates the layer with PyTorch's defaults and init.</summary>
    public GRU(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, float dropout = 0f,
        bool bidirectional = false, Generator? generator = null)
        : base(3, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, generator)
    {
    }

    /// <summary>The output sequence (last layer, directions concatenated).</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>Runs the GRU; returns the output sequence and the final h [layers·directions, B, H].</summary>
    public (Tensor Output, Tensor H) Forward(Tensor input, Tensor? h0)
    {
        var x = TimeMajor(input);
        int steps = x.Size(0), batch = x.Size(1), hs = HiddenSize;
        if (h0 != null)
        {
            CheckState(h0, batch, "h0");
        }

        var hN = new List<Tensor>();
        for (int layer = 0; layer < NumLayers; layer++)
        {
            var dirOutputs = new Tensor[Directions];
            for (int d = 0; d < Directions; d++)
            {
                var w = WeightsOf(layer, d);
                var proj = InputProjection(x, w, addHiddenBias: false);
                var h = h0 != null ? h0.Select(0, (layer * Directions) + d) : Tensor.Zeros(batch, hs);
                var outs = new Tensor[steps];
                var whhT = w[1].T;
                for (int k = 0; k < steps; k++)
                {
                    int t = d == 0 ? k : steps - 1 - k;
                    var gx = proj.Select(0, t);
                    var gh = h.Mm(whhT);
                    if (w.Length > 2)
                    {
                        gh = gh.Add(w[3]);
                    }

                    h = GruCellOp.Forward(gx, gh, h);
                    outs[t] = h;
                }

                hN.Add(h);
                dirOutputs[d] = Tensor.Stack(outs, 0);
            }

            x = Directions == 1 ? dirOutputs[0] : Tensor.Concat(dirOutputs, 2);
            x = InterLayerDropout(x, layer);
        }

        var output = BatchFirst ? x.Transpose(0, 1) : x;
        return (output, Tensor.Stack(hN, 0));
    }
}
