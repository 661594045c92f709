using Affetto.Nn.Modules;
using Affetto.Nn.Optim;
using Affetto.Nn.Tensors;
using Affetto.Nn.Tests.Support;

namespace Affetto.Nn.Tests;

/// <summary>
/// Outputs, gradients, running statistics and post-step weights against PyTorch 1.13 (Fixtures/generate_torch.py).
/// Agreement is the norm-wise relative error ‖ours − torch‖ / ‖torch‖ per tensor, required below 1e-4; the update
/// itself (weights after − before) is also checked, at 1e-3 since it is a small difference of large numbers.
/// </summary>
public class TorchParityTests
{
    private const double Tol = 1e-4;

    /// <summary>The seed CNN of the issue: 4 × (Conv3x3 pad 1, BN, ReLU, MaxPool2) with 16/32/64/128 channels, dropout, flatten, Linear(8192, 4).</summary>
    private sealed class SeedCnn : Module
    {
        public SeedCnn(float dropout)
        {
            var features = new Sequential();
            int[] ch = [1, 16, 32, 64, 128];
            for (int i = 0; i < 4; i++)
            {
                features.Add(new Conv2d(ch[i], ch[i + 1], 3, padding: 1)).Add(new BatchNorm2d(ch[i + 1])).Add(new ReLU()).Add(new MaxPool2d(2));
            }

            Features = RegisterModule("features", features);
            Dropout = RegisterModule("dropout", new Dropout(dropout, 7));
            Flatten = RegisterModule("flatten", new Flatten());
            Fc = RegisterModule("fc", new Linear(128 * 8 * 8, 4));
        }

        public Sequential Features { get; }

        public Dropout Dropout { get; }

        public Flatten Flatten { get; }

        public Linear Fc { get; }

        public override Tensor Forward(Tensor input) => Fc.Forward(Flatten.Forward(Dropout.Forward(Features.Forward(input))));
    }

    /// <summary>
    /// A convolution bias followed by training-mode BatchNorm has a mathematically zero gradient (the mean is
    /// subtracted); both engines return float32 rounding residue (~1e-9) there, which SGD's momentum keeps tiny but
    /// Adam normalises to ±lr steps of arbitrary sign. Those biases are compared with an absolute bound instead.
    /// </summary>
    private static bool IsBiasBeforeBatchNorm(string name) => name.StartsWith("features.", StringComparison.Ordinal) && name.EndsWith(".bias", StringComparison.Ordinal)
        && int.Parse(name.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture) % 4 == 0;

    private static void AssertParams(Module m, Dictionary<string, Tensor> fx, string prefix, Dictionary<string, Tensor>? before = null, float lr = 0f)
    {
        foreach (var (name, p) in m.NamedParameters())
        {
            var expected = fx[prefix + name];
            if (IsBiasBeforeBatchNorm(name))
            {
                float maxDiff = p.Sub(expected).Abs().Max().Item();
                Assert.True(maxDiff <= 3 * lr * 1.01f, $"{name}: |diff| {maxDiff} exceeds three steps of lr {lr}");
                continue;
            }

            GradCheck.AssertClose(p, expected, Tol, prefix + name);
            if (before != null)
            {
                var du = p.Sub(before[name]);
                var de = expected.Sub(before[name]);
                GradCheck.AssertClose(du, de, 1e-3, prefix + name + " (update)");
            }
        }
    }

    private static void AssertGrads(Module m, Dictionary<string, Tensor> fx, string prefix = "grad.")
    {
        foreach (var (name, p) in m.NamedParameters())
        {
            Assert.NotNull(p.Grad);
            if (IsBiasBeforeBatchNorm(name))
            {
                // Zero in exact arithmetic: both sides must be rounding residue.
                float ours = p.Grad!.Abs().Max().Item(), theirs = fx[prefix + name].Abs().Max().Item();
                Assert.True(ours < 1e-5f && theirs < 1e-5f, $"{name} gradient is not ~0 (ours {ours}, torch {theirs})");
                continue;
            }

            GradCheck.AssertClose(p.Grad!, fx[prefix + name], Tol, "grad of " + name);
        }
    }

    [Fact]
    public void SeedCnn_TrainForwardBackward_MatchesTorch()
    {
        var fx = Fixtures.Load("cnn");
        var model = new SeedCnn(0f);
        model.LoadStateDict(Fixtures.WithPrefix(fx, "init."));
        var x = fx["input"].Clone();
        x.RequiresGrad = true;
        var outp = model.Forward(x);
        GradCheck.AssertClose(outp, fx["out"], Tol, "logits");
        var loss = Functional.CrossEntropy(outp, fx["target"]);
        GradCheck.AssertClose(loss.Reshape(1), fx["loss"], Tol, "loss");
        loss.Backward();
        GradCheck.AssertClose(x.Grad!, fx["grad.input"], Tol, "input gradient");
        AssertGrads(model, fx);
        foreach (var (name, b) in model.NamedBuffers())
        {
            GradCheck.AssertClose(b, fx["after_forward." + name], Tol, name);
        }

        var evalModel = new SeedCnn(0.5f);
        evalModel.LoadStateDict(model.StateDict());
        evalModel.Eval();
        using (Tensor.NoGrad())
        {
            GradCheck.AssertClose(evalModel.Forward(fx["input"]), fx["eval.out"], Tol, "eval logits");
        }
    }

    public static TheoryData<string> CnnOptimisers => new() { "sgd", "adam" };

    [Theory]
    [MemberData(nameof(CnnOptimisers))]
    public void SeedCnn_ThreeOptimiserSteps_MatchTorch(string optimiser)
    {
        var fx = Fixtures.Load("cnn");
        var model = new SeedCnn(0f);
        var init = Fixtures.WithPrefix(fx, "init.");
        model.LoadStateDict(init);
        Optimizer opt = optimiser == "sgd"
            ? new SGD(model.Parameters(), 0.05f, momentum: 0.9f, nesterov: true, weightDecay: 1e-3f)
            : new Adam(model.Parameters(), 1e-3f, weightDecay: 1e-4f);
        for (int i = 0; i < 3; i++)
        {
            opt.ZeroGrad();
            Functional.CrossEntropy(model.Forward(fx["input"]), fx["target"]).Backward();
            opt.Step();
        }

        AssertParams(model, fx, optimiser + ".", init, optimiser == "sgd" ? 0.05f : 1e-3f);
    }

    private sealed class LstmHead : Module
    {
        public LstmHead()
        {
            Lstm = RegisterModule("lstm", new LSTM(8, 12, numLayers: 2, batchFirst: true, bidirectional: true));
            Fc = RegisterModule("fc", new Linear(24, 3));
        }

        public LSTM Lstm { get; }

        public Linear Fc { get; }

        public override Tensor Forward(Tensor input) => Fc.Forward(Lstm.Forward(input).Select(1, -1));
    }

    [Fact]
    public void Lstm_BidirectionalTwoLayers_MatchesTorch()
    {
        var fx = Fixtures.Load("lstm");
        var model = new LstmHead();
        model.LoadStateDict(Fixtures.WithPrefix(fx, "init."));
        Assert.Contains("lstm.weight_hh_l1_reverse", model.StateDict().Keys);
        var x = fx["input"].Clone();
        x.RequiresGrad = true;
        var (output, h, c) = model.Lstm.Forward(x, null);
        GradCheck.AssertClose(output, fx["out"], Tol, "output");
        GradCheck.AssertClose(h, fx["h"], Tol, "h_n");
        GradCheck.AssertClose(c, fx["c"], Tol, "c_n");
        var logits = model.Fc.Forward(output.Select(1, -1));
        GradCheck.AssertClose(logits, fx["logits"], Tol, "logits");
        Functional.CrossEntropy(logits, fx["target"]).Backward();
        GradCheck.AssertClose(x.Grad!, fx["grad.input"], Tol, "input gradient");
        AssertGrads(model, fx);
    }

    public static TheoryData<string> LstmOptimisers => new() { "sgd", "sgd_nesterov", "adam", "adamw" };

    [Theory]
    [MemberData(nameof(LstmOptimisers))]
    public void Lstm_ThreeOptimiserSteps_MatchTorch(string optimiser)
    {
        var fx = Fixtures.Load("lstm");
        var model = new LstmHead();
        var init = Fixtures.WithPrefix(fx, "init.");
        model.LoadStateDict(init);
        Optimizer opt = optimiser switch
        {
            "sgd" => new SGD(model.Parameters(), 0.1f, momentum: 0.9f, dampening: 0.1f, weightDecay: 1e-2f),
            "sgd_nesterov" => new SGD(model.Parameters(), 0.1f, momentum: 0.9f, nesterov: true, weightDecay: 1e-2f),
            "adam" => new Adam(model.Parameters(), 1e-2f, weightDecay: 1e-2f, amsgrad: true),
            _ => new AdamW(model.Parameters(), 1e-2f, weightDecay: 1e-1f),
        };
        for (int i = 0; i < 3; i++)
        {
            opt.ZeroGrad();
            Functional.CrossEntropy(model.Forward(fx["input"]), fx["target"]).Backward();
            opt.Step();
        }

        AssertParams(model, fx, optimiser + ".", init);
    }

    [Fact]
    public void Gru_BidirectionalTwoLayersWithInitialState_MatchesTorch()
    {
        var fx = Fixtures.Load("gru");
        var gru = new GRU(6, 12, numLayers: 2, batchFirst: true, bidirectional: true);
        gru.LoadStateDict(Fixtures.WithPrefix(fx, "init."));
        var x = fx["input"].Clone();
        x.RequiresGrad = true;
        var (output, h) = gru.Forward(x, fx["h0"]);
        GradCheck.AssertClose(output, fx["out"], Tol, "output");
        GradCheck.AssertClose(h, fx["h"], Tol, "h_n");
        output.Mul(fx["loss_weight"]).Sum().Backward();
        GradCheck.AssertClose(x.Grad!, fx["grad.input"], Tol, "input gradient");
        AssertGrads(gru, fx);
    }

    public static TheoryData<string> BlockNames => new() { "mbconv", "mbconv_s2", "fused", "fused_e1" };

    private static Module MakeBlock(string name) => name switch
    {
        "mbconv" => new MBConv(16, 16, 4, 3, 1),
        "mbconv_s2" => new MBConv(16, 24, 6, 5, 2),
        "fused" => new FusedMBConv(16, 16, 4, 3, 1),
        _ => new FusedMBConv(16, 24, 1, 3, 2),
    };

    [Theory]
    [MemberData(nameof(BlockNames))]
    public void EfficientNetBlock_TrainAndEval_MatchTorch(string name)
    {
        var fx = Fixtures.Load("blocks");
        var block = MakeBlock(name);
        var init = Fixtures.WithPrefix(fx, name + ".init.");
        Assert.Equal(init.Keys.OrderBy(k => k, StringComparer.Ordinal), block.StateDict().Keys.OrderBy(k => k, StringComparer.Ordinal));
        block.LoadStateDict(init);
        var x = fx[name + ".input"].Clone();
        x.RequiresGrad = true;
        var y = block.Forward(x);
        GradCheck.AssertClose(y, fx[name + ".out"], Tol, "output");
        y.Mul(fx[name + ".loss_weight"]).Sum().Backward();
        GradCheck.AssertClose(x.Grad!, fx[name + ".grad.input"], Tol, "input gradient");
        AssertGrads(block, fx, name + ".grad.");
        foreach (var (key, b) in block.NamedBuffers().Where(b => b.Name.Contains("running")))
        {
            GradCheck.AssertClose(b, fx[name + ".after_forward." + key], Tol, key);
        }

        block.Eval();
        using (Tensor.NoGrad())
        {
            GradCheck.AssertClose(block.Forward(fx[name + ".input"]), fx[name + ".eval.out"], Tol, "eval output");
        }
    }

    public static TheoryData<string> LayerNames => new()
    {
        "conv1d", "conv2d_dw", "conv2d_rect", "maxpool2d_ceil", "maxpool1d", "avgpool2d_nopad", "avgpool1d", "adaptive2d", "adaptive1d",
        "layernorm", "bn1d", "bn1d_seq", "linear3d",
    };

    private static Module MakeLayer(string name) => name switch
    {
        "conv1d" => new Conv1d(4, 6, 3, stride: 2, padding: 2, dilation: 2, groups: 2),
        "conv2d_dw" => new Conv2d(4, 4, 3, stride: 2, padding: 2, dilation: 2, groups: 4),
        "conv2d_rect" => new Conv2d(3, 5, (3, 1), (1, 2), (1, 0), (1, 1), bias: false),
        "maxpool2d_ceil" => new MaxPool2d(3, 2, 1, ceilMode: true),
        "maxpool1d" => new MaxPool1d(2),
        "avgpool2d_nopad" => new AvgPool2d(3, 2, 1, countIncludePad: false),
        "avgpool1d" => new AvgPool1d(3, 2, 1),
        "adaptive2d" => new AdaptiveAvgPool2d((3, 5)),
        "adaptive1d" => new AdaptiveAvgPool1d(4),
        "layernorm" => new LayerNorm([3, 5]),
        "bn1d" => new BatchNorm1d(5),
        "bn1d_seq" => new BatchNorm1d(3),
        _ => new Linear(5, 4),
    };

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Layer_NonDefaultGeometry_MatchesTorch(string name)
    {
        var fx = Fixtures.Load("layers");
        var layer = MakeLayer(name);
        layer.LoadStateDict(Fixtures.WithPrefix(fx, name + ".init."), strict: false);
        var x = fx[name + ".input"].Clone();
        x.RequiresGrad = true;
        var y = layer.Forward(x);
        GradCheck.AssertClose(y, fx[name + ".out"], Tol, "output");
        y.Mul(fx[name + ".loss_weight"]).Sum().Backward();
        GradCheck.AssertClose(x.Grad!, fx[name + ".grad.input"], Tol, "input gradient");
        AssertGrads(layer, fx, name + ".grad.");
    }

    public static TheoryData<string> Activations => new() { "relu", "leaky_relu", "elu", "silu", "gelu", "sigmoid", "tanh", "softmax", "log_softmax" };

    [Theory]
    [MemberData(nameof(Activations))]
    public void Activation_ValueAndGradient_MatchTorch(string name)
    {
        var fx = Fixtures.Load("ops");
        var x = fx["act.x"].Clone();
        x.RequiresGrad = true;
        var y = name switch
        {
            "relu" => x.Relu(),
            "leaky_relu" => x.LeakyRelu(0.1f),
            "elu" => x.Elu(0.7f),
            "silu" => x.Silu(),
            "gelu" => x.Gelu(),
            "sigmoid" => x.Sigmoid(),
            "tanh" => x.Tanh(),
            "softmax" => x.Softmax(1),
            _ => x.LogSoftmax(0),
        };
        GradCheck.AssertClose(y, fx["act." + name], 1e-6, name);
        y.Mul(fx["act.loss_weight"]).Sum().Backward();
        GradCheck.AssertClose(x.Grad!, fx["act." + name + ".grad"], 1e-5, name + " gradient");
    }

    public static TheoryData<Reduction, float, bool> CrossEntropyCases()
    {
        var d = new TheoryData<Reduction, float, bool>();
        foreach (var r in new[] { Reduction.Mean, Reduction.Sum, Reduction.None })
        {
            foreach (float ls in new[] { 0f, 0.2f })
            {
                d.Add(r, ls, true);
                d.Add(r, ls, false);
            }
        }

        return d;
    }

    [Theory]
    [MemberData(nameof(CrossEntropyCases))]
    public void CrossEntropy_WeightsSmoothingReductions_MatchTorch(Reduction reduction, float labelSmoothing, bool weighted)
    {
        var fx = Fixtures.Load("ops");
        var logits = fx["ce.logits"].Clone();
        logits.RequiresGrad = true;
        var loss = Functional.CrossEntropy(logits, fx["ce.target"], weighted ? fx["ce.weight"] : null, reduction, labelSmoothing);
        string key = $"ce.{reduction.ToString().ToLowerInvariant()}.{(labelSmoothing == 0 ? "0.0" : "0.2")}.{(weighted ? "w" : "nw")}";
        GradCheck.AssertClose(loss.Reshape(-1), fx[key], 1e-5, key);
        loss.Sum().Backward();
        GradCheck.AssertClose(logits.Grad!, fx[key + ".grad"], 1e-5, key + " gradient");
    }

    [Fact]
    public void CrossEntropy_SpatialWithSmoothing_MatchesTorch()
    {
        var fx = Fixtures.Load("ops");
        var logits = fx["ce_spatial.logits"].Clone();
        logits.RequiresGrad = true;
        var loss = Functional.CrossEntropy(logits, fx["ce_spatial.target"], labelSmoothing: 0.1f);
        GradCheck.AssertClose(loss.Reshape(1), fx["ce_spatial.loss"], 1e-5, "loss");
        loss.Backward();
        GradCheck.AssertClose(logits.Grad!, fx["ce_spatial.grad"], 1e-5, "gradient");
    }

    [Fact]
    public void BceWithLogits_PosWeight_MatchesTorch()
    {
        var fx = Fixtures.Load("ops");
        var x = fx["bce.x"].Clone();
        x.RequiresGrad = true;
        var loss = new BCEWithLogitsLoss(fx["bce.pos_weight"]).Forward(x, fx["bce.y"]);
        GradCheck.AssertClose(loss.Reshape(1), fx["bce.loss"], 1e-6, "loss");
        loss.Backward();
        GradCheck.AssertClose(x.Grad!, fx["bce.grad"], 1e-5, "gradient");
    }

    [Theory]
    [InlineData("mse")]
    [InlineData("l1")]
    public void RegressionLoss_MatchesTorch(string name)
    {
        var fx = Fixtures.Load("ops");
        var a = fx[name + ".a"].Clone();
        a.RequiresGrad = true;
        var loss = name == "mse" ? new MSELoss().Forward(a, fx[name + ".b"]) : new L1Loss().Forward(a, fx[name + ".b"]);
        GradCheck.AssertClose(loss.Reshape(1), fx[name + ".loss"], 1e-6, "loss");
        loss.Backward();
        GradCheck.AssertClose(a.Grad!, fx[name + ".grad"], 1e-6, "gradient");
    }

    [Fact]
    public void Reductions_VarStdMaxArgMaxLogSumExp_MatchTorch()
    {
        var fx = Fixtures.Load("ops");
        var x = fx["red.x"];
        GradCheck.AssertClose(x.Var([1, 2], unbiased: true), fx["red.var_12_unbiased"], 1e-6, "var");
        GradCheck.AssertClose(x.Std([0], unbiased: false), fx["red.std_0_biased"], 1e-6, "std");
        GradCheck.AssertClose(x.Max([1]), fx["red.max_1"], 1e-7, "max");
        GradCheck.AssertClose(x.ArgMax(2), fx["red.argmax_2"], 1e-7, "argmax");
        GradCheck.AssertClose(x.LogSumExp(1), fx["red.logsumexp_1"], 1e-6, "logsumexp");
    }

    [Fact]
    public void Schedulers_StepCosineOneCycle_MatchTorch()
    {
        var fx = Fixtures.Load("ops");
        static float[] Run(LRScheduler s, int n, List<float>? momenta = null)
        {
            var v = new float[n];
            for (int i = 0; i < n; i++)
            {
                v[i] = (float)s.CurrentLearningRate;
                momenta?.Add(s.Optimizer.Momentum);
                s.Step();
            }

            return v;
        }

        static SGD Sgd() => new([Tensor.Zeros(1)], 0.1f, momentum: 0.9f);
        Assert.True(GradCheck.RelativeError(Run(new StepLR(Sgd(), 3, 0.5), 10), fx["sched.step"].ToArray()) < 1e-6);
        Assert.True(GradCheck.RelativeError(Run(new CosineAnnealingLR(Sgd(), 7, 0.001), 20), fx["sched.cosine"].ToArray()) < 1e-6);
        var m1 = new List<float>();
        Assert.True(GradCheck.RelativeError(Run(new OneCycleLR(Sgd(), 0.5, 20), 20, m1), fx["sched.onecycle_sgd.lr"].ToArray()) < 1e-6);
        Assert.True(GradCheck.RelativeError(m1.ToArray(), fx["sched.onecycle_sgd.momentum"].ToArray()) < 1e-6);
        var m2 = new List<float>();
        var adam = new Adam([Tensor.Zeros(1)], 0.01f);
        Assert.True(GradCheck.RelativeError(Run(new OneCycleLR(adam, 0.05, 15, pctStart: 0.4, cosineAnnealing: false), 15, m2), fx["sched.onecycle_adam.lr"].ToArray()) < 1e-6);
        Assert.True(GradCheck.RelativeError(m2.ToArray(), fx["sched.onecycle_adam.momentum"].ToArray()) < 1e-6);
    }

    [Fact]
    public void ClipGradNorm_MatchesTorch()
    {
        var fx = Fixtures.Load("ops");
        var p0 = Tensor.Zeros(3, 4);
        var p1 = Tensor.Zeros(5);
        p0.Grad = fx["clip.g0"].Clone();
        p1.Grad = fx["clip.g1"].Clone();
        float total = GradClip.ClipGradNorm([p0, p1], 1.5f);
        Assert.Equal(fx["clip.total"].Item(), total, 4);
        GradCheck.AssertClose(p0.Grad, fx["clip.g0_after"], 1e-6, "g0");
        GradCheck.AssertClose(p1.Grad, fx["clip.g1_after"], 1e-6, "g1");
    }
}
