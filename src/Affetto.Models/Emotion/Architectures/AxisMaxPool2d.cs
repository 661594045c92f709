using Affetto.Nn.Modules;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Emotion.Architectures;

/// <summary>
/// Max pooling with its own kernel (= stride) per axis, so a network can halve one axis and keep another that is
/// already 1 wide; identity when both kernels are 1. No parameters.
/// </summary>
internal sealed class AxisMaxPool2d : Module
{
    public AxisMaxPool2d(int kernelH, int kernelW)
    {
        KernelH = kernelH;
        KernelW = kernelW;
    }

    public int KernelH { get; }

    public int KernelW { get; }

    public override Tensor Forward(Tensor input) =>
        KernelH == 1 && KernelW == 1 ? input : Functional.MaxPool2d(input, (KernelH, KernelW), (KernelH, KernelW));
}
