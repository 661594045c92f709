namespace Affetto.Audio.Effects;

/// <summary>
/// Cuts a signal into fixed-length windows with a fixed hop, e.g. 2 s windows every 1 s or 5 s windows every 0.5 s.
/// </summary>
/// <remarks>
/// Window and hop lengths in seconds are rounded to whole samples. Window k starts at k·hop. Ranges can be
/// enumerated without any allocation (<see cref="EnumerateRanges"/>), written into a caller's buffer
/// (<see cref="GetRanges"/>), or the windows can be copied out (<see cref="Copies"/>, <see cref="CopySegment"/>).
/// </remarks>
public static class Segmenter
{
    /// <summary>Number of windows for a signal of <paramref name="signalLength"/> samples.</summary>
    /// <param name="signalLength">Signal length in samples (mono frames).</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="lengthSeconds">Window length in seconds (at least one sample).</param>
    /// <param name="hopSeconds">Hop between window starts in seconds (at least one sample).</param>
    /// <param name="tail">Policy for a partial last window.</param>
    public static int Count(int signalLength, int sampleRate, double lengthSeconds, double hopSeconds, TailPolicy tail = TailPolicy.Drop)
    {
        (int win, int hop) = ToSamples(signalLength, sampleRate, lengthSeconds, hopSeconds, tail);
        return CountSamples(signalLength, win, hop, tail);
    }

    /// <summary>Enumerates the windows without allocating.</summary>
    /// <param name="signalLength">Signal length in samples (mono frames).</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="lengthSeconds">Window length in seconds (at least one sample).</param>
    /// <param name="hopSeconds">Hop between window starts in seconds (at least one sample).</param>
    /// <param name="tail">Policy for a partial last window.</param>
    public static SegmentEnumerable EnumerateRanges(int signalLength, int sampleRate, double lengthSeconds, double hopSeconds, TailPolicy tail = TailPolicy.Drop)
    {
        (int win, int hop) = ToSamples(signalLength, sampleRate, lengthSeconds, hopSeconds, tail);
        return new SegmentEnumerable(CountSamples(signalLength, win, hop, tail), win, hop);
    }

    /// <summary>Writes the windows into <paramref name="destination"/> and returns how many were written.</summary>
    /// <param name="signalLength">Signal length in samples (mono frames).</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="lengthSeconds">Window length in seconds (at least one sample).</param>
    /// <param name="hopSeconds">Hop between window starts in seconds (at least one sample).</param>
    /// <param name="tail">Policy for a partial last window.</param>
    /// <param name="destination">Buffer of at least <see cref="Count"/> elements.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    public static int GetRanges(int signalLength, int sampleRate, double lengthSeconds, double hopSeconds, Span<SegmentRange> destination, TailPolicy tail = TailPolicy.Drop)
    {
        SegmentEnumerable e = EnumerateRanges(signalLength, sampleRate, lengthSeconds, hopSeconds, tail);
        if (destination.Length < e.Count)
            throw new ArgumentException($"destination holds {destination.Length} ranges but {e.Count} are needed.", nameof(destination));
        int i = 0;
        foreach (SegmentRange r in e) destination[i++] = r;
        return i;
    }

    /// <summary>Returns the windows as a new array (one allocation for all of them).</summary>
    /// <param name="signalLength">Signal length in samples (mono frames).</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="lengthSeconds">Window length in seconds (at least one sample).</param>
    /// <param name="hopSeconds">Hop between window starts in seconds (at least one sample).</param>
    /// <param name="tail">Policy for a partial last window.</param>
    public static SegmentRange[] Ranges(int signalLength, int sampleRate, double lengthSeconds, double hopSeconds, TailPolicy tail = TailPolicy.Drop)
    {
        SegmentEnumerable e = EnumerateRanges(signalLength, sampleRate, lengthSeconds, hopSeconds, tail);
        var result = new SegmentRange[e.Count];
        int i = 0;
        foreach (SegmentRange r in e) result[i++] = r;
        return result;
    }

    /// <summary>Copies every window of <paramref name="signal"/> into its own array (zero-padded past the end).</summary>
    /// <param name="signal">Mono signal.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="lengthSeconds">Window length in seconds.</param>
    /// <param name="hopSeconds">Hop in seconds.</param>
    /// <param name="tail">Policy for a partial last window.</param>
    public static float[][] Copies(ReadOnlySpan<float> signal, int sampleRate, double lengthSeconds, double hopSeconds, TailPolicy tail = TailPolicy.Drop)
    {
        SegmentEnumerable e = EnumerateRanges(signal.Length, sampleRate, lengthSeconds, hopSeconds, tail);
        var result = new float[e.Count][];
        int i = 0;
        foreach (SegmentRange r in e)
        {
            result[i] = new float[r.Length];
            CopySegment(signal, r, result[i]);
            i++;
        }
        return result;
    }

    /// <summary>Copies one window into <paramref name="destination"/>, writing zeros for samples outside the signal.</summary>
    /// <param name="signal">Mono signal.</param>
    /// <param name="range">Window to copy.</param>
    /// <param name="destination">Buffer of at least <see cref="SegmentRange.Length"/> samples.</param>
    /// <exception cref="ArgumentException">The range starts outside the signal or the destination is too small.</exception>
    public static void CopySegment(ReadOnlySpan<float> signal, SegmentRange range, Span<float> destination)
    {
        if (range.Start < 0 || range.Length < 0 || (range.Start >= signal.Length && range.Length > 0 && signal.Length > 0))
            throw new ArgumentException($"Range [{range.Start}, {range.End}) does not start inside a signal of {signal.Length} samples.", nameof(range));
        if (destination.Length < range.Length)
            throw new ArgumentException($"destination has {destination.Length} samples but the range needs {range.Length}.", nameof(destination));
        int avail = Math.Clamp(signal.Length - range.Start, 0, range.Length);
        signal.Slice(range.Start, avail).CopyTo(destination);
        destination[avail..range.Length].Clear();
    }

    private static int CountSamples(int n, int win, int hop, TailPolicy tail)
    {
        if (n == 0) return 0;
        if (tail == TailPolicy.Drop) return n < win ? 0 : (n - win) / hop + 1;
        if (n <= win) return 1;
        // Windows until one covers the final sample, but never one that starts past the end (possible when hop > length).
        long covering = ((long)n - win + hop - 1) / hop + 1;
        long startingInside = ((long)n + hop - 1) / hop;
        return (int)Math.Min(covering, startingInside);
    }

    private static (int Win, int Hop) ToSamples(int signalLength, int sampleRate, double lengthSeconds, double hopSeconds, TailPolicy tail)
    {
        if (signalLength < 0) throw new ArgumentOutOfRangeException(nameof(signalLength), signalLength, $"signalLength must be >= 0, got {signalLength}.");
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"sampleRate must be positive, got {sampleRate}.");
        if (!Enum.IsDefined(tail)) throw new ArgumentOutOfRangeException(nameof(tail), tail, $"Unknown tail policy {tail}.");
        int win = ToSamples(lengthSeconds, sampleRate, nameof(lengthSeconds));
        int hop = ToSamples(hopSeconds, sampleRate, nameof(hopSeconds));
        return (win, hop);
    }

    private static int ToSamples(double seconds, int sampleRate, string name)
    {
        if (!double.IsFinite(seconds) || seconds <= 0)
            throw new ArgumentOutOfRangeException(name, seconds, $"{name} must be a positive finite number of seconds, got {seconds}.");
        double n = Math.Round(seconds * sampleRate);
        if (n < 1) throw new ArgumentOutOfRangeException(name, seconds, $"{name} = {seconds} s is shorter than one sample at {sampleRate} Hz.");
        if (n > int.MaxValue) throw new ArgumentOutOfRangeException(name, seconds, $"{name} = {seconds} s is too long at {sampleRate} Hz.");
        return (int)n;
    }
}
