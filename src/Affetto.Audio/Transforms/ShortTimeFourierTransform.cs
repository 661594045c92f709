using System.Numerics.Tensors;
using Affetto.Audio.Features;

namespace Affetto.Audio.Transforms;

/// <summary>
/// Short-time Fourier transform with librosa semantics (<c>librosa.stft</c> / <c>librosa.istft</c>, 0.10):
/// nFft = 2048; winLength = nFft when null; hopLength = winLength / 4 when null; the periodic window of winLength
/// samples is zero-padded to nFft and centred (<c>pad_center</c>); with center = true the signal is padded by
/// nFft / 2 on both sides (padMode constant by default, or reflect) so frame t is centred on sample t·hop and the
/// frame count is 1 + (len + 2·(nFft/2) - nFft) / hop, i.e. 1 + len / hop for even nFft. No normalisation.
/// Output is [1 + nFft/2, frames]. Instances are immutable and thread-safe; each call owns its scratch.
/// </summary>
public sealed class ShortTimeFourierTransform
{
    private readonly float[] _window;
    private readonly RealFftPlan _plan;

    /// <summary>FFT size.</summary>
    public int NFft { get; }
    /// <summary>Samples between frame starts.</summary>
    public int HopLength { get; }
    /// <summary>Window length before centring in nFft.</summary>
    public int WinLength { get; }
    /// <summary>Window shape.</summary>
    public WindowType Window { get; }
    /// <summary>Whether frames are centred (signal padded by nFft / 2 on both sides).</summary>
    public bool Center { get; }
    /// <summary>Edge padding when <see cref="Center"/>.</summary>
    public PadMode PadMode { get; }
    /// <summary>Frequency bins, 1 + nFft / 2.</summary>
    public int Bins => NFft / 2 + 1;
    /// <summary>The window zero-padded and centred to nFft samples.</summary>
    public ReadOnlySpan<float> PaddedWindow => _window;

    /// <summary>Creates a transform; arguments follow librosa's names and defaults.</summary>
    /// <exception cref="ArgumentOutOfRangeException">nFft &lt; 1, hopLength &lt; 1, winLength outside 1..nFft, or an unknown enum.</exception>
    public ShortTimeFourierTransform(int nFft = 2048, int? hopLength = null, int? winLength = null,
        WindowType window = WindowType.Hann, bool center = true, PadMode padMode = PadMode.Constant)
    {
        if (nFft < 1) throw new ArgumentOutOfRangeException(nameof(nFft), nFft, "nFft must be at least 1.");
        int win = winLength ?? nFft;
        if (win < 1 || win > nFft) throw new ArgumentOutOfRangeException(nameof(winLength), winLength, $"winLength must be in 1..nFft ({nFft}).");
        int hop = hopLength ?? Math.Max(1, win / 4);
        if (hop < 1) throw new ArgumentOutOfRangeException(nameof(hopLength), hopLength, "hopLength must be at least 1.");
        if (!Enum.IsDefined(window)) throw new ArgumentOutOfRangeException(nameof(window), window, "Unknown window type.");
        if (!Enum.IsDefined(padMode)) throw new ArgumentOutOfRangeException(nameof(padMode), padMode, "Unknown pad mode.");
        NFft = nFft; HopLength = hop; WinLength = win; Window = window; Center = center; PadMode = padMode;
        _window = Windows.CreatePadded(window, win, nFft);
        _plan = RealFftPlan.Get(nFft);
    }

    /// <summary>
    /// Frames produced for a signal of <paramref name="length"/> samples (librosa):
    /// centred 1 + (length + 2·(nFft/2) - nFft) / hop, otherwise 1 + (length - nFft) / hop; 0 if the signal is too short.
    /// </summary>
    public static int FrameCount(long length, int nFft, int hopLength, bool center)
    {
        if (nFft < 1) throw new ArgumentOutOfRangeException(nameof(nFft), nFft, "nFft must be at least 1.");
        if (hopLength < 1) throw new ArgumentOutOfRangeException(nameof(hopLength), hopLength, "hopLength must be at least 1.");
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "length must be non-negative.");
        long padded = center ? length + 2L * (nFft / 2) : length;
        return padded < nFft ? 0 : checked((int)(1 + (padded - nFft) / hopLength));
    }

    /// <summary>Frames this transform produces for <paramref name="length"/> samples.</summary>
    public int FrameCount(long length) => FrameCount(length, NFft, HopLength, Center);

    /// <summary>Complex STFT, [Bins, frames].</summary>
    /// <exception cref="ArgumentException">The signal is shorter than one frame, or empty.</exception>
    public ComplexMatrix Forward(ReadOnlySpan<float> signal)
    {
        var padded = Prepare(signal, out int frames);
        var result = new ComplexMatrix(Bins, frames);
        int bins = Bins;
        var scratch = new float[FrameScratchLength + 2 * bins];
        var re = scratch.AsSpan(FrameScratchLength, bins);
        var im = scratch.AsSpan(FrameScratchLength + bins, bins);
        for (int t = 0; t < frames; t++)
        {
            FrameSpectrum(padded.AsSpan(t * HopLength, NFft), re, im, scratch.AsSpan(0, FrameScratchLength));
            for (int k = 0; k < bins; k++)
            {
                result.Real[k * frames + t] = re[k];
                result.Imag[k * frames + t] = im[k];
            }
        }
        return result;
    }

    /// <summary>Magnitude spectrogram raised to <paramref name="power"/> (1 = magnitude, 2 = power), [Bins, frames].</summary>
    /// <exception cref="ArgumentOutOfRangeException">power is not positive and finite.</exception>
    public FeatureMatrix Spectrogram(ReadOnlySpan<float> signal, float power = 1f)
    {
        if (!(power > 0) || float.IsInfinity(power)) throw new ArgumentOutOfRangeException(nameof(power), power, "power must be positive and finite.");
        var padded = Prepare(signal, out int frames);
        int bins = Bins;
        var result = new FeatureMatrix(bins, frames);
        int fs = FramePowerScratchLength;
        var scratch = new float[fs + bins];
        var col = scratch.AsSpan(fs, bins);
        for (int t = 0; t < frames; t++)
        {
            FramePower(padded.AsSpan(t * HopLength, NFft), col, power, scratch.AsSpan(0, fs));
            for (int k = 0; k < bins; k++) result.Data[k * frames + t] = col[k];
        }
        return result;
    }

    /// <summary>
    /// Inverse STFT (librosa <c>istft</c>): overlap-add of windowed inverse FFTs divided by the window sum-square
    /// where it exceeds float32 tiny; the centre padding is trimmed. With <paramref name="length"/> the output is
    /// trimmed or zero-padded to exactly that many samples (and only the frames needed are used).
    /// </summary>
    /// <exception cref="ArgumentException">The matrix does not have <see cref="Bins"/> rows, or length is negative.</exception>
    public float[] Inverse(ComplexMatrix stft, int? length = null)
    {
        ArgumentNullException.ThrowIfNull(stft);
        if (stft.Rows != Bins) throw new ArgumentException($"STFT has {stft.Rows} rows but nFft {NFft} needs {Bins}.", nameof(stft));
        if (length is < 0) throw new ArgumentException($"length must be non-negative, got {length}.", nameof(length));
        int nFft = NFft, hop = HopLength, bins = Bins;
        int frames = stft.Columns;
        if (length is int len0)
        {
            long paddedLen = Center ? len0 + 2L * (nFft / 2) : len0;
            frames = (int)Math.Min(frames, (paddedLen + hop - 1) / hop);
        }
        long expected = frames == 0 ? 0 : nFft + (long)hop * (frames - 1);
        var y = new float[expected];
        var wss = new float[expected];
        var re = new float[bins]; var im = new float[bins]; var buf = new float[nFft];
        var scratch = new float[_plan.ScratchLength];
        for (int t = 0; t < frames; t++)
        {
            for (int k = 0; k < bins; k++) { re[k] = stft.Real[k * stft.Columns + t]; im[k] = stft.Imag[k * stft.Columns + t]; }
            _plan.Inverse(re, im, buf, scratch);
            int off = t * hop;
            for (int i = 0; i < nFft; i++)
            {
                float w = _window[i];
                y[off + i] += buf[i] * w;
                wss[off + i] += w * w;
            }
        }
        const float tiny = 1.17549435e-38f;
        for (long i = 0; i < expected; i++) if (wss[i] > tiny) y[i] /= wss[i];
        int start = Center ? nFft / 2 : 0;
        if (length is int len)
        {
            var output = new float[len];
            long avail = Math.Max(0, expected - start);
            y.AsSpan(Math.Min(start, y.Length), (int)Math.Min(len, avail)).CopyTo(output);
            return output;
        }
        long end = Center ? expected - nFft / 2 : expected;
        return end <= start ? [] : y.AsSpan(start, (int)(end - start)).ToArray();
    }

    // ---- building blocks shared with the feature extractors ----

    internal int FrameScratchLength => NFft + _plan.ScratchLength;

    /// <summary>Windowed real FFT of one nFft-sample frame.</summary>
    internal void FrameSpectrum(ReadOnlySpan<float> frame, Span<float> re, Span<float> im, Span<float> scratch)
    {
        var buf = scratch[..NFft];
        TensorPrimitives.Multiply(frame[..NFft], _window, buf);
        _plan.Forward(buf, re, im, scratch[NFft..]);
    }

    /// <summary>|X|^power of one frame into <paramref name="output"/> (Bins values); output doubles as imag scratch.</summary>
    internal void FramePower(ReadOnlySpan<float> frame, Span<float> output, float power, Span<float> scratch)
    {
        int bins = Bins;
        // Real parts go to the first nFft scratch floats after the window buffer has been consumed by the FFT.
        var buf = scratch[..NFft];
        TensorPrimitives.Multiply(frame[..NFft], _window, buf);
        Span<float> fftScratch = scratch[NFft..];
        Span<float> re = fftScratch[..bins];
        Span<float> rest = fftScratch[bins..];
        if (rest.Length < _plan.ScratchLength) throw new InvalidOperationException("FramePower scratch too small.");
        _plan.Forward(buf, re, output, rest);
        PowerFromParts(re, output, output, power);
    }

    internal int FramePowerScratchLength => NFft + Bins + _plan.ScratchLength;

    internal static void PowerFromParts(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> output, float power)
    {
        // |X|² = re² + im²; the window buffer is not needed any more.
        TensorPrimitives.Multiply(im, im, output);
        TensorPrimitives.MultiplyAdd(re, re, output, output);
        if (power == 2f) return;
        if (power == 1f) { TensorPrimitives.Sqrt(output, output); return; }
        TensorPrimitives.Pow(output, power / 2f, output);
    }

    /// <summary>The signal padded as the transform frames it (a copy), and the frame count.</summary>
    internal float[] Prepare(ReadOnlySpan<float> signal, out int frames)
    {
        var padded = new float[PreparedLength(signal.Length)];
        PrepareInto(signal, padded, out frames);
        return padded;
    }

    /// <summary>Length of <see cref="Prepare"/>'s result for a signal of <paramref name="signalLength"/> samples.</summary>
    internal int PreparedLength(int signalLength) => signalLength + (Center ? 2 * (NFft / 2) : 0);

    /// <summary><see cref="Prepare"/> into <paramref name="destination"/> (<see cref="PreparedLength"/> long), e.g. a pooled array.</summary>
    internal void PrepareInto(ReadOnlySpan<float> signal, Span<float> destination, out int frames)
    {
        frames = CheckedFrameCount(signal.Length);
        PadInto(signal, Center ? NFft / 2 : 0, PadMode, edge: false, destination);
    }

    /// <summary>Frames of a signal of <paramref name="length"/> samples; throws for an empty or too short signal.</summary>
    internal int CheckedFrameCount(int length)
    {
        if (length == 0) throw new ArgumentException("The signal is empty.", "signal");
        int frames = FrameCount(length);
        if (frames == 0)
            throw new ArgumentException($"Signal of {length} samples is shorter than nFft = {NFft} with center = false.", "signal");
        return frames;
    }

    /// <summary>
    /// Samples [<paramref name="start"/>, start + destination.Length) of the signal as <see cref="PrepareInto"/> pads
    /// it, with <paramref name="start"/> counted from the signal's first sample (negative inside the left padding).
    /// </summary>
    internal void ReadPadded(ReadOnlySpan<float> signal, long start, Span<float> destination) =>
        ReadPadded(signal, start, PadMode, destination);

    // Constant (zeros) or reflect padding of any window of the padded signal; the destination may be a reused, pooled
    // buffer, so every element is written.
    private static void ReadPadded(ReadOnlySpan<float> signal, long start, PadMode mode, Span<float> destination)
    {
        int n = signal.Length, length = destination.Length;
        int inside = (int)Math.Clamp(-start, 0, length), end = (int)Math.Clamp(n - start, inside, length);
        if (end > inside)
            signal.Slice((int)(start + inside), end - inside).CopyTo(destination[inside..end]);
        for (int i = 0; i < inside; i++)
            destination[i] = mode == PadMode.Reflect ? signal[ReflectIndex(start + i, n)] : 0f;
        for (int i = end; i < length; i++)
            destination[i] = mode == PadMode.Reflect ? signal[ReflectIndex(start + i, n)] : 0f;
    }

    /// <summary>numpy.pad of <paramref name="pad"/> samples each side in constant (zero), reflect or edge mode.</summary>
    internal static float[] Pad(ReadOnlySpan<float> x, int pad, PadMode mode, bool edge = false)
    {
        var y = new float[x.Length + 2L * pad];
        PadInto(x, pad, mode, edge, y);
        return y;
    }

    private static void PadInto(ReadOnlySpan<float> x, int pad, PadMode mode, bool edge, Span<float> y)
    {
        if (!edge)
        {
            ReadPadded(x, -pad, mode, y);
            return;
        }
        x.CopyTo(y[pad..]);
        if (pad == 0) return;
        y[..pad].Fill(x[0]);
        y.Slice(pad + x.Length, pad).Fill(x[^1]);
    }

    internal static int ReflectIndex(long i, int n)
    {
        if (n == 1) return 0;
        long period = 2L * (n - 1);
        long r = ((i % period) + period) % period;
        return (int)(r < n ? r : period - r);
    }
}
