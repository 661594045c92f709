namespace Affetto.Nn.Kernels;

/// <summary>
/// Max and average pooling on NCHW float32 tensors with PyTorch semantics. Max-pooling indices are, per
/// (n, c) plane, the flat position <c>h * InW + w</c> of the winning input element (PyTorch's convention);
/// NaN wins over numbers (the last NaN in scan order) and the first maximum wins ties.
/// </summary>
public static class Pool2dKernels
{
    /// <summary>Max pooling forward. <paramref name="indices"/> may be empty when no backward pass follows.</summary>
    /// <exception cref="ArgumentException">A span length does not match the geometry.</exception>
    public static void MaxForward(ReadOnlySpan<float> input, Span<float> output, Span<int> indices, in Pool2dGeometry g)
    {
        Check(input.Length, g.InputLength, "input", g);
        Check(output.Length, g.OutputLength, "output", g);
        if (!indices.IsEmpty)
        {
            Check(indices.Length, g.OutputLength, "indices", g);
        }

        PoolImpl.MaxForward(input, output, indices, g);
    }

    /// <summary>
    /// Max pooling backward: gradInput is overwritten with the output gradients scattered (and summed) to the
    /// positions recorded by <see cref="MaxForward"/> (the indices must come from MaxForward with this geometry).
    /// </summary>
    /// <exception cref="ArgumentException">A span length does not match the geometry or an index is outside the
    /// input plane (or, for the non-overlapping 2 x 2 / stride 2 window, outside its own window).</exception>
    public static void MaxBackward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<int> indices, Span<float> gradInput,
        in Pool2dGeometry g)
    {
        Check(gradOutput.Length, g.OutputLength, "gradOutput", g);
        Check(indices.Length, g.OutputLength, "indices", g);
        Check(gradInput.Length, g.InputLength, "gradInput", g);
        PoolImpl.MaxBackward(gradOutput, indices, gradInput, g);
    }

    /// <summary>
    /// Average pooling forward. With <paramref name="countIncludePad"/> (PyTorch's default) the divisor counts
    /// padded positions inside the padded input; otherwise only real input elements.
    /// </summary>
    /// <exception cref="ArgumentException">A span length does not match, or the geometry has dilation.</exception>
    public static void AvgForward(ReadOnlySpan<float> input, Span<float> output, in Pool2dGeometry g,
        bool countIncludePad = true)
    {
        Check(input.Length, g.InputLength, "input", g);
        Check(output.Length, g.OutputLength, "output", g);
        NoDilation(g);
        PoolImpl.AvgForward(input, output, g, countIncludePad);
    }

    /// <summary>Average pooling backward; gradInput is overwritten.</summary>
    /// <exception cref="ArgumentException">A span length does not match, or the geometry has dilation.</exception>
    public static void AvgBackward(ReadOnlySpan<float> gradOutput, Span<float> gradInput, in Pool2dGeometry g,
        bool countIncludePad = true)
    {
        Check(gradOutput.Length, g.OutputLength, "gradOutput", g);
        Check(gradInput.Length, g.InputLength, "gradInput", g);
        NoDilation(g);
        PoolImpl.AvgBackward(gradOutput, gradInput, g, countIncludePad);
    }

    private static void NoDilation(in Pool2dGeometry g)
    {
        if (g.DilationH != 1 || g.DilationW != 1)
        {
            throw new ArgumentException($"Average pooling does not support dilation ({g}).", nameof(g));
        }
    }

    private static void Check(int actual, int expected, string name, in Pool2dGeometry g)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} elements but {g} needs {expected}.", name);
        }
    }
}
