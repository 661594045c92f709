using System.Buffers;
using System.Runtime.Intrinsics;
using Affetto.Nn.Kernels;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Emotion.Inference;

/// <summary>
/// The first cnn4 block on a one-channel image in one pass: Conv2d 3x3 (padding 1, stride 1, folded bias), then
/// MaxPool2d(2) (floor mode), then ReLU. An im2col GEMM with only 9 products per output wastes most of its work and
/// writes a full-resolution map that pooling reads back; this stencil computes two conv rows at a time in registers,
/// keeps their vertical maximum in a small row buffer, and writes only the pooled values.
/// </summary>
internal static unsafe class SingleChannelConvPool
{
    /// <summary>
    /// [N, 1, H, W] images → [N, C, H/2, W/2] = ReLU(MaxPool2d(Conv2d(images, weight [C, 1, 3, 3], bias [C], padding 1))),
    /// in a tensor from the engine's pool (see <see cref="Tensor.Recycle"/>).
    /// </summary>
    public static Tensor Forward(ReadOnlySpan<float> images, int count, int height, int width, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias)
    {
        int channels = bias.Length;
        if (weight.Length != channels * 9) throw new ArgumentException($"expected {channels * 9} weights, got {weight.Length}", nameof(weight));
        if (images.Length != count * height * width) throw new ArgumentException("images do not match their shape", nameof(images));
        int ph = height + 2, pw = width + 2, oh = height / 2, ow = width / 2;
        // Zero-padded copies (the 1-pixel border of padding 1) so the stencil reads without bounds checks. Pooled:
        // a fresh array per batch would be a large-object allocation each time.
        int paddedLength = count * ph * pw;
        float[] padded = ArrayPool<float>.Shared.Rent(paddedLength);
        var output = Tensor.Empty(count, channels, oh, ow);
        try
        {
            padded.AsSpan(0, paddedLength).Clear();
            for (int n = 0; n < count; n++)
                for (int r = 0; r < height; r++)
                    images.Slice((n * height + r) * width, width).CopyTo(padded.AsSpan((n * ph + r + 1) * pw + 1, width));
            float[] w = weight.ToArray(), b = bias.ToArray();
            int tasks = count * channels;
            int workers = Math.Min(Parallelism.MaxThreads, tasks);
            fixed (float* pp = padded, po = output.AsSpan(), pw9 = w)
            {
                float* src = pp, dst = po, wts = pw9;
                if (workers <= 1)
                {
                    for (int t = 0; t < tasks; t++) Plane(src, dst, wts, b, t, channels, ph, pw, oh, ow);
                }
                else
                {
                    Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = workers },
                        t => Plane(src, dst, wts, b, t, channels, ph, pw, oh, ow));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
        }
        return output;
    }

    private static void Plane(float* padded, float* output, float* weights, float[] bias, int task, int channels, int ph, int pw, int oh, int ow)
    {
        int n = task / channels, c = task % channels;
        float* image = padded + (long)n * ph * pw;
        float* w = weights + c * 9;
        float* o = output + (long)task * oh * ow;
        float bc = bias[c];
        int cols = 2 * ow;
        float* top = stackalloc float[cols];
        float* bottom = stackalloc float[cols];
        for (int i = 0; i < oh; i++)
        {
            // Conv rows 2i and 2i+1 read padded rows 2i..2i+3.
            Row(image + 2L * i * pw, pw, w, bc, top, cols);
            Row(image + (2L * i + 1) * pw, pw, w, bc, bottom, cols);
            System.Numerics.Tensors.TensorPrimitives.Max(new ReadOnlySpan<float>(top, cols), new ReadOnlySpan<float>(bottom, cols), new Span<float>(top, cols));
            PairMax.Relu(top, o + (long)i * ow, ow);
        }
    }

    /// <summary>One conv output row: bias + the 3x3 stencil over padded rows p, p+pw, p+2pw, columns [0, cols).</summary>
    private static void Row(float* p, int pw, float* w, float bias, float* dst, int cols)
    {
        float* r0 = p, r1 = p + pw, r2 = p + 2 * pw;
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var w0 = Vector512.Create(w[0]); var w1 = Vector512.Create(w[1]); var w2 = Vector512.Create(w[2]);
            var w3 = Vector512.Create(w[3]); var w4 = Vector512.Create(w[4]); var w5 = Vector512.Create(w[5]);
            var w6 = Vector512.Create(w[6]); var w7 = Vector512.Create(w[7]); var w8 = Vector512.Create(w[8]);
            var b = Vector512.Create(bias);
            for (; j <= cols - 16; j += 16)
            {
                var acc = Vector512.FusedMultiplyAdd(w0, Vector512.Load(r0 + j), b);
                acc = Vector512.FusedMultiplyAdd(w1, Vector512.Load(r0 + j + 1), acc);
                acc = Vector512.FusedMultiplyAdd(w2, Vector512.Load(r0 + j + 2), acc);
                acc = Vector512.FusedMultiplyAdd(w3, Vector512.Load(r1 + j), acc);
                acc = Vector512.FusedMultiplyAdd(w4, Vector512.Load(r1 + j + 1), acc);
                acc = Vector512.FusedMultiplyAdd(w5, Vector512.Load(r1 + j + 2), acc);
                acc = Vector512.FusedMultiplyAdd(w6, Vector512.Load(r2 + j), acc);
                acc = Vector512.FusedMultiplyAdd(w7, Vector512.Load(r2 + j + 1), acc);
                acc = Vector512.FusedMultiplyAdd(w8, Vector512.Load(r2 + j + 2), acc);
                acc.Store(dst + j);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var w0 = Vector256.Create(w[0]); var w1 = Vector256.Create(w[1]); var w2 = Vector256.Create(w[2]);
            var w3 = Vector256.Create(w[3]); var w4 = Vector256.Create(w[4]); var w5 = Vector256.Create(w[5]);
            var w6 = Vector256.Create(w[6]); var w7 = Vector256.Create(w[7]); var w8 = Vector256.Create(w[8]);
            var b = Vector256.Create(bias);
            for (; j <= cols - 8; j += 8)
            {
                var acc = Vector256.FusedMultiplyAdd(w0, Vector256.Load(r0 + j), b);
                acc = Vector256.FusedMultiplyAdd(w1, Vector256.Load(r0 + j + 1), acc);
                acc = Vector256.FusedMultiplyAdd(w2, Vector256.Load(r0 + j + 2), acc);
                acc = Vector256.FusedMultiplyAdd(w3, Vector256.Load(r1 + j), acc);
                acc = Vector256.FusedMultiplyAdd(w4, Vector256.Load(r1 + j + 1), acc);
                acc = Vector256.FusedMultiplyAdd(w5, Vector256.Load(r1 + j + 2), acc);
                acc = Vector256.FusedMultiplyAdd(w6, Vector256.Load(r2 + j), acc);
                acc = Vector256.FusedMultiplyAdd(w7, Vector256.Load(r2 + j + 1), acc);
                acc = Vector256.FusedMultiplyAdd(w8, Vector256.Load(r2 + j + 2), acc);
                acc.Store(dst + j);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var w0 = Vector128.Create(w[0]); var w1 = Vector128.Create(w[1]); var w2 = Vector128.Create(w[2]);
            var w3 = Vector128.Create(w[3]); var w4 = Vector128.Create(w[4]); var w5 = Vector128.Create(w[5]);
            var w6 = Vector128.Create(w[6]); var w7 = Vector128.Create(w[7]); var w8 = Vector128.Create(w[8]);
            var b = Vector128.Create(bias);
            for (; j <= cols - 4; j += 4)
            {
                var acc = Vector128.FusedMultiplyAdd(w0, Vector128.Load(r0 + j), b);
                acc = Vector128.FusedMultiplyAdd(w1, Vector128.Load(r0 + j + 1), acc);
                acc = Vector128.FusedMultiplyAdd(w2, Vector128.Load(r0 + j + 2), acc);
                acc = Vector128.FusedMultiplyAdd(w3, Vector128.Load(r1 + j), acc);
                acc = Vector128.FusedMultiplyAdd(w4, Vector128.Load(r1 + j + 1), acc);
                acc = Vector128.FusedMultiplyAdd(w5, Vector128.Load(r1 + j + 2), acc);
                acc = Vector128.FusedMultiplyAdd(w6, Vector128.Load(r2 + j), acc);
                acc = Vector128.FusedMultiplyAdd(w7, Vector128.Load(r2 + j + 1), acc);
                acc = Vector128.FusedMultiplyAdd(w8, Vector128.Load(r2 + j + 2), acc);
                acc.Store(dst + j);
            }
        }
        for (; j < cols; j++)
        {
            float acc = bias;
            acc = MathF.FusedMultiplyAdd(w[0], r0[j], acc);
            acc = MathF.FusedMultiplyAdd(w[1], r0[j + 1], acc);
            acc = MathF.FusedMultiplyAdd(w[2], r0[j + 2], acc);
            acc = MathF.FusedMultiplyAdd(w[3], r1[j], acc);
            acc = MathF.FusedMultiplyAdd(w[4], r1[j + 1], acc);
            acc = MathF.FusedMultiplyAdd(w[5], r1[j + 2], acc);
            acc = MathF.FusedMultiplyAdd(w[6], r2[j], acc);
            acc = MathF.FusedMultiplyAdd(w[7], r2[j + 1], acc);
            acc = MathF.FusedMultiplyAdd(w[8], r2[j + 2], acc);
            dst[j] = acc;
        }
    }
}
