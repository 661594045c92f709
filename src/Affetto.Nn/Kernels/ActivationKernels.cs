using System.Numerics.Tensors;

namespace Affetto.Nn.Kernels;

/// <summary>Element-wise activations split over the kernel threads (NaN propagates like PyTorch).</summary>
public static class ActivationKernels
{
    /// <summary>y = max(x, 0); <paramref name="y"/> may alias <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static unsafe void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"y has {y.Length} elements but x has {x.Length}.", nameof(y));
        }

        fixed (float* px = x, py = y)
        {
            nint ax = (nint)px, ay = (nint)py;
            NormImpl.Chunked(x.Length, (start, count) =>
                TensorPrimitives.Max(new ReadOnlySpan<float>((float*)ax + start, count), 0f, new Span<float>((float*)ay + start, count)));
        }
    }

    /// <summary>
    /// gradInput = gradOutput where output &gt; 0, else 0 (output is the ReLU result, or equivalently its input).
    /// <paramref name="gradInput"/> may alias <paramref name="gradOutput"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static unsafe void ReluBackward(ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, Span<float> gradInput)
    {
        if (output.Length != gradOutput.Length)
        {
            throw new ArgumentException($"gradOutput has {gradOutput.Length} elements but output has {output.Length}.", nameof(gradOutput));
        }

        if (gradInput.Length != output.Length)
        {
            throw new ArgumentException($"gradInput has {gradInput.Length} elements but output has {output.Length}.", nameof(gradInput));
        }

        fixed (float* po = output, pg = gradOutput, pr = gradInput)
        {
            nint ao = (nint)po, ag = (nint)pg, ar = (nint)pr;
            NormImpl.Chunked(output.Length, (start, count) => NormImpl.ReluMask((float*)ao + start, (float*)ag + start, (float*)ar + start, count));
        }
    }
}
