using System.Buffers;

namespace Affetto.Nn.Kernels;

/// <summary>
/// 1x1 convolutions (stride 1, no padding, one group) as one GEMM over the whole batch: the images' planes are laid
/// side by side as the columns of a [channels, batch · H·W] matrix. Per image the GEMM would have only H·W columns,
/// 12 to 44 in EfficientNetV2's late stages: it packed the whole weight matrix once per image, which cost more than
/// the multiplication, and filled a fraction of each 48-column register tile. Laying the batch out costs one copy
/// of the activations, against a GEMM that does <c>channels</c> multiply-adds per element.
/// </summary>
internal static unsafe class ConvPointwise
{
    // Above this many positions per image the per-image paths (direct or im2col GEMM) already have wide GEMMs.
    private const int MaxPositions = 256;

    internal static bool Applies(in Conv2dGeometry g) =>
        g.KH == 1 && g.KW == 1 && g.StrideH == 1 && g.StrideW == 1 && g.PadH == 0 && g.PadW == 0 && g.Groups == 1
        && g.InH * g.InW <= MaxPositions;

    /// <summary>y = w · x + bias; y [B, Cout, H, W] is overwritten.</summary>
    internal static void Forward(float* x, float* w, float* bias, float* y, in Conv2dGeometry g)
    {
        int cout = g.OutChannels, hw = g.InH * g.InW;
        MultiplyImages(x, g.InChannels, w, transposeW: false, cout, y, g.Batch, hw);
        if (bias is null)
            return;
        for (int n = 0; n < g.Batch; n++)
        {
            for (int c = 0; c < cout; c++)
            {
                var plane = new Span<float>(y + ((long)n * cout + c) * hw, hw);
                System.Numerics.Tensors.TensorPrimitives.Add(plane, bias[c], plane);
            }
        }
    }

    /// <summary>gradX = wᵀ · gradY; gradX [B, Cin, H, W] is overwritten.</summary>
    internal static void BackwardInput(float* gradY, float* w, float* gradX, in Conv2dGeometry g) =>
        MultiplyImages(gradY, g.OutChannels, w, transposeW: true, g.InChannels, gradX, g.Batch, g.InH * g.InW);

    // output [B, rows, hw] = op(w) · input [B, depth, hw], where op(w) is w stored [rows, depth] or, transposed, the
    // transpose of w stored [depth, rows]. output is overwritten.
    private static void MultiplyImages(float* input, int depth, float* w, bool transposeW, int rows, float* output, int batch, int hw)
    {
        int cols = batch * hw;
        float[] a = ArrayPool<float>.Shared.Rent(depth * cols), c = ArrayPool<float>.Shared.Rent(rows * cols);
        try
        {
            fixed (float* pa = a, pc = c)
            {
                SideBySide(input, batch, depth, hw, pa);
                Gemm.Sgemm(transposeW, false, rows, cols, depth, 1f, new ReadOnlySpan<float>(w, rows * depth), transposeW ? rows : depth,
                    new ReadOnlySpan<float>(pa, depth * cols), cols, 0f, new Span<float>(pc, rows * cols), cols);
                BackToImages(pc, batch, rows, hw, output);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(a);
            ArrayPool<float>.Shared.Return(c);
        }
    }

    /// <summary>gradW = gradY · xᵀ summed over the batch; gradW [Cout, Cin] is overwritten.</summary>
    internal static void BackwardWeight(float* x, float* gradY, float* gradW, in Conv2dGeometry g)
    {
        int cin = g.InChannels, cout = g.OutChannels, hw = g.InH * g.InW, cols = g.Batch * hw;
        float[] xs = ArrayPool<float>.Shared.Rent(cin * cols), gys = ArrayPool<float>.Shared.Rent(cout * cols);
        try
        {
            fixed (float* pxs = xs, pgys = gys)
            {
                SideBySide(x, g.Batch, cin, hw, pxs);
                SideBySide(gradY, g.Batch, cout, hw, pgys);
                Gemm.Sgemm(false, true, cout, cin, cols, 1f, new ReadOnlySpan<float>(pgys, cout * cols), cols,
                    new ReadOnlySpan<float>(pxs, cin * cols), cols, 0f, new Span<float>(gradW, cout * cin), cin);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(xs);
            ArrayPool<float>.Shared.Return(gys);
        }
    }

    // [B, C, hw] -> [C, B·hw]: row c holds image 0's plane c, then image 1's, ...
    private static void SideBySide(float* images, int batch, int channels, int hw, float* matrix)
    {
        long cols = (long)batch * hw, bytes = hw * 4L;
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                Buffer.MemoryCopy(images + ((long)n * channels + c) * hw, matrix + c * cols + (long)n * hw, bytes, bytes);
            }
        }
    }

    // [C, B·hw] -> [B, C, hw], the inverse of SideBySide.
    private static void BackToImages(float* matrix, int batch, int channels, int hw, float* images)
    {
        long cols = (long)batch * hw, bytes = hw * 4L;
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                Buffer.MemoryCopy(matrix + c * cols + (long)n * hw, images + ((long)n * channels + c) * hw, bytes, bytes);
            }
        }
    }
}
