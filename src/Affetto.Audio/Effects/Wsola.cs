using System.Numerics.Tensors;

namespace Affetto.Audio.Effects;

/// <summary>
/// Waveform-similarity overlap-add (WSOLA) time-scale modification: changes duration, keeps pitch.
/// </summary>
/// <remarks>
/// Output frames of W samples (about 46 ms) are laid every W/2 samples with a periodic Hann window, which sums to
/// one. Frame k is read from the input near k·(W/2)·rate; the exact read position is shifted by up to ±W/4 samples
/// to the position whose waveform best matches (normalised cross-correlation) the natural continuation of the
/// previous frame, so consecutive frames add in phase and no phasiness or clicks appear.
/// </remarks>
internal static class Wsola
{
    public static float[] Stretch(ReadOnlySpan<float> input, int sampleRate, double rate)
    {
        int outLen = (int)Math.Round(input.Length / rate);
        var output = new float[outLen];
        if (outLen == 0 || input.IsEmpty) return output;

        int w = Math.Max(32, 2 * (int)Math.Round(0.023 * sampleRate));
        int hs = w / 2;
        int tol = Math.Max(1, w / 4);
        int pad = w + tol + (int)Math.Ceiling(hs * Math.Max(rate, 1.0)) + 2;

        // Zero-padded copy so that reads before the start and past the end need no bounds checks.
        var x = new float[input.Length + 2 * pad];
        input.CopyTo(x.AsSpan(pad));
        // Prefix sums of squares give each candidate's energy in O(1).
        var energy = new double[x.Length + 1];
        for (int i = 0; i < x.Length; i++) energy[i + 1] = energy[i] + (double)x[i] * x[i];

        var window = new float[w];
        for (int n = 0; n < w; n++) window[n] = (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * n / w));

        var acc = new double[outLen];
        var wsum = new double[outLen];
        int prev = 0;
        for (int k = 0; (long)k * hs - w / 2 < outLen; k++)
        {
            int outStart = k * hs - w / 2;
            int nominal = pad + (int)Math.Round(k * hs * rate) - w / 2;
            int chosen = nominal;
            if (k > 0)
            {
                ReadOnlySpan<float> template = x.AsSpan(prev + hs, w);
                double best = double.NegativeInfinity;
                for (int d = -tol; d <= tol; d++)
                {
                    int s = nominal + d;
                    if (s < 0 || s + w > x.Length) continue;
                    double e = energy[s + w] - energy[s];
                    double c = TensorPrimitives.Dot(template, x.AsSpan(s, w)) / Math.Sqrt(e + 1e-12);
                    if (c > best)
                    {
                        best = c;
                        chosen = s;
                    }
                }
            }

            for (int n = 0; n < w; n++)
            {
                int o = outStart + n;
                if ((uint)o >= (uint)outLen) continue;
                acc[o] += window[n] * x[chosen + n];
                wsum[o] += window[n];
            }
            prev = chosen;
        }

        for (int i = 0; i < outLen; i++) output[i] = wsum[i] > 1e-9 ? (float)(acc[i] / wsum[i]) : 0f;
        return output;
    }
}
