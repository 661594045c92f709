using Affetto.Nn.Kernels;
using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>
/// Stateless layer operations with autograd (PyTorch's <c>torch.nn.functional</c>). Convolution and pooling run
/// through <see cref="Conv2dKernels"/> and <see cref="Pool2dKernels"/>.
/// </summary>
public static partial class Functional
{
    /// <summary>y = x · weightᵀ + bias, with x of shape [..., in], weight [out, in], bias [out].</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (input.Rank == 0 || input.Size(-1) != weight.Size(1))
        {
            throw new ArgumentException($"Linear: input shape [{string.Join(", ", input.Shape)}] does not end with in_features = {weight.Size(1)}.", nameof(input));
        }

        var y = input.MatMul(weight.T);
        return bias == null ? y : y.Add(bias);
    }

    /// <summary>2-D convolution of [N, C, H, W] input with weight [O, C/groups, kH, kW] (PyTorch's conv2d).</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, (int H, int W)? stride = null,
        (int H, int W)? padding = null, (int H, int W)? dilation = null, int groups = 1)
    {
        if (input.Rank != 4 || weight.Rank != 4)
        {
            throw new ArgumentException($"Conv2d: expects a 4-D input [N, C, H, W] and 4-D weight; got input [{string.Join(", ", input.Shape)}], weight [{string.Join(", ", weight.Shape)}].", nameof(input));
        }

        if (input.Size(1) != weight.Size(1) * groups)
        {
            throw new ArgumentException($"Conv2d: input has {input.Size(1)} channels but the weight expects {weight.Size(1) * groups} (groups = {groups}).", nameof(input));
        }

        var s = stride ?? (1, 1);
        var p = padding ?? (0, 0);
        var d = dilation ?? (1, 1);
        var g = new Conv2dGeometry(input.Size(0), input.Size(1), weight.Size(0), input.Size(2), input.Size(3), weight.Size(2), weight.Size(3),
            s.H, s.W, p.H, p.W, d.H, d.W, groups);
        var r = ConvCore(input, weight, bias, g, [g.Batch, g.OutChannels, g.OutH, g.OutW], "Conv2d");
        return r;
    }

    /// <summary>1-D convolution of [N, C, L] input with weight [O, C/groups, k] (PyTorch's conv1d).</summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0,
        int dilation = 1, int groups = 1)
    {
        if (input.Rank != 3 || weight.Rank != 3)
        {
            throw new ArgumentException($"Conv1d: expects a 3-D input [N, C, L] and 3-D weight; got input [{string.Join(", ", input.Shape)}], weight [{string.Join(", ", weight.Shape)}].", nameof(input));
        }

        if (input.Size(1) != weight.Size(1) * groups)
        {
            throw new ArgumentException($"Conv1d: input has {input.Size(1)} channels but the weight expects {weight.Size(1) * groups} (groups = {groups}).", nameof(input));
        }

        var g = Conv2dGeometry.For1d(input.Size(0), input.Size(1), weight.Size(0), input.Size(2), weight.Size(2), stride, padding, dilation, groups);
        return ConvCore(input, weight, bias, g, [g.Batch, g.OutChannels, g.OutW], "Conv1d");
    }

    private static Tensor ConvCore(Tensor input, Tensor weight, Tensor? bias, Conv2dGeometry g, int[] outShape, string name)
    {
        var x = input.Dense();
        var w = weight.Dense();
        var b = bias?.Dense();
        var y = Tensor.Uninitialized(outShape);
        Conv2dKernels.Forward(x.Span, w.Span, b == null ? ReadOnlySpan<float>.Empty : b.Span, y.AsSpan(), g);
        var inputs = bias == null ? new[] { input, weight } : new[] { input, weight, bias };
        if (!Tensor.NeedsGradAny(inputs))
        {
            return y;
        }

        return y.RecordOp(name, inputs, grad =>
        {
            var go = grad.Dense();
            Tensor? gx = null, gw = null, gb = null;
            if (input.RequiresGrad)
            {
                gx = Tensor.Uninitialized([.. input.Shape]);
                Conv2dKernels.BackwardInput(go.Span, w.Span, gx.AsSpan(), g);
            }

            if (weight.RequiresGrad || (bias?.RequiresGrad ?? false))
            {
                gw = Tensor.Uninitialized([.. weight.Shape]);
                gb = bias == null ? null : Tensor.Uninitialized([.. bias.Shape]);
                Conv2dKernels.BackwardWeight(x.Span, go.Span, gw.AsSpan(), gb == null ? Span<float>.Empty : gb.AsSpan(), g);
            }

            return bias == null ? [gx, gw] : [gx, gw, gb];
        });
    }

    /// <summary>2-D max pooling (stride defaults to the kernel size, as PyTorch).</summary>
    public static Tensor MaxPool2d(Tensor input, (int H, int W) kernelSize, (int H, int W)? stride = null,
        (int H, int W)? padding = null, (int H, int W)? dilation = null, bool ceilMode = false)
    {
        RequireRank(input, 4, "MaxPool2d", "[N, C, H, W]");
        var s = stride ?? kernelSize;
        var p = padding ?? (0, 0);
        var d = dilation ?? (1, 1);
        var g = new Pool2dGeometry(input.Size(0), input.Size(1), input.Size(2), input.Size(3), kernelSize.H, kernelSize.W, s.H, s.W, p.H, p.W, d.H, d.W, ceilMode);
        return MaxPoolCore(input, g, [g.Batch, g.Channels, g.OutH, g.OutW], "MaxPool2d");
    }

    /// <summary>1-D max pooling on [N, C, L].</summary>
    public static Tensor MaxPool1d(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
    {
        RequireRank(input, 3, "MaxPool1d", "[N, C, L]");
        var g = Pool2dGeometry.For1d(input.Size(0), input.Size(1), input.Size(2), kernelSize, stride ?? kernelSize, padding, dilation, ceilMode);
        return MaxPoolCore(input, g, [g.Batch, g.Channels, g.OutW], "MaxPool1d");
    }

    private static Tensor MaxPoolCore(Tensor input, Pool2dGeometry g, int[] outShape, string name)
    {
        var x = input.Dense();
        var y = Tensor.Uninitialized(outShape);
        bool grad = Tensor.NeedsGradAny([input]);
        var indices = grad ? new int[g.OutputLength] : [];
        Pool2dKernels.MaxForward(x.Span, y.AsSpan(), indices, g);
        if (!grad)
        {
            return y;
        }

        return y.RecordOp(name, [input], go =>
        {
            var gx = Tensor.Uninitialized([.. input.Shape]);
            Pool2dKernels.MaxBackward(go.Dense().Span, indices, gx.AsSpan(), g);
            return [gx];
        });
    }

    /// <summary>2-D average pooling (stride defaults to the kernel size).</summary>
    public static Tensor AvgPool2d(Tensor input, (int H, int W) kernelSize, (int H, int W)? stride = null,
        (int H, int W)? padding = null, bool ceilMode = false, bool countIncludePad = true)
    {
        RequireRank(input, 4, "AvgPool2d", "[N, C, H, W]");
        var s = stride ?? kernelSize;
        var p = padding ?? (0, 0);
        var g = new Pool2dGeometry(input.Size(0), input.Size(1), input.Size(2), input.Size(3), kernelSize.H, kernelSize.W, s.H, s.W, p.H, p.W, 1, 1, ceilMode);
        return AvgPoolCore(input, g, [g.Batch, g.Channels, g.OutH, g.OutW], countIncludePad, "AvgPool2d");
    }

    /// <summary>1-D average pooling on [N, C, L].</summary>
    public static Tensor AvgPool1d(Tensor input, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true)
    {
        RequireRank(input, 3, "AvgPool1d", "[N, C, L]");
        var g = Pool2dGeometry.For1d(input.Size(0), input.Size(1), input.Size(2), kernelSize, stride ?? kernelSize, padding, 1, ceilMode);
        return AvgPoolCore(input, g, [g.Batch, g.Channels, g.OutW], countIncludePad, "AvgPool1d");
    }

    private static Tensor AvgPoolCore(Tensor input, Pool2dGeometry g, int[] outShape, bool countIncludePad, string name)
    {
        var x = input.Dense();
        var y = Tensor.Uninitialized(outShape);
        Pool2dKernels.AvgForward(x.Span, y.AsSpan(), g, countIncludePad);
        if (!Tensor.NeedsGradAny([input]))
        {
            return y;
        }

        return y.RecordOp(name, [input], go =>
        {
            var gx = Tensor.Uninitialized([.. input.Shape]);
            Pool2dKernels.AvgBackward(go.Dense().Span, gx.AsSpan(), g, countIncludePad);
            return [gx];
        });
    }

    /// <summary>Adaptive average pooling of [N, C, H, W] to [N, C, outH, outW] with PyTorch's bin edges
    /// (start = floor(i·In/Out), end = ceil((i+1)·In/Out)).</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, (int H, int W) outputSize)
    {
        RequireRank(input, 4, "AdaptiveAvgPool2d", "[N, C, H, W]");
        if (outputSize.H <= 0 || outputSize.W <= 0)
        {
            throw new ArgumentException($"AdaptiveAvgPool2d: output size ({outputSize.H}, {outputSize.W}) must be positive.", nameof(outputSize));
        }

        if (outputSize == (1, 1))
        {
            return input.Mean([2, 3], keepDim: true);
        }

        return AdaptiveCore(input, input.Size(2), input.Size(3), outputSize.H, outputSize.W, [input.Size(0), input.Size(1), outputSize.H, outputSize.W]);
    }

    /// <summary>Adaptive average pooling of [N, C, L] to [N, C, outL].</summary>
    public static Tensor AdaptiveAvgPool1d(Tensor input, int outputSize)
    {
        RequireRank(input, 3, "AdaptiveAvgPool1d", "[N, C, L]");
        if (outputSize <= 0)
        {
            throw new ArgumentException($"AdaptiveAvgPool1d: output size {outputSize} must be positive.", nameof(outputSize));
        }

        if (outputSize == 1)
        {
            return input.Mean([2], keepDim: true);
        }

        return AdaptiveCore(input, 1, input.Size(2), 1, outputSize, [input.Size(0), input.Size(1), outputSize]);
    }

    private static Tensor AdaptiveCore(Tensor input, int inH, int inW, int outH, int outW, int[] outShape)
    {
        var x = input.Dense();
        int planes = input.Size(0) * input.Size(1);
        var y = Tensor.Zeros(outShape);
        var ys = y.AsSpan();
        var xs = x.Span;
        for (int pl = 0; pl < planes; pl++)
        {
            for (int oh = 0; oh < outH; oh++)
            {
                int h0 = oh * inH / outH, h1 = (((oh + 1) * inH) + outH - 1) / outH;
                for (int ow = 0; ow < outW; ow++)
                {
                    int w0 = ow * inW / outW, w1 = (((ow + 1) * inW) + outW - 1) / outW;
                    float s = 0;
                    for (int h = h0; h < h1; h++)
                    {
                        for (int w = w0; w < w1; w++)
                        {
                            s += xs[(pl * inH * inW) + (h * inW) + w];
                        }
                    }

                    ys[(pl * outH * outW) + (oh * outW) + ow] = s / ((h1 - h0) * (w1 - w0));
                }
            }
        }

        if (!Tensor.NeedsGradAny([input]))
        {
            return y;
        }

        return y.RecordOp("AdaptiveAvgPool", [input], go =>
        {
            var gd = go.Dense().Span;
            var gx = Tensor.Zeros([.. input.Shape]);
            var gs = gx.AsSpan();
            for (int pl = 0; pl < planes; pl++)
            {
                for (int oh = 0; oh < outH; oh++)
                {
                    int h0 = oh * inH / outH, h1 = (((oh + 1) * inH) + outH - 1) / outH;
                    for (int ow = 0; ow < outW; ow++)
                    {
                        int w0 = ow * inW / outW, w1 = (((ow + 1) * inW) + outW - 1) / outW;
                        float v = gd[(pl * outH * outW) + (oh * outW) + ow] / ((h1 - h0) * (w1 - w0));
                        for (int h = h0; h < h1; h++)
                        {
                            for (int w = w0; w < w1; w++)
                            {
                                gs[(pl * inH * inW) + (h * inW) + w] += v;
                            }
                        }
                    }
                }
            }

            return [gx];
        });
    }

    /// <summary>Zeroes elements with probability p and scales the rest by 1/(1-p) when training; identity otherwise.</summary>
    public static Tensor Dropout(Tensor input, float p, bool training, Generator? generator = null)
    {
        if (p < 0f || p > 1f)
        {
            throw new ArgumentException($"Dropout: probability {p} must be in [0, 1].", nameof(p));
        }

        if (!training || p == 0f)
        {
            return input;
        }

        if (p == 1f)
        {
            return input.Mul(0f);
        }

        var gen = generator ?? Generator.Default;
        var mask = Tensor.Zeros([.. input.Shape]);
        var ms = mask.AsSpan();
        float keep = 1f / (1f - p);
        for (int i = 0; i < ms.Length; i++)
        {
            ms[i] = gen.NextDouble() >= p ? keep : 0f;
        }

        return input.Mul(mask);
    }

    internal static void RequireRank(Tensor input, int rank, string op, string layout)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != rank)
        {
            throw new ArgumentException($"{op}: expects a {rank}-D input {layout}; got shape [{string.Join(", ", input.Shape)}].", nameof(input));
        }
    }
}
