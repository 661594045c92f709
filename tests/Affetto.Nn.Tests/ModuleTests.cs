using Affetto.Nn.Modules;
using Affetto.Nn.Tensors;
using Affetto.Nn.Tests.Support;

namespace Affetto.Nn.Tests;

public class ModuleTests
{
    private sealed class Net : Module
    {
        public Net()
        {
            Conv1 = RegisterModule("conv1", new Conv2d(1, 2, 3));
            Bn1 = RegisterModule("bn1", new BatchNorm2d(2));
            Head = RegisterModule("head", new Sequential(new Flatten(), new Linear(8, 3)));
            Scale = RegisterParameter("scale", Tensor.Ones(1));
        }

        public Conv2d Conv1 { get; }

        public BatchNorm2d Bn1 { get; }

        public Sequential Head { get; }

        public Tensor Scale { get; }

        public override Tensor Forward(Tensor input) => Head.Forward(Functional.MaxPool2d(Bn1.Forward(Conv1.Forward(input)).Relu(), (2, 2))).Mul(Scale);
    }

    [Fact]
    public void StateDict_UsesPyTorchKeysAndOrder()
    {
        var keys = new Net().StateDict().Keys.ToArray();
        Assert.Equal(
            ["scale", "conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked", "head.1.weight", "head.1.bias"],
            keys);
        Assert.Equal(TensorDType.Int64, new Net().StateDict()["bn1.num_batches_tracked"].DType);
        Assert.Equal(["scale", "conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "head.1.weight", "head.1.bias"], new Net().NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void LoadStateDict_CopiesValues_AndTracksBatches()
    {
        var a = new Net();
        a.Forward(GradCheck.Rand(1, 2, 1, 6, 6));
        a.Forward(GradCheck.Rand(2, 2, 1, 6, 6));
        Assert.Equal(2f, a.Bn1.NumBatchesTracked!.Item());
        var b = new Net();
        b.LoadStateDict(a.StateDict());
        foreach (var (k, v) in a.StateDict())
        {
            Assert.Equal(v.ToArray(), b.StateDict()[k].ToArray());
        }

        a.Eval();
        b.Eval();
        var x = GradCheck.Rand(3, 2, 1, 6, 6);
        Assert.Equal(a.Forward(x).ToArray(), b.Forward(x).ToArray());
    }

    [Fact]
    public void LoadStateDict_Strict_ReportsMissingUnexpectedAndShapes()
    {
        var sd = new Net().StateDict().ToDictionary(p => p.Key, p => p.Value);
        sd.Remove("conv1.bias");
        sd["extra.weight"] = Tensor.Ones(2);
        sd["head.1.weight"] = Tensor.Ones(3, 9);
        var e = Assert.Throws<CheckpointMismatchException>(() => new Net().LoadStateDict(sd));
        Assert.Equal(["conv1.bias"], e.MissingKeys);
        Assert.Equal(["extra.weight"], e.UnexpectedKeys);
        Assert.Single(e.ShapeMismatches);
        Assert.Contains("head.1.weight", e.Message);
        Assert.Contains("conv1.bias", e.Message);

        // Non-strict ignores missing/unexpected keys but never a shape mismatch.
        Assert.Throws<CheckpointMismatchException>(() => new Net().LoadStateDict(sd, strict: false));
        sd["head.1.weight"] = Tensor.Ones(3, 8);
        var net = new Net();
        net.LoadStateDict(sd, strict: false);
        Assert.All(net.Head[1].StateDict()["weight"].ToArray(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void TrainEval_PropagatesToChildren_AndChangesBatchNorm()
    {
        var n = new Net();
        Assert.True(n.Bn1.Training);
        n.Eval();
        Assert.False(n.Bn1.Training);
        Assert.False(n.Head[1].Training);
        var before = n.Bn1.RunningMean!.ToArray();
        n.Forward(GradCheck.Rand(1, 2, 1, 6, 6));
        Assert.Equal(before, n.Bn1.RunningMean!.ToArray());
        n.Train();
        n.Forward(GradCheck.Rand(1, 2, 1, 6, 6));
        Assert.NotEqual(before, n.Bn1.RunningMean!.ToArray());
    }

    [Fact]
    public void ZeroGrad_ZeroesEveryParameterGradient()
    {
        var n = new Net();
        n.Forward(GradCheck.Rand(1, 2, 1, 6, 6)).Sum().Backward();
        Assert.All(n.Parameters(), p => Assert.NotNull(p.Grad));
        n.ZeroGrad();
        Assert.All(n.Parameters(), p => Assert.All(p.Grad!.ToArray(), v => Assert.Equal(0f, v)));
        Assert.Equal(18 + 2 + 2 + 2 + 24 + 3 + 1, n.ParameterCount());
    }

    [Fact]
    public void Register_DuplicateOrDottedName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new BadModule("a.b"));
        Assert.Throws<ArgumentException>(() => new BadModule("dup"));
    }

    private sealed class BadModule : Module
    {
        public BadModule(string name)
        {
            RegisterParameter("dup", Tensor.Ones(1));
            RegisterBuffer(name, Tensor.Ones(1));
        }

        public override Tensor Forward(Tensor input) => input;
    }

    [Fact]
    public void Init_KaimingAndXavier_HaveTheirBoundsAndStd()
    {
        var g = new Generator(3);
        var w = Init.KaimingUniform(Tensor.Zeros(64, 32, 3, 3), nonlinearity: "relu", generator: g);
        float bound = MathF.Sqrt(2f) * MathF.Sqrt(3f / (32 * 9));
        Assert.All(w.ToArray(), v => Assert.InRange(v, -bound, bound));
        Assert.InRange(w.ToArray().Max(), bound * 0.95f, bound);
        var n = Init.KaimingNormal(Tensor.Zeros(256, 128), mode: FanMode.FanOut, nonlinearity: "relu", generator: g);
        Assert.InRange(n.Std().Item(), MathF.Sqrt(2f / 256) * 0.97f, MathF.Sqrt(2f / 256) * 1.03f);
        var x = Init.XavierUniform(Tensor.Zeros(100, 50), generator: g);
        float xb = MathF.Sqrt(6f / 150);
        Assert.All(x.ToArray(), v => Assert.InRange(v, -xb, xb));
        var xn = Init.XavierNormal(Tensor.Zeros(200, 100), gain: 2f, generator: g);
        Assert.InRange(xn.Std().Item(), 2f * MathF.Sqrt(2f / 300) * 0.97f, 2f * MathF.Sqrt(2f / 300) * 1.03f);
        Assert.Throws<ArgumentException>(() => Init.Fans(Tensor.Zeros(3)));
        Assert.Throws<ArgumentException>(() => Init.CalculateGain("swish"));
    }

    [Fact]
    public void Layers_SameSeed_SameWeights()
    {
        var a = new Linear(4, 3, generator: new Generator(5));
        var b = new Linear(4, 3, generator: new Generator(5));
        Assert.Equal(a.Weight.ToArray(), b.Weight.ToArray());
        Assert.All(a.Weight.ToArray(), v => Assert.InRange(v, -0.5f, 0.5f));
    }

    public static TheoryData<string> BadLayerInputs => new() { "linear", "conv2d", "conv1d", "bn2d", "lstm", "maxpool", "layernorm", "ce_target", "ce_count", "mse" };

    [Theory]
    [MemberData(nameof(BadLayerInputs))]
    public void Layer_BadInput_ThrowsArgumentExceptionNamingTheProblem(string what)
    {
        Action act = what switch
        {
            "linear" => () => new Linear(4, 2).Forward(Tensor.Ones(3, 5)),
            "conv2d" => () => new Conv2d(3, 2, 3).Forward(Tensor.Ones(1, 2, 5, 5)),
            "conv1d" => () => new Conv1d(3, 2, 3).Forward(Tensor.Ones(1, 3, 5, 5)),
            "bn2d" => () => new BatchNorm2d(3).Forward(Tensor.Ones(2, 4, 2, 2)),
            "lstm" => () => new LSTM(3, 2).Forward(Tensor.Ones(2, 2, 4)),
            "maxpool" => () => new MaxPool2d(2).Forward(Tensor.Ones(2, 2)),
            "layernorm" => () => new LayerNorm(4).Forward(Tensor.Ones(2, 3)),
            "ce_target" => () => Functional.CrossEntropy(Tensor.Ones(2, 3), Tensor.FromArray([0f, 3f])),
            "ce_count" => () => Functional.CrossEntropy(Tensor.Ones(2, 3), Tensor.FromArray([0f])),
            _ => () => Functional.MseLoss(Tensor.Ones(2, 3), Tensor.Ones(3, 2)),
        };
        var e = Assert.ThrowsAny<ArgumentException>(act);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Dropout_TrainScalesKeptValues_EvalIsIdentity_SeedReproduces()
    {
        var x = Tensor.Ones(1000);
        var d = new Dropout(0.3f, 42);
        var y = d.Forward(x).ToArray();
        Assert.All(y, v => Assert.True(v == 0f || Math.Abs(v - (1f / 0.7f)) < 1e-6));
        Assert.InRange(y.Count(v => v == 0f), 240, 360);
        Assert.Equal(y, new Dropout(0.3f, 42).Forward(x).ToArray());
        d.Eval();
        Assert.Same(x, d.Forward(x));
        Assert.Throws<ArgumentException>(() => new Dropout(1.5f));
    }

    [Fact]
    public void StochasticDepth_DropsWholeSamples_InTrainingOnly()
    {
        var x = Tensor.Ones(64, 2, 3);
        var sd = new StochasticDepth(0.5f, new Generator(1));
        var y = sd.Forward(x);
        var perSample = y.Reshape(64, 6).ToArray().Chunk(6).ToArray();
        Assert.All(perSample, row => Assert.True(row.All(v => v == 0f) || row.All(v => v == 2f)));
        Assert.InRange(perSample.Count(r => r[0] == 0f), 16, 48);
        sd.Eval();
        Assert.Same(x, sd.Forward(x));
        Assert.Throws<ArgumentException>(() => new StochasticDepth(-0.1f));
    }

    private sealed class ReflectedNet : Module
    {
        private readonly Conv2d _conv1 = new(1, 2, 3);
        private readonly BatchNorm2d _bn1 = new(2);
        private readonly Tensor _scale = Tensor.Ones(1);

        [StateName("running_offset", Buffer = true)]
        private readonly Tensor _offset = Tensor.Zeros(1);

        public ReflectedNet()
        {
            Head = new Linear(8, 3);
            RegisterFields();
        }

        [StateName("fc")]
        public Linear Head { get; }

        public override Tensor Forward(Tensor input) =>
            Head.Forward(Functional.MaxPool2d(_bn1.Forward(_conv1.Forward(input)).Relu(), (2, 2)).Flatten(1)).Mul(_scale).Add(_offset);
    }

    [Fact]
    public void RegisterFields_UsesFieldNamesAttributesAndDeclarationOrder()
    {
        var net = new ReflectedNet();
        Assert.Equal(
            ["scale", "running_offset", "conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked", "fc.weight", "fc.bias"],
            net.StateDict().Keys);
        Assert.DoesNotContain(net.Parameters(), p => ReferenceEquals(p, net.StateDict()["running_offset"]));
        net.Forward(GradCheck.Rand(1, 2, 1, 6, 6)).Sum().Backward();
        Assert.All(net.Parameters(), p => Assert.NotNull(p.Grad));
    }
}
