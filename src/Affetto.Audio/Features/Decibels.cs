using System.Numerics.Tensors;

namespace Affetto.Audio.Features;

/// <summary>
/// librosa <c>power_to_db</c>: 10·log10(max(amin, S)) - 10·log10(max(amin, ref)), then, with topDb, values below
/// (max - topDb) are raised to it, the maximum taken over the whole input (as librosa and torchaudio's
/// AmplitudeToDB on a single 2-D spectrogram).
/// </summary>
public static class Decibels
{
    /// <summary>In-place power_to_db over a span (one spectrogram).</summary>
    /// <exception cref="ArgumentOutOfRangeException">amin is not positive, or topDb is negative.</exception>
    public static void PowerToDb(Span<float> values, DbReference reference = DbReference.One, float amin = 1e-10f, float? topDb = 80f)
    {
        if (!(amin > 0)) throw new ArgumentOutOfRangeException(nameof(amin), amin, "amin must be strictly positive.");
        if (topDb is float t && !(t >= 0)) throw new ArgumentOutOfRangeException(nameof(topDb), topDb, "topDb must be non-negative.");
        if (values.IsEmpty) return;
        float refValue = reference == DbReference.Max ? TensorPrimitives.Max(values) : 1f;
        float offset = 10f * MathF.Log10(MathF.Max(amin, refValue));
        TensorPrimitives.Max(values, amin, values);
        TensorPrimitives.Log10(values, values);
        TensorPrimitives.Multiply(values, 10f, values);
        if (offset != 0) TensorPrimitives.Subtract(values, offset, values);
        if (topDb is float top) TensorPrimitives.Max(values, TensorPrimitives.Max(values) - top, values);
    }

    /// <summary>Returns power_to_db of a matrix as a new matrix.</summary>
    public static FeatureMatrix PowerToDb(FeatureMatrix power, DbReference reference = DbReference.One, float amin = 1e-10f, float? topDb = 80f)
    {
        ArgumentNullException.ThrowIfNull(power);
        var r = new FeatureMatrix((float[])power.Data.Clone(), power.Rows, power.Columns);
        PowerToDb(r.Data, reference, amin, topDb);
        return r;
    }
}
