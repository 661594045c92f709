namespace Affetto.Nn.Kernels;

/// <summary>
/// 2-D (and, through <see cref="Conv2dGeometry.For1d"/>, 1-D) convolution on NCHW float32 tensors with
/// PyTorch's Conv2d semantics (cross-correlation, zero padding, dilation, groups). Layouts: input
/// [N, C_in, H, W], weight [C_out, C_in / groups, kH, kW], bias [C_out], output [N, C_out, outH, outW].
/// All outputs are overwritten (not accumulated). An empty bias / gradBias span means "no bias".
/// </summary>
public static class Conv2dKernels
{
    /// <summary>output = conv(input, weight) + bias.</summary>
    /// <exception cref="ArgumentException">A span length does not match the geometry.</exception>
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> output, in Conv2dGeometry g)
    {
        Check(input.Length, g.InputLength, "input", g);
        Check(weight.Length, g.WeightLength, "weight", g);
        if (!bias.IsEmpty) Check(bias.Length, g.OutChannels, "bias", g);
        Check(output.Length, g.OutputLength, "output", g);
        ConvImpl.Forward(input, weight, bias, output, g);
    }

    /// <summary>gradInput = d(loss)/d(input) given gradOutput = d(loss)/d(output).</summary>
    /// <exception cref="ArgumentException">A span length does not match the geometry.</exception>
    public static void BackwardInput(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> weight, Span<float> gradInput,
        in Conv2dGeometry g)
    {
        Check(gradOutput.Length, g.OutputLength, "gradOutput", g);
        Check(weight.Length, g.WeightLength, "weight", g);
        Check(gradInput.Length, g.InputLength, "gradInput", g);
        ConvImpl.BackwardInput(gradOutput, weight, gradInput, g);
    }

    /// <summary>
    /// gradWeight = d(loss)/d(weight) and, when <paramref name="gradBias"/> is not empty, gradBias =
    /// d(loss)/d(bias) (sum of gradOutput over batch and positions), both summed over the batch.
    /// </summary>
    /// <exception cref="ArgumentException">A span length does not match the geometry.</exception>
    public static void BackwardWeight(ReadOnlySpan<float> input, ReadOnlySpan<float> gradOutput, Span<float> gradWeight,
        Span<float> gradBias, in Conv2dGeometry g)
    {
        Check(input.Length, g.InputLength, "input", g);
        Check(gradOutput.Length, g.OutputLength, "gradOutput", g);
        Check(gradWeight.Length, g.WeightLength, "gradWeight", g);
        if (!gradBias.IsEmpty) Check(gradBias.Length, g.OutChannels, "gradBias", g);
        ConvImpl.BackwardWeight(input, gradOutput, gradWeight, gradBias, g);
    }

    private static void Check(int actual, int expected, string name, in Conv2dGeometry g)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} elements but {g} needs {expected}.", name);
        }
    }
}
