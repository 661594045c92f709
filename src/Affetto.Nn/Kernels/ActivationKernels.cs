using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Affetto.Nn.Kernels;

/// <summary>Element-wise activations split over the kernel threads (NaN propagates like PyTorch).</summary>
public static class ActivationKernels
{
    /// <summary>y = max(x, 0); <paramref name="y"/> may alias <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static unsafe void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        SameLength(x.Length, y.Length, nameof(x), nameof(y));

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
        SameLength(output.Length, gradOutput.Length, nameof(output), nameof(gradOutput));
        SameLength(output.Length, gradInput.Length, nameof(output), nameof(gradInput));

        fixed (float* po = output, pg = gradOutput, pr = gradInput)
        {
            nint ao = (nint)po, ag = (nint)pg, ar = (nint)pr;
            NormImpl.Chunked(output.Length, (start, count) => NormImpl.ReluMask((float*)ao + start, (float*)ag + start, (float*)ar + start, count));
        }
    }
    /// <summary>y = x · sigmoid(x) (SiLU, swish) in one pass; <paramref name="y"/> may alias <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static unsafe void Silu(ReadOnlySpan<float> x, Span<float> y)
    {
        SameLength(x.Length, y.Length, nameof(x), nameof(y));

        fixed (float* px = x, py = y)
        {
            nint ax = (nint)px, ay = (nint)py;
            NormImpl.Chunked(x.Length, (start, count) => SiluRange((float*)ax + start, null, (float*)ay + start, count));
        }
    }

    /// <summary>
    /// gradInput = gradOutput · s · (1 + x · (1 - s)) with s = sigmoid(x), the SiLU derivative, in one pass (the
    /// tensor op had six passes and a temporary the size of the activation). <paramref name="gradInput"/> may alias
    /// <paramref name="gradOutput"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static unsafe void SiluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> gradOutput, Span<float> gradInput)
    {
        SameLength(x.Length, gradOutput.Length, nameof(x), nameof(gradOutput));
        SameLength(x.Length, gradInput.Length, nameof(x), nameof(gradInput));

        fixed (float* px = x, pg = gradOutput, pr = gradInput)
        {
            nint ax = (nint)px, ag = (nint)pg, ar = (nint)pr;
            NormImpl.Chunked(x.Length, (start, count) => SiluRange((float*)ax + start, (float*)ag + start, (float*)ar + start, count));
        }
    }

    private static void SameLength(int expected, int actual, string reference, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} elements but {reference} has {expected}.", name);
        }
    }

    /// <summary>SiLU of x (g null) or its gradient g · SiLU'(x) into d, over count elements.</summary>
    private static unsafe void SiluRange(float* x, float* g, float* d, int count)
    {
        int i = 0;
        int bits = SimdLevel.Current;
        if (bits == 512)
        {
            for (; i + 16 <= count; i += 16)
            {
                var v = Vector512.Load(x + i);
                var s = Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-v));
                (g == null ? v * s : Vector512.Load(g + i) * s * (Vector512<float>.One + v * (Vector512<float>.One - s))).Store(d + i);
            }
        }
        else if (bits == 256)
        {
            for (; i + 8 <= count; i += 8)
            {
                var v = Vector256.Load(x + i);
                var s = Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-v));
                (g == null ? v * s : Vector256.Load(g + i) * s * (Vector256<float>.One + v * (Vector256<float>.One - s))).Store(d + i);
            }
        }
        else if (bits == 128)
        {
            for (; i + 4 <= count; i += 4)
            {
                var v = Vector128.Load(x + i);
                var s = Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-v));
                (g == null ? v * s : Vector128.Load(g + i) * s * (Vector128<float>.One + v * (Vector128<float>.One - s))).Store(d + i);
            }
        }

        for (; i < count; i++)
        {
            float v = x[i], s = 1f / (1f + MathF.Exp(-v));
            d[i] = g == null ? v * s : g[i] * s * (1f + v * (1f - s));
        }
    }
}
