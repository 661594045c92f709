using Affetto.Audio.Features;

namespace Affetto.Audio.Filters;

/// <summary>DCT matrices for MFCC.</summary>
public static class DctMatrix
{
    /// <summary>
    /// Orthonormal DCT-II basis [nOutput, nInput] (scipy <c>dct(type=2, norm='ortho')</c>, as librosa <c>mfcc</c> uses):
    /// D[k, n] = s_k·cos(π k (2n + 1) / (2 nInput)), s_0 = √(1/nInput), s_k = √(2/nInput).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">nOutput or nInput &lt; 1, or nOutput &gt; nInput.</exception>
    public static FeatureMatrix CreateOrthonormal(int nOutput, int nInput)
    {
        if (nInput < 1) throw new ArgumentOutOfRangeException(nameof(nInput), nInput, "nInput must be at least 1.");
        if (nOutput < 1 || nOutput > nInput) throw new ArgumentOutOfRangeException(nameof(nOutput), nOutput, $"nOutput must be in 1..nInput ({nInput}).");
        var m = new FeatureMatrix(nOutput, nInput);
        for (int k = 0; k < nOutput; k++)
        {
            double s = Math.Sqrt((k == 0 ? 1.0 : 2.0) / nInput);
            for (int n = 0; n < nInput; n++) m.Data[k * nInput + n] = (float)(s * Math.Cos(Math.PI * k * (2 * n + 1) / (2.0 * nInput)));
        }
        return m;
    }
}
