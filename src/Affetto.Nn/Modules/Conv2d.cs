using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>2-D convolution over [N, C, H, W] (PyTorch's Conv2d, default init U(±1/√fan_in)); groups = in = out gives depthwise.</summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer with square kernel/stride/padding/dilation.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1,
        bool bias = true, Generator? generator = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), groups, bias, generator)
    {
    }

    /// <summary>Creates the layer with (height, width) pairs.</summary>
    public Conv2d(int inChannels, int outChannels, (int H, int W) kernelSize, (int H, int W) stride, (int H, int W) padding,
        (int H, int W) dilation, int groups = 1, bool bias = true, Generator? generator = null)
    {
        if (inChannels <= 0 || outChannels <= 0 || groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"Conv2d: channels ({inChannels} -> {outChannels}) must be positive and divisible by groups = {groups}.", nameof(groups));
        }

        if (kernelSize.H <= 0 || kernelSize.W <= 0)
        {
            throw new ArgumentException($"Conv2d: kernel size ({kernelSize.H}, {kernelSize.W}) must be positive.", nameof(kernelSize));
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        var w = Tensor.Zeros(outChannels, inChannels / groups, kernelSize.H, kernelSize.W);
        Weight = RegisterParameter("weight", Init.KaimingUniform(w, MathF.Sqrt(5f), generator: generator));
        if (bias)
        {
            float b = 1f / MathF.Sqrt(Init.Fans(w).FanIn);
            Bias = RegisterParameter("bias", Init.Uniform(Tensor.Zeros(outChannels), -b, b, generator));
        }
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel (height, width).</summary>
    public (int H, int W) KernelSize { get; }

    /// <summary>Stride (height, width).</summary>
    public (int H, int W) Stride { get; }

    /// <summary>Zero padding (height, width).</summary>
    public (int H, int W) Padding { get; }

    /// <summary>Dilation (height, width).</summary>
    public (int H, int W) Dilation { get; }

    /// <summary>Channel groups.</summary>
    public int Groups { get; }

    /// <summary>Weight [out, in/groups, kH, kW].</summary>
    public Tensor Weight { get; }

    /// <summary>Bias [out] or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
}
