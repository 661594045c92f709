namespace Affetto.Audio.Transforms;

/// <summary>
/// Window functions. <c>periodic = true</c> (default) is scipy's <c>get_window(name, N, fftbins=True)</c>, which
/// librosa uses for every STFT: the symmetric window of N + 1 points with the last point dropped.
/// </summary>
public static class Windows
{
    /// <summary>Creates a window of <paramref name="length"/> samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is less than 1 or the type is unknown.</exception>
    public static float[] Create(WindowType type, int length, bool periodic = true)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "Window length must be at least 1.");
        var w = new float[length];
        Fill(type, w, periodic);
        return w;
    }

    /// <summary>Fills <paramref name="destination"/> with the window (length = destination length).</summary>
    public static void Fill(WindowType type, Span<float> destination, bool periodic = true)
    {
        int n = destination.Length;
        if (n == 0) return;
        if (n == 1) { destination[0] = 1f; return; }
        double denom = periodic ? n : n - 1;
        for (int i = 0; i < n; i++)
        {
            double x = 2.0 * Math.PI * i / denom;
            destination[i] = type switch
            {
                WindowType.Hann => (float)(0.5 - 0.5 * Math.Cos(x)),
                WindowType.Hamming => (float)(0.54 - 0.46 * Math.Cos(x)),
                WindowType.Blackman => (float)(0.42 - 0.5 * Math.Cos(x) + 0.08 * Math.Cos(2 * x)),
                WindowType.Rectangular => 1f,
                _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown window type."),
            };
        }
    }

    /// <summary>
    /// Creates a window of <paramref name="winLength"/> samples centred in <paramref name="nFft"/> samples with
    /// zeros on both sides (librosa <c>util.pad_center</c>: left offset (nFft - winLength) / 2, floored).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">winLength is not in 1..nFft.</exception>
    public static float[] CreatePadded(WindowType type, int winLength, int nFft, bool periodic = true)
    {
        if (winLength < 1 || winLength > nFft)
            throw new ArgumentOutOfRangeException(nameof(winLength), winLength, $"winLength must be in 1..nFft ({nFft}).");
        var w = new float[nFft];
        Fill(type, w.AsSpan((nFft - winLength) / 2, winLength), periodic);
        return w;
    }
}
