using Affetto.Nn.Modules;
using Affetto.Nn.Tensors;
using Affetto.Nn.Tests.Support;

namespace Affetto.Nn.Tests;

/// <summary>Finite-difference gradient checks of every layer and loss, with respect to the input and all parameters.</summary>
public class GradCheckLayerTests
{
    private static Tensor R(int seed, params int[] shape) => GradCheck.Rand(seed, shape);

    public static TheoryData<string> Layers => new()
    {
        "linear", "linear_3d", "conv2d", "conv2d_stride_pad_dilation", "conv2d_depthwise", "conv2d_groups", "conv1d", "conv1d_stride_pad",
        "maxpool2d", "maxpool2d_pad_stride", "maxpool1d", "avgpool2d", "avgpool2d_pad", "avgpool1d", "adaptive2d", "adaptive2d_global",
        "adaptive1d", "bn2d_train", "bn2d_eval", "bn1d_train_2d", "bn1d_train_3d", "layernorm", "dropout_seeded", "lstm", "lstm_bi_batchfirst",
        "gru", "gru_bi", "se", "mbconv", "mbconv_s2", "fused", "fused_e1", "sequential", "flatten", "activation_modules", "stochastic_depth", "lstm_nobias_state", "gru_nobias_state",
    };

    private static (Module M, Tensor X) Make(string name)
    {
        var g = new Generator(11);
        return name switch
        {
            "linear" => (new Linear(5, 3, generator: g), R(1, 4, 5)),
            "linear_3d" => (new Linear(5, 3, generator: g), R(1, 2, 3, 5)),
            "conv2d" => (new Conv2d(2, 3, 3, generator: g), R(1, 2, 2, 5, 5)),
            "conv2d_stride_pad_dilation" => (new Conv2d(2, 3, (3, 2), (2, 1), (1, 2), (2, 1), generator: g), R(1, 2, 2, 7, 6)),
            "conv2d_depthwise" => (new Conv2d(4, 4, 3, padding: 1, groups: 4, generator: g), R(1, 1, 4, 5, 5)),
            "conv2d_groups" => (new Conv2d(4, 6, 3, stride: 2, padding: 1, groups: 2, bias: false, generator: g), R(1, 2, 4, 5, 5)),
            "conv1d" => (new Conv1d(3, 4, 3, generator: g), R(1, 2, 3, 8)),
            "conv1d_stride_pad" => (new Conv1d(4, 2, 3, stride: 2, padding: 2, dilation: 2, groups: 2, generator: g), R(1, 2, 4, 9)),
            "maxpool2d" => (new MaxPool2d(2), Spread(2, 2, 6, 6)),
            "maxpool2d_pad_stride" => (new MaxPool2d(3, 2, 1), Spread(1, 2, 7, 7)),
            "maxpool1d" => (new MaxPool1d(3, 2), Spread(2, 2, 9)),
            "avgpool2d" => (new AvgPool2d(2), R(1, 2, 2, 6, 6)),
            "avgpool2d_pad" => (new AvgPool2d(3, 2, 1, countIncludePad: false), R(1, 1, 2, 7, 7)),
            "avgpool1d" => (new AvgPool1d(2), R(1, 2, 2, 8)),
            "adaptive2d" => (new AdaptiveAvgPool2d((3, 2)), R(1, 2, 2, 7, 5)),
            "adaptive2d_global" => (new AdaptiveAvgPool2d(1), R(1, 2, 3, 4, 4)),
            "adaptive1d" => (new AdaptiveAvgPool1d(3), R(1, 2, 2, 7)),
            "bn2d_train" => (WithAffine(new BatchNorm2d(3)), R(1, 2, 3, 4, 4)),
            "bn2d_eval" => (WithStats(new BatchNorm2d(3)), R(1, 2, 3, 4, 4)),
            "bn1d_train_2d" => (WithAffine(new BatchNorm1d(4)), R(1, 6, 4)),
            "bn1d_train_3d" => (WithAffine(new BatchNorm1d(3)), R(1, 2, 3, 5)),
            "layernorm" => (WithAffine(new LayerNorm([3, 4])), R(1, 2, 3, 4)),
            "dropout_seeded" => (new SeededDropout(), R(1, 3, 5)),
            "lstm" => (new LSTM(3, 4, generator: g), R(1, 5, 2, 3)),
            "lstm_bi_batchfirst" => (new LSTM(3, 3, numLayers: 2, batchFirst: true, bidirectional: true, generator: g), R(1, 2, 4, 3)),
            "gru" => (new GRU(3, 4, generator: g), R(1, 5, 2, 3)),
            "gru_bi" => (new GRU(3, 3, numLayers: 2, batchFirst: true, bidirectional: true, generator: g), R(1, 2, 4, 3)),
            "se" => (new SqueezeExcitation(4, 2, () => new SiLU(), g), R(1, 2, 4, 3, 3)),
            "mbconv" => (new MBConv(4, 4, 2, 3, 1, generator: g), R(1, 2, 4, 4, 4)),
            "mbconv_s2" => (new MBConv(4, 8, 2, 3, 2, generator: g), R(1, 2, 4, 5, 5)),
            "fused" => (new FusedMBConv(4, 4, 2, 3, 1, generator: g), R(1, 2, 4, 4, 4)),
            "fused_e1" => (new FusedMBConv(8, 8, 1, 3, 1, generator: g), R(1, 2, 8, 3, 3)),
            "sequential" => (new Sequential(new Linear(4, 6, generator: g), new GELU(), new Linear(6, 3, generator: g), new ELU(), new LeakyReLU(0.1f)), R(4, 3, 4)),
            "lstm_nobias_state" => (new WithState(new LSTM(3, 4, bias: false, generator: g)), R(1, 3, 2, 3)),
            "gru_nobias_state" => (new WithState(new GRU(3, 4, bias: false, generator: g)), R(1, 3, 2, 3)),
            "activation_modules" => (new Sequential(new Sigmoid(), new Identity(), new Tanh(), new SiLU(), new ReLU(), new Softmax(1), new LogSoftmax(0)), R(1, 3, 4)),
            "stochastic_depth" => (new SeededStochasticDepth(), R(1, 4, 2, 3)),
            "flatten" => (new Sequential(new Flatten(), new Linear(12, 2, generator: g)), R(1, 2, 3, 4)),
            _ => throw new ArgumentException(name),
        };
    }

    /// <summary>Distinct values 0.05 apart in random order, so no max-pool window has a tie within the difference step.</summary>
    private static Tensor Spread(params int[] shape)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        var perm = new Generator(8).Permutation(n);
        return Tensor.FromArray(perm.Select(v => (v - (n / 2f)) * 0.05f).ToArray(), shape);
    }

    private static Module WithAffine(Module m)
    {
        // Non-trivial scale/shift so their gradients are exercised away from the identity.
        var g = new Generator(5);
        foreach (var (_, p) in m.NamedParameters())
        {
            Init.Uniform(p, 0.5f, 1.5f, g);
        }

        return m;
    }

    private static Module WithStats(BatchNorm bn)
    {
        WithAffine(bn);
        Init.Uniform(bn.RunningMean!, -0.5f, 0.5f, new Generator(6));
        Init.Uniform(bn.RunningVar!, 0.5f, 2f, new Generator(7));
        bn.Eval();
        return bn;
    }

    /// <summary>Runs a recurrent layer from a fixed non-zero initial state and returns output and final states together.</summary>
    private sealed class WithState : Module
    {
        private readonly Module _rnn;
        private readonly Tensor _h0 = R(21, 1, 2, 4);
        private readonly Tensor _c0 = R(22, 1, 2, 4);

        public WithState(Module rnn) => _rnn = RegisterModule("rnn", rnn);

        public override Tensor Forward(Tensor input)
        {
            if (_rnn is LSTM lstm)
            {
                var (o, h, c) = lstm.Forward(input, (_h0, _c0));
                return Tensor.Concat([o, h, c], 0);
            }

            var (go, gh) = ((GRU)_rnn).Forward(input, _h0);
            return Tensor.Concat([go, gh], 0);
        }
    }

    private sealed class SeededStochasticDepth : Module
    {
        public override Tensor Forward(Tensor input) => new StochasticDepth(0.5f, new Generator(3)).Forward(input.Exp());
    }

    private sealed class SeededDropout : Module
    {
        private readonly Generator _g = new(3);

        public override Tensor Forward(Tensor input)
        {
            _g.ManualSeed(3);
            return Functional.Dropout(input, 0.4f, true, _g);
        }
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Layer_AnalyticGradients_MatchFiniteDifferences(string name)
    {
        var (m, x) = Make(name);
        var wrt = new List<Tensor> { x };
        wrt.AddRange(m.Parameters());
        // Piecewise-linear activations need a step smaller than the distance of inputs to their kinks.
        float eps = name == "sequential" ? 1e-3f : 1e-2f;
        GradCheck.Check(() => m.Forward(x), wrt, eps: eps, tolerance: 1e-2, what: name);
    }

    public static TheoryData<string> Losses => new()
    {
        "ce", "ce_weighted_smooth", "ce_sum_none", "ce_spatial", "nll", "bce", "bce_posweight", "mse", "l1",
    };

    [Theory]
    [MemberData(nameof(Losses))]
    public void Loss_AnalyticGradient_MatchesFiniteDifferences(string name)
    {
        var x = R(1, 4, 3);
        var classes = Tensor.FromArray([2, 0, 1, 2], 4);
        var w = Tensor.FromArray([0.5f, 2f, 1f], 3);
        var y01 = Tensor.FromArray([1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1], 4, 3);
        Func<Tensor> f = name switch
        {
            "ce" => () => Functional.CrossEntropy(x, classes),
            "ce_weighted_smooth" => () => Functional.CrossEntropy(x, classes, w, labelSmoothing: 0.3f),
            "ce_sum_none" => () => Functional.CrossEntropy(x, classes, w, Reduction.None, 0.1f).Mul(Functional.CrossEntropy(x, classes, null, Reduction.Sum)),
            "ce_spatial" => () => Functional.CrossEntropy(x.Reshape(2, 3, 2), Tensor.FromArray([0, 2, 1, 1], 2, 2), labelSmoothing: 0.2f),
            "nll" => () => Functional.NllLoss(x.LogSoftmax(1), classes, w),
            "bce" => () => Functional.BinaryCrossEntropyWithLogits(x, y01),
            "bce_posweight" => () => Functional.BinaryCrossEntropyWithLogits(x, y01, Tensor.FromArray([2f, 0.5f, 1.5f], 3), Reduction.Sum),
            "mse" => () => Functional.MseLoss(x, y01),
            "l1" => () => Functional.L1Loss(x, y01.Mul(0.3f)),
            _ => throw new ArgumentException(name),
        };
        GradCheck.Check(f, [x], eps: 1e-3f, what: name);
    }
}
