using System.Numerics.Tensors;

namespace Affetto.Nn.Kernels;

/// <summary>
/// Batch-normalisation building blocks on [batch, channels, spatial] float32 data (NCHW with spatial = H*W),
/// vectorised and split over the kernel threads. Callers own the running statistics and the autograd wiring;
/// these kernels do the passes over the large tensors.
/// </summary>
public static class BatchNormKernels
{
    /// <summary>Per-channel mean and biased variance (two-pass: mean, then mean squared deviation).</summary>
    /// <exception cref="ArgumentException">A span length does not match batch * channels * spatial or channels.</exception>
    public static void Statistics(ReadOnlySpan<float> x, int batch, int channels, int spatial, Span<float> mean,
        Span<float> variance)
    {
        Check(x.Length, batch, channels, spatial, "x");
        CheckChannels(mean.Length, channels, "mean");
        CheckChannels(variance.Length, channels, "variance");
        NormImpl.Statistics(x, batch, channels, spatial, mean, variance);
    }

    /// <summary>
    /// y[n, c, i] = x[n, c, i] * scale[c] + shift[c], then max(y, 0) when <paramref name="relu"/> (fused
    /// BatchNorm + ReLU, or a folded inference BatchNorm: scale = weight / sqrt(var + eps), shift = bias - mean * scale).
    /// <paramref name="y"/> may be the same memory as <paramref name="x"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A span length does not match.</exception>
    public static void ScaleShift(ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift,
        Span<float> y, int batch, int channels, int spatial, bool relu = false)
    {
        Check(x.Length, batch, channels, spatial, "x");
        Check(y.Length, batch, channels, spatial, "y");
        CheckChannels(scale.Length, channels, "scale");
        CheckChannels(shift.Length, channels, "shift");
        NormImpl.ScaleShift(x, scale, shift, y, batch, channels, spatial, relu);
    }

    /// <summary>
    /// Backward reductions: sumGrad[c] = sum of gradOutput over (n, i), sumGradXhat[c] = sum of
    /// gradOutput * (x - mean[c]) * invStd[c] (these are also d(loss)/d(bias) and d(loss)/d(weight)).
    /// </summary>
    /// <exception cref="ArgumentException">A span length does not match.</exception>
    public static void BackwardSums(ReadOnlySpan<float> x, ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> invStd, Span<float> sumGrad, Span<float> sumGradXhat, int batch, int channels, int spatial)
    {
        Check(x.Length, batch, channels, spatial, "x");
        Check(gradOutput.Length, batch, channels, spatial, "gradOutput");
        CheckChannels(mean.Length, channels, "mean");
        CheckChannels(invStd.Length, channels, "invStd");
        CheckChannels(sumGrad.Length, channels, "sumGrad");
        CheckChannels(sumGradXhat.Length, channels, "sumGradXhat");
        NormImpl.BackwardSums(x, gradOutput, mean, invStd, sumGrad, sumGradXhat, batch, channels, spatial);
    }

    /// <summary>
    /// Training-mode input gradient: gradInput = w[c] * invStd[c] / M * (M * g - sumGrad[c] - xhat * sumGradXhat[c])
    /// with M = batch * spatial and xhat = (x - mean[c]) * invStd[c]. An empty <paramref name="weight"/> means 1.
    /// </summary>
    /// <exception cref="ArgumentException">A span length does not match.</exception>
    public static void BackwardInput(ReadOnlySpan<float> x, ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> invStd, ReadOnlySpan<float> weight, ReadOnlySpan<float> sumGrad, ReadOnlySpan<float> sumGradXhat,
        Span<float> gradInput, int batch, int channels, int spatial)
    {
        Check(x.Length, batch, channels, spatial, "x");
        Check(gradOutput.Length, batch, channels, spatial, "gradOutput");
        Check(gradInput.Length, batch, channels, spatial, "gradInput");
        CheckChannels(mean.Length, channels, "mean");
        CheckChannels(invStd.Length, channels, "invStd");
        if (!weight.IsEmpty) CheckChannels(weight.Length, channels, "weight");
        CheckChannels(sumGrad.Length, channels, "sumGrad");
        CheckChannels(sumGradXhat.Length, channels, "sumGradXhat");
        NormImpl.BackwardInput(x, gradOutput, mean, invStd, weight, sumGrad, sumGradXhat, gradInput, batch, channels, spatial);
    }

    internal static void Check(int length, int batch, int channels, int spatial, string name)
    {
        if (batch < 0 || channels < 0 || spatial < 0)
        {
            throw new ArgumentException($"Negative size: batch {batch}, channels {channels}, spatial {spatial}.", name);
        }

        if ((long)batch * channels * spatial != length)
        {
            throw new ArgumentException(
                $"{name} has {length} elements but batch {batch} x channels {channels} x spatial {spatial} needs {(long)batch * channels * spatial}.", name);
        }
    }

    private static void CheckChannels(int length, int channels, string name)
    {
        if (length != channels)
        {
            throw new ArgumentException($"{name} has {length} elements for {channels} channels.", name);
        }
    }
}
