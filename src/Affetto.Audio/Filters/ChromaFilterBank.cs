using Affetto.Audio.Features;

namespace Affetto.Audio.Filters;

/// <summary>
/// Chroma filter bank as librosa <c>filters.chroma</c> (0.10): Gaussian bumps in log-frequency around each pitch
/// class (width twice the local bin spacing), each FFT column normalised by its norm across
/// chroma, weighted by a Gaussian over octaves (centre <c>ctroct</c>, half-width <c>octwidth</c>) and rotated so
/// row 0 is C when <c>baseC</c>. The DC bin is treated as 1.5 octaves below bin 1, as librosa does.
/// </summary>
public static class ChromaFilterBank
{
    /// <summary>Builds the [nChroma, 1 + nFft/2] weights.</summary>
    /// <param name="sampleRate">Sampling rate in Hz.</param>
    /// <param name="nFft">FFT size.</param>
    /// <param name="nChroma">Number of chroma bins (12).</param>
    /// <param name="tuning">Tuning deviation from A440 in fractions of a chroma bin (0).</param>
    /// <param name="ctroct">Centre of the octave weighting, in octaves above A440/16 (5.0, librosa).</param>
    /// <param name="octwidth">Gaussian half-width in octaves (2); null disables octave weighting.</param>
    /// <param name="norm">Column norm order: 2 (default), 1, or <see cref="double.PositiveInfinity"/>; 0 = none.</param>
    /// <param name="baseC">Start at C (true) instead of A.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static FeatureMatrix Create(int sampleRate, int nFft, int nChroma = 12, double tuning = 0.0, double ctroct = 5.0,
        double? octwidth = 2.0, double norm = 2.0, bool baseC = true)
    {
        if (sampleRate < 1) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sampleRate must be positive.");
        if (nFft < 2) throw new ArgumentOutOfRangeException(nameof(nFft), nFft, "nFft must be at least 2.");
        if (nChroma < 1) throw new ArgumentOutOfRangeException(nameof(nChroma), nChroma, "nChroma must be at least 1.");
        if (double.IsNaN(tuning) || double.IsInfinity(tuning)) throw new ArgumentOutOfRangeException(nameof(tuning), tuning, "tuning must be finite.");
        if (octwidth is double ow && !(ow > 0)) throw new ArgumentOutOfRangeException(nameof(octwidth), octwidth, "octwidth must be positive.");
        if (!(norm == 0 || norm == 1 || norm == 2 || double.IsPositiveInfinity(norm)))
            throw new ArgumentOutOfRangeException(nameof(norm), norm, "norm must be 0 (none), 1, 2 or +infinity.");

        // Bin frequencies (all nFft, not just the non-negative half), in chroma units: nChroma * log2(f / (A440 / 16)).
        double a440 = 440.0 * Math.Pow(2.0, tuning / nChroma);
        var frq = new double[nFft];
        for (int k = 1; k < nFft; k++) frq[k] = nChroma * Math.Log2((double)k * sampleRate / nFft / (a440 / 16.0));
        frq[0] = frq[1] - 1.5 * nChroma;
        var width = new double[nFft];
        for (int k = 0; k < nFft - 1; k++) width[k] = Math.Max(frq[k + 1] - frq[k], 1.0);
        width[nFft - 1] = 1.0;

        double half = Math.Round(nChroma / 2.0, MidpointRounding.ToEven);
        var wts = new double[nChroma, nFft];
        for (int k = 0; k < nFft; k++)
        {
            for (int c = 0; c < nChroma; c++)
            {
                double d = frq[k] - c + half + 10.0 * nChroma;
                d = d - nChroma * Math.Floor(d / nChroma) - half;   // numpy remainder (sign of divisor)
                double z = 2.0 * d / width[k];
                wts[c, k] = Math.Exp(-0.5 * z * z);
            }
            double nrm = 0;
            for (int c = 0; c < nChroma; c++)
            {
                double v = Math.Abs(wts[c, k]);
                if (norm == 1) nrm += v; else if (norm == 2) nrm += v * v; else if (double.IsPositiveInfinity(norm)) nrm = Math.Max(nrm, v);
            }
            if (norm == 2) nrm = Math.Sqrt(nrm);
            // librosa util.normalize leaves columns whose norm is below tiny untouched.
            if (norm != 0 && nrm >= 2.2250738585072014e-308)
                for (int c = 0; c < nChroma; c++) wts[c, k] /= nrm;
            if (octwidth is double w)
            {
                double o = (frq[k] / nChroma - ctroct) / w;
                double g = Math.Exp(-0.5 * o * o);
                for (int c = 0; c < nChroma; c++) wts[c, k] *= g;
            }
        }
        int bins = nFft / 2 + 1;
        int shift = baseC ? 3 * (nChroma / 12) : 0;   // np.roll(wts, -shift, axis=0): new row c = old row c + shift
        var result = new FeatureMatrix(nChroma, bins);
        for (int c = 0; c < nChroma; c++)
        {
            int src = ((c + shift) % nChroma + nChroma) % nChroma;
            for (int k = 0; k < bins; k++) result.Data[c * bins + k] = (float)wts[src, k];
        }
        return result;
    }
}
