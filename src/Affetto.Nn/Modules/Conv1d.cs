using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>1-D convolution over [N, C, L] (PyTorch's Conv1d and its default init).</summary>
public sealed class Conv1d : Module
{
    /// <summary>Creates the layer.</summary>
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1,
        bool bias = true, Generator? generator = null)
    {
        if (inChannels <= 0 || outChannels <= 0 || groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"Conv1d: channels ({inChannels} -> {outChannels}) must be positive and divisible by groups = {groups}.", nameof(groups));
        }

        if (kernelSize <= 0)
        {
            throw new ArgumentException($"Conv1d: kernel size {kernelSize} must be positive.", nameof(kernelSize));
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        var w = Tensor.Zeros(outChannels, inChannels / groups, kernelSize);
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

    /// <summary>Kernel length.</summary>
    public int KernelSize { get; }

    /// <summary>Stride.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on both sides.</summary>
    public int Padding { get; }

    /// <summary>Dilation.</summary>
    public int Dilation { get; }

    /// <summary>Channel groups.</summary>
    public int Groups { get; }

    /// <summary>Weight [out, in/groups, k].</summary>
    public Tensor Weight { get; }

    /// <summary>Bias [out] or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Conv1d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
}
