using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Affetto.Nn.Kernels;

/// <summary>Loops behind <see cref="BatchNormKernels"/> and <see cref="ActivationKernels"/>.</summary>
internal static unsafe class NormImpl
{
    /// <summary>Elements below which an element-wise kernel runs on the calling thread.</summary>
    internal const int MinParallel = 1 << 15;

    /// <summary>Splits [0, length) into one contiguous range per worker (16-float aligned).</summary>
    internal static void Chunked(int length, Action<int, int> body)
    {
        int workers = length < MinParallel ? 1 : Parallelism.EffectiveThreads;
        if (workers <= 1)
        {
            body(0, length);
            return;
        }

        int parts = Parallelism.Parts(workers, length / 16);
        Parallelism.For(parts, workers, part =>
        {
            int s = (int)((long)length * part / parts) & ~15, e = part == parts - 1 ? length : (int)((long)length * (part + 1) / parts) & ~15;
            if (e > s) body(s, e - s);
        });
    }

    private static void ForChannels(int channels, long work, Action<int> body) =>
        Parallelism.For(channels, work < MinParallel ? 1 : Parallelism.MaxThreads, body);

    internal static void Statistics(ReadOnlySpan<float> x, int batch, int channels, int spatial, Span<float> mean, Span<float> variance)
    {
        fixed (float* px = x, pm = mean, pv = variance)
        {
            nint ax = (nint)px, am = (nint)pm, av = (nint)pv;
            long count = (long)batch * spatial;
            ForChannels(channels, x.Length, c =>
            {
                double s = 0;
                for (int n = 0; n < batch; n++)
                {
                    s += TensorPrimitives.Sum(new ReadOnlySpan<float>((float*)ax + ((long)n * channels + c) * spatial, spatial));
                }

                double mu = count > 0 ? s / count : 0;
                double sq = 0;
                for (int n = 0; n < batch; n++)
                {
                    sq += SumSquaredDeviation((float*)ax + ((long)n * channels + c) * spatial, spatial, (float)mu);
                }

                ((float*)am)[c] = (float)mu;
                ((float*)av)[c] = count > 0 ? (float)(sq / count) : 0f;
            });
        }
    }

    private static double SumSquaredDeviation(float* x, int length, float mu)
    {
        int i = 0;
        double total = 0;
        if (Vector512.IsHardwareAccelerated && SimdLevel.Current >= 512)
        {
            var m = Vector512.Create(mu);
            var acc0 = Vector512<float>.Zero;
            var acc1 = Vector512<float>.Zero;
            for (; i + 32 <= length; i += 32)
            {
                var d0 = Vector512.Load(x + i) - m;
                var d1 = Vector512.Load(x + i + 16) - m;
                acc0 = Vector512.FusedMultiplyAdd(d0, d0, acc0);
                acc1 = Vector512.FusedMultiplyAdd(d1, d1, acc1);
            }

            total = Vector512.Sum(acc0 + acc1);
        }
        else if (Vector256.IsHardwareAccelerated && SimdLevel.Current >= 256)
        {
            var m = Vector256.Create(mu);
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= length; i += 8)
            {
                var d = Vector256.Load(x + i) - m;
                acc = Vector256.FusedMultiplyAdd(d, d, acc);
            }

            total = Vector256.Sum(acc);
        }

        for (; i < length; i++)
        {
            double d = x[i] - mu;
            total += d * d;
        }

        return total;
    }

    internal static void ScaleShift(ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y,
        int batch, int channels, int spatial, bool relu)
    {
        fixed (float* px = x, ps = scale, pt = shift, py = y)
        {
            nint ax = (nint)px, asc = (nint)ps, at = (nint)pt, ay = (nint)py;
            int planes = batch * channels;
            Parallelism.For(planes, x.Length < MinParallel ? 1 : Parallelism.MaxThreads, p =>
            {
                int c = p % channels;
                Affine((float*)ax + (long)p * spatial, (float*)ay + (long)p * spatial, spatial, ((float*)asc)[c], ((float*)at)[c], relu);
            });
        }
    }

    private static void Affine(float* x, float* y, int length, float scale, float shift, bool relu)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && SimdLevel.Current >= 512)
        {
            var s = Vector512.Create(scale);
            var t = Vector512.Create(shift);
            if (relu)
            {
                // Zero only values below 0 so NaN stays NaN, as in PyTorch.
                for (; i + 16 <= length; i += 16)
                {
                    var v = Vector512.FusedMultiplyAdd(Vector512.Load(x + i), s, t);
                    Vector512.ConditionalSelect(Vector512.LessThan(v, Vector512<float>.Zero), Vector512<float>.Zero, v).Store(y + i);
                }
            }
            else
            {
                for (; i + 16 <= length; i += 16)
                {
                    Vector512.FusedMultiplyAdd(Vector512.Load(x + i), s, t).Store(y + i);
                }
            }
        }
        else if (Vector256.IsHardwareAccelerated && SimdLevel.Current >= 256)
        {
            var s = Vector256.Create(scale);
            var t = Vector256.Create(shift);
            for (; i + 8 <= length; i += 8)
            {
                var v = Vector256.FusedMultiplyAdd(Vector256.Load(x + i), s, t);
                if (relu) v = Vector256.ConditionalSelect(Vector256.LessThan(v, Vector256<float>.Zero), Vector256<float>.Zero, v);
                v.Store(y + i);
            }
        }

        for (; i < length; i++)
        {
            float v = MathF.FusedMultiplyAdd(x[i], scale, shift);
            y[i] = relu && v < 0f ? 0f : v;
        }
    }

    internal static void BackwardSums(ReadOnlySpan<float> x, ReadOnlySpan<float> g, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd,
        Span<float> sumGrad, Span<float> sumGradXhat, int batch, int channels, int spatial)
    {
        fixed (float* px = x, pg = g, pm = mean, pi = invStd, psg = sumGrad, psx = sumGradXhat)
        {
            nint ax = (nint)px, ag = (nint)pg, am = (nint)pm, ai = (nint)pi, asg = (nint)psg, asx = (nint)psx;
            ForChannels(channels, x.Length, c =>
            {
                double sg = 0, sgx = 0;
                float mu = ((float*)am)[c];
                for (int n = 0; n < batch; n++)
                {
                    long o = ((long)n * channels + c) * spatial;
                    sgx += DotCentered((float*)ax + o, (float*)ag + o, spatial, mu, ref sg);
                }

                ((float*)asg)[c] = (float)sg;
                ((float*)asx)[c] = (float)(sgx * ((float*)ai)[c]);
            });
        }
    }

    /// <summary>Σ (x - mu) * g, adding Σ g to <paramref name="sumG"/> in the same pass over g.</summary>
    private static double DotCentered(float* x, float* g, int length, float mu, ref double sumG)
    {
        int i = 0;
        double total = 0, sum = 0;
        if (Vector512.IsHardwareAccelerated && SimdLevel.Current >= 512)
        {
            var m = Vector512.Create(mu);
            var acc0 = Vector512<float>.Zero;
            var acc1 = Vector512<float>.Zero;
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            for (; i + 32 <= length; i += 32)
            {
                var g0 = Vector512.Load(g + i);
                var g1 = Vector512.Load(g + i + 16);
                acc0 = Vector512.FusedMultiplyAdd(Vector512.Load(x + i) - m, g0, acc0);
                acc1 = Vector512.FusedMultiplyAdd(Vector512.Load(x + i + 16) - m, g1, acc1);
                s0 += g0;
                s1 += g1;
            }

            total = Vector512.Sum(acc0 + acc1);
            sum = Vector512.Sum(s0 + s1);
        }
        else if (Vector256.IsHardwareAccelerated && SimdLevel.Current >= 256)
        {
            var m = Vector256.Create(mu);
            var acc = Vector256<float>.Zero;
            var s0 = Vector256<float>.Zero;
            for (; i + 8 <= length; i += 8)
            {
                var g0 = Vector256.Load(g + i);
                acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + i) - m, g0, acc);
                s0 += g0;
            }

            total = Vector256.Sum(acc);
            sum = Vector256.Sum(s0);
        }

        for (; i < length; i++)
        {
            total += (double)(x[i] - mu) * g[i];
            sum += g[i];
        }

        sumG += sum;
        return total;
    }

    internal static void BackwardInput(ReadOnlySpan<float> x, ReadOnlySpan<float> g, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> sumGrad, ReadOnlySpan<float> sumGradXhat, Span<float> gx,
        int batch, int channels, int spatial)
    {
        bool hasWeight = !weight.IsEmpty;
        long count = (long)batch * spatial;
        fixed (float* px = x, pg = g, pm = mean, pi = invStd, pw = weight, psg = sumGrad, psx = sumGradXhat, pgx = gx)
        {
            nint ax = (nint)px, ag = (nint)pg, am = (nint)pm, ai = (nint)pi, aw = (nint)pw, asg = (nint)psg, asx = (nint)psx, agx = (nint)pgx;
            int planes = batch * channels;
            Parallelism.For(planes, x.Length < MinParallel ? 1 : Parallelism.MaxThreads, p =>
            {
                int c = p % channels;
                float inv = ((float*)ai)[c], w = hasWeight ? ((float*)aw)[c] : 1f;
                // gx = k (g - sg/M - xhat sgx/M) = k g + (x - mu) * (-k inv sgx / M) + (-k sg / M)
                float k = w * inv;
                float a = -k * inv * ((float*)asx)[c] / count;
                float b = -k * ((float*)asg)[c] / count - a * ((float*)am)[c];
                long o = (long)p * spatial;
                float* xs = (float*)ax + o, gs = (float*)ag + o, d = (float*)agx + o;
                int i = 0;
                if (Vector512.IsHardwareAccelerated && SimdLevel.Current >= 512)
                {
                    var vk = Vector512.Create(k);
                    var va = Vector512.Create(a);
                    var vb = Vector512.Create(b);
                    for (; i + 16 <= spatial; i += 16)
                    {
                        Vector512.FusedMultiplyAdd(vk, Vector512.Load(gs + i), Vector512.FusedMultiplyAdd(va, Vector512.Load(xs + i), vb)).Store(d + i);
                    }
                }

                for (; i < spatial; i++)
                {
                    d[i] = k * gs[i] + (a * xs[i] + b);
                }
            });
        }
    }

    internal static void ReluMask(float* y, float* g, float* d, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && SimdLevel.Current >= 512)
        {
            for (; i + 16 <= count; i += 16)
            {
                var keep = Vector512.GreaterThan(Vector512.Load(y + i), Vector512<float>.Zero);
                (Vector512.Load(g + i) & keep).Store(d + i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && SimdLevel.Current >= 256)
        {
            for (; i + 8 <= count; i += 8)
            {
                var keep = Vector256.GreaterThan(Vector256.Load(y + i), Vector256<float>.Zero);
                (Vector256.Load(g + i) & keep).Store(d + i);
            }
        }

        for (; i < count; i++)
        {
            d[i] = y[i] > 0f ? g[i] : 0f;
        }
    }
}
