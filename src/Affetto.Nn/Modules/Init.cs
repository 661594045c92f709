using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>Which fan Kaiming initialisation preserves.</summary>
public enum FanMode
{
    /// <summary>Preserves the variance of activations in the forward pass.</summary>
    FanIn,

    /// <summary>Preserves the variance of gradients in the backward pass.</summary>
    FanOut,
}

/// <summary>In-place weight initialisers with PyTorch's formulas (<c>torch.nn.init</c>); every one takes a generator.</summary>
public static class Init
{
    /// <summary>(fan_in, fan_out) of a weight: dims 1 and 0 times the receptive field (dims 2..).</summary>
    public static (int FanIn, int FanOut) Fans(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
        {
            throw new ArgumentException($"Fan in and fan out need a tensor of at least 2 dimensions; got [{string.Join(", ", tensor.Shape)}].", nameof(tensor));
        }

        int receptive = 1;
        for (int i = 2; i < tensor.Rank; i++)
        {
            receptive *= tensor.Size(i);
        }

        return (tensor.Size(1) * receptive, tensor.Size(0) * receptive);
    }

    /// <summary>Recommended gain: 1 for linear/sigmoid, 5/3 tanh, √2 relu, √(2/(1+a²)) leaky_relu, 3/4 selu.</summary>
    public static float CalculateGain(string nonlinearity, float param = 0.01f) => nonlinearity switch
    {
        "linear" or "conv1d" or "conv2d" or "sigmoid" or "identity" => 1f,
        "tanh" => 5f / 3f,
        "relu" => MathF.Sqrt(2f),
        "leaky_relu" => MathF.Sqrt(2f / (1f + (param * param))),
        "selu" => 0.75f,
        _ => throw new ArgumentException($"Unknown nonlinearity '{nonlinearity}'.", nameof(nonlinearity)),
    };

    /// <summary>U(-b, b) with b = gain·√(3/fan); PyTorch's default a = 0 and leaky_relu.</summary>
    public static Tensor KaimingUniform(Tensor tensor, float a = 0f, FanMode mode = FanMode.FanIn, string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        float std = KaimingStd(tensor, a, mode, nonlinearity);
        return Uniform(tensor, -MathF.Sqrt(3f) * std, MathF.Sqrt(3f) * std, generator);
    }

    /// <summary>N(0, std²) with std = gain/√fan.</summary>
    public static Tensor KaimingNormal(Tensor tensor, float a = 0f, FanMode mode = FanMode.FanIn, string nonlinearity = "leaky_relu", Generator? generator = null) =>
        Normal(tensor, 0f, KaimingStd(tensor, a, mode, nonlinearity), generator);

    private static float KaimingStd(Tensor tensor, float a, FanMode mode, string nonlinearity)
    {
        var (fi, fo) = Fans(tensor);
        int fan = mode == FanMode.FanIn ? fi : fo;
        return CalculateGain(nonlinearity, a) / MathF.Sqrt(fan);
    }

    /// <summary>U(-b, b) with b = gain·√(6/(fan_in + fan_out)).</summary>
    public static Tensor XavierUniform(Tensor tensor, float gain = 1f, Generator? generator = null)
    {
        var (fi, fo) = Fans(tensor);
        float b = gain * MathF.Sqrt(6f / (fi + fo));
        return Uniform(tensor, -b, b, generator);
    }

    /// <summary>N(0, std²) with std = gain·√(2/(fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor tensor, float gain = 1f, Generator? generator = null)
    {
        var (fi, fo) = Fans(tensor);
        return Normal(tensor, 0f, gain * MathF.Sqrt(2f / (fi + fo)), generator);
    }

    /// <summary>Fills with U(low, high).</summary>
    public static Tensor Uniform(Tensor tensor, float low, float high, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        (generator ?? Generator.Default).FillUniform(tensor.AsSpan(), low, high);
        return tensor;
    }

    /// <summary>Fills with N(mean, std²).</summary>
    public static Tensor Normal(Tensor tensor, float mean, float std, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        (generator ?? Generator.Default).FillNormal(tensor.AsSpan(), mean, std);
        return tensor;
    }

    /// <summary>Fills with a constant.</summary>
    public static Tensor Constant(Tensor tensor, float value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.Fill(value);
        return tensor;
    }

    /// <summary>Fills with zeros.</summary>
    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0f);

    /// <summary>Fills with ones.</summary>
    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1f);
}
