using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>
/// torchvision's Conv2dNormActivation: a Sequential of Conv2d (no bias, padding (k-1)/2·dilation), BatchNorm2d and an
/// optional activation, so keys are <c>0.weight</c>, <c>1.weight</c>, <c>1.running_mean</c>, ...
/// </summary>
public static class Conv2dNormActivation
{
    /// <summary>Builds the block; <paramref name="activation"/> null means none (a projection).</summary>
    public static Sequential Create(int inChannels, int outChannels, int kernelSize = 3, int stride = 1, int groups = 1,
        Func<Module>? activation = null, float bnEps = 1e-5f, float bnMomentum = 0.1f, int dilation = 1, Generator? generator = null)
    {
        int padding = (kernelSize - 1) / 2 * dilation;
        var seq = new Sequential(
            new Conv2d(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias: false, generator: generator),
            new BatchNorm2d(outChannels, bnEps, bnMomentum));
        if (activation != null)
        {
            seq.Add(activation());
        }

        return seq;
    }
}
