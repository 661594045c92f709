using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>
/// Multi-layer (optionally bidirectional) LSTM with PyTorch's gate order i, f, g, o:
/// c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c').
/// </summary>
public sealed class LSTM : RecurrentBase
{
    /// <summary>Creates the layer with PyTorch's defaults and init.</summary>
    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, float dropout = 0f,
        bool bidirectional = false, Generator? generator = null)
        : base(4, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, generator)
    {
    }

    /// <summary>The output sequence (last layer, directions concatenated).</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>Runs the LSTM; returns the output sequence and the final (h, c), each [layers·directions, B, H].</summary>
    public (Tensor Output, Tensor H, Tensor C) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        var x = TimeMajor(input);
        int steps = x.Size(0), batch = x.Size(1), hs = HiddenSize;
        if (state is { } s)
        {
            CheckState(s.H, batch, "h0");
            CheckState(s.C, batch, "c0");
        }

        var hN = new List<Tensor>();
        var cN = new List<Tensor>();
        for (int layer = 0; layer < NumLayers; layer++)
        {
            var dirOutputs = new Tensor[Directions];
            for (int d = 0; d < Directions; d++)
            {
                var w = WeightsOf(layer, d);
                var proj = InputProjection(x, w, addHiddenBias: true);
                int idx = (layer * Directions) + d;
                var h = state is { } st ? st.H.Select(0, idx) : Tensor.Zeros(batch, hs);
                var c = state is { } st2 ? st2.C.Select(0, idx) : Tensor.Zeros(batch, hs);
                var outs = new Tensor[steps];
                var whhT = w[1].T;
                for (int k = 0; k < steps; k++)
                {
                    int t = d == 0 ? k : steps - 1 - k;
                    var gates = proj.Select(0, t).Add(h.Mm(whhT));
                    var hc = LstmCellOp.Forward(gates, c);
                    h = hc.Narrow(1, 0, hs);
                    c = hc.Narrow(1, hs, hs);
                    outs[t] = h;
                }

                hN.Add(h);
                cN.Add(c);
                dirOutputs[d] = Tensor.Stack(outs, 0);
            }

            x = Directions == 1 ? dirOutputs[0] : Tensor.Concat(dirOutputs, 2);
            x = InterLayerDropout(x, layer);
        }

        var output = BatchFirst ? x.Transpose(0, 1) : x;
        return (output, Tensor.Stack(hN, 0), Tensor.Stack(cN, 0));
    }
}
