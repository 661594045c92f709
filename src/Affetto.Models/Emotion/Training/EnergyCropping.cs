using Affetto.Audio.Features;
using Affetto.Models.Emotion.FrontEnd;
using Affetto.Models.Emotion.Studies;

namespace Affetto.Models.Emotion.Training;

/// <summary>
/// The seed paper's energy crop applied to a whole training table: the frequency rows that reach
/// <c>threshold</c> of their segment's maximum magnitude in at least a share of the segments are kept (<see cref="DatasetEnergyCrop"/>),
/// every other row is dropped from every image, and the front end records the kept rows so inference crops the same way.
/// The crop looks only at energy, never at labels, so it is fitted once on all original segments of the table.
/// </summary>
public static class EnergyCropping
{
    /// <summary>Fits the crop on <paramref name="table"/> and returns the cropped table and front end.</summary>
    /// <param name="table">A table of uncropped decibel (stft, logmel) or power (mel) images.</param>
    /// <param name="settings">The front end that made it (without a crop).</param>
    /// <param name="threshold">Fraction of the segment's maximum magnitude, in (0, 1].</param>
    /// <param name="minShare">Share of the segments in which a row must reach the threshold, in [0, 1) (0 = any segment).</param>
    /// <exception cref="ArgumentException">The settings already crop, the table has no images, or the threshold is out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minShare"/> is outside [0, 1).</exception>
    public static (SegmentTable Table, FrontEndSettings Settings) Apply(SegmentTable table, FrontEndSettings settings, float threshold, double minShare = 0)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(settings);
        if (!(threshold > 0 && threshold <= 1)) throw new ArgumentException($"The crop threshold must be in (0, 1] (got {threshold}).", nameof(threshold));
        if (settings.KeptRows is not null) throw new ArgumentException("The front end is already cropped.", nameof(settings));
        if (table.Images is null) throw new ArgumentException("The table has no spectrograms to crop.", nameof(table));
        var crop = DatasetEnergyCrop.Fit(Magnitudes(table, settings.Feature == SpectrogramKind.Mel), threshold, minShare);
        int[] rows = crop.KeptRows.ToArray();
        return (table.SelectRows(rows), settings with { KeptRows = rows, CropThreshold = threshold });
    }

    // Magnitudes of the original segments, rebuilt from the stored images: |X| = 10^(dB/20) for decibel images of power,
    // sqrt(power) for mel power images. Only ratios to each segment's maximum matter, so the dB reference cancels.
    private static IEnumerable<FeatureMatrix> Magnitudes(SegmentTable table, bool power)
    {
        var m = new FeatureMatrix(table.Height, table.Width);
        for (int track = 0; track < table.TrackIds.Count; track++)
        {
            foreach (int segment in table.SegmentsOf(track))
            {
                var image = table.Images.AsSpan(segment * table.ImageSize, table.ImageSize);
                for (int i = 0; i < image.Length; i++)
                    m.Data[i] = power ? MathF.Sqrt(Math.Max(0f, image[i])) : MathF.Pow(10f, image[i] / 20f);
                yield return m;
            }
        }
    }
}
