namespace Affetto.Audio.Tests.Effects;

internal static class EffectsTestSignals
{
    public static float[] Sine(double freq, int sampleRate, int length, double amplitude = 0.5)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * freq * i / sampleRate));
        return x;
    }

    public static float[] Noise(int seed, int length, double amplitude = 0.3)
    {
        var r = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(amplitude * (2 * r.NextDouble() - 1));
        return x;
    }

    public static double Power(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (float v in x) s += (double)v * v;
        return s / x.Length;
    }

    /// <summary>Frequency of the strongest DFT peak (Hann window, parabolic interpolation on log magnitude) near a guess.</summary>
    public static double PeakFrequency(ReadOnlySpan<float> x, int sampleRate, double fLo, double fHi)
    {
        int n = x.Length;
        var w = new double[n];
        for (int i = 0; i < n; i++) w[i] = x[i] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n));
        double Mag(double f)
        {
            // Correlate with a unit phasor advanced by complex multiplication (renormalised now and then).
            double step = 2 * Math.PI * f / sampleRate, cr = Math.Cos(step), ci = -Math.Sin(step);
            double pr = 1, pi = 0, re = 0, im = 0;
            for (int i = 0; i < n; i++)
            {
                re += w[i] * pr;
                im += w[i] * pi;
                double t = pr * cr - pi * ci;
                pi = pr * ci + pi * cr;
                pr = t;
                if ((i & 1023) == 1023)
                {
                    double norm = Math.Sqrt(pr * pr + pi * pi);
                    pr /= norm;
                    pi /= norm;
                }
            }
            return Math.Sqrt(re * re + im * im);
        }

        double df = (double)sampleRate / n; // one bin
        double bestF = fLo, best = -1;
        for (double f = fLo; f <= fHi; f += df / 2)
        {
            double m = Mag(f);
            if (m > best) { best = m; bestF = f; }
        }
        // Golden-section refinement around the coarse peak.
        double a = bestF - df / 2, b = bestF + df / 2;
        for (int it = 0; it < 30; it++)
        {
            double c = b - (b - a) / 1.618033988749895, d = a + (b - a) / 1.618033988749895;
            if (Mag(c) > Mag(d)) b = d; else a = c;
        }
        return (a + b) / 2;
    }
}
