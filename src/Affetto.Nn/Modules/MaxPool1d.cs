using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>1-D max pooling on [N, C, L].</summary>
public sealed class MaxPool1d : Module
{
    /// <summary>Creates the layer.</summary>
    public MaxPool1d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
        Dilation = dilation;
        CeilMode = ceilMode;
    }

    /// <summary>Window size.</summary>
    public int KernelSize { get; }

    /// <summary>Window step.</summary>
    public int Stride { get; }

    /// <summary>Implicit -inf padding.</summary>
    public int Padding { get; }

    /// <summary>Window dilation.</summary>
    public int Dilation { get; }

    /// <summary>Whether the output size rounds up.</summary>
    public bool CeilMode { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.MaxPool1d(input, KernelSize, Stride, Padding, Dilation, CeilMode);
}
