using Affetto.Nn.Modules;
using Affetto.Nn.Optim;
using Affetto.Nn.Tensors;
using Xunit;

namespace Affetto.Nn.Tests;

public sealed class OptimizerStateTests
{
    public static TheoryData<string> Kinds => new() { "sgd", "sgd-nesterov", "adam", "adam-amsgrad", "adamw" };

    private static Optimizer Create(string kind, Module m) => kind switch
    {
        "sgd" => new SGD(m.Parameters(), 0.05f, momentum: 0.9f),
        "sgd-nesterov" => new SGD(m.Parameters(), 0.05f, momentum: 0.9f, nesterov: true),
        "adam" => new Adam(m.Parameters(), 0.01f),
        "adam-amsgrad" => new Adam(m.Parameters(), 0.01f, amsgrad: true),
        _ => new AdamW(m.Parameters(), 0.01f, weightDecay: 0.1f),
    };

    private static void Step(Module m, Optimizer opt, int seed)
    {
        var x = Tensor.Randn([4, 3], new Generator(seed));
        opt.ZeroGrad();
        m.Forward(x).Pow(2).Mean().Backward();
        opt.Step();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Restoring_the_state_continues_exactly_like_the_original(string kind)
    {
        var a = new Linear(3, 2, generator: new Generator(1));
        var optA = Create(kind, a);
        for (int i = 0; i < 3; i++) Step(a, optA, i);

        var b = new Linear(3, 2, generator: new Generator(9));
        b.LoadStateDict(a.StateDict());
        var optB = Create(kind, b);
        optB.LoadStateDict(optA.StateDict());

        for (int i = 3; i < 6; i++)
        {
            Step(a, optA, i);
            Step(b, optB, i);
        }
        Assert.Equal(a.Weight.ToArray(), b.Weight.ToArray());
        Assert.Equal(a.Bias!.ToArray(), b.Bias!.ToArray());
    }

    [Fact]
    public void Unknown_keys_and_wrong_sizes_are_rejected()
    {
        var m = new Linear(3, 2, generator: new Generator(1));
        var opt = new Adam(m.Parameters());
        Assert.Throws<ArgumentException>(() => opt.LoadStateDict(new Dictionary<string, Tensor> { ["state.9.exp_avg"] = Tensor.Zeros(6) }));
        Assert.Throws<ArgumentException>(() => opt.LoadStateDict(new Dictionary<string, Tensor> { ["state.0.exp_avg"] = Tensor.Zeros(5) }));
        Assert.Throws<ArgumentException>(() => opt.LoadStateDict(new Dictionary<string, Tensor> { ["state.0.momentum_buffer"] = Tensor.Zeros(6) }));
    }
}
