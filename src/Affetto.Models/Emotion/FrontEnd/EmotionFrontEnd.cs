using Affetto.Audio.Effects;
using Affetto.Audio.Features;

namespace Affetto.Models.Emotion.FrontEnd;

/// <summary>
/// Turns mono samples at <see cref="FrontEndSettings.SampleRate"/> into model inputs; the one code path used by
/// training and inference.
/// </summary>
/// <remarks>
/// <para>Segments: windows of SegmentSeconds every HopSeconds (<see cref="Segmenter"/>, partial last window dropped);
/// a clip shorter than one segment is zero-padded to exactly one segment.</para>
/// <para>Per segment: the image (<see cref="SpectrogramKind"/>; decibels for Stft and
/// LogMel) and, when enabled, the summary feature vector of that segment alone (<see cref="SummaryFeatures"/>, librosa
/// default frames; a non-finite value, e.g. from a silent segment, becomes 0). Features are per segment, not per
/// track, so that every segment is a complete training example and track predictions are the mean of segment
/// probabilities as for images.</para>
/// <para>Normalisation (when the settings hold statistics): image rows (x - mean[row]) / std[row]; features
/// (x - mean[col]) / std[col]. The result is deterministic. Instances are not thread-safe: use one per thread.</para>
/// <para>Settings with <see cref="FrontEndSettings.Views"/> compute each distinct view with its own front end and return
/// a batch holding only the segments' count and start times, with the views' batches in <see cref="SegmentBatch.Views"/>.</para>
/// </remarks>
public sealed class EmotionFrontEnd
{
    private readonly FeatureExtractor? _fx;
    private readonly Audio.Features.SpectrogramOptions _summaryOptions;
    private float[] _segment = [];

    // With views: one front end per distinct view, and which of them serves each view.
    private readonly EmotionFrontEnd[]? _distinctViews;
    private readonly int[]? _viewOf;

    /// <summary>Creates a front end.</summary>
    /// <exception cref="ArgumentException">Invalid settings.</exception>
    public EmotionFrontEnd(FrontEndSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.ThrowIfInvalid();
        Settings = settings;
        if (settings.UseSpectrogram) _fx = new FeatureExtractor(settings.ToSpectrogramOptions(), onWarning: _ => { });
        _summaryOptions = settings.ToSummaryOptions();
        if (settings.Views is { } views)
        {
            var distinct = new List<FrontEndSettings>();
            _viewOf = new int[views.Length];
            for (int i = 0; i < views.Length; i++)
            {
                int j = distinct.FindIndex(d => d.ContentEquals(views[i]));
                if (j < 0) distinct.Add(views[i]);
                _viewOf[i] = j < 0 ? distinct.Count - 1 : j;
            }
            _distinctViews = distinct.Select(d => new EmotionFrontEnd(d)).ToArray();
        }
    }

    /// <summary>The settings.</summary>
    public FrontEndSettings Settings { get; }

    /// <summary>Image height H.</summary>
    public int Height => Settings.SpectrogramHeight;

    /// <summary>Image width W.</summary>
    public int Width => Settings.SpectrogramWidth;

    /// <summary>Summary feature count D.</summary>
    public int FeatureDim => Settings.FeatureDim;

    /// <summary>Number of segments of a clip of <paramref name="sampleCount"/> samples (at least 1 for a non-empty clip).</summary>
    public int SegmentCount(int sampleCount) =>
        sampleCount <= 0 ? 0 : Math.Max(1, Segmenter.Count(sampleCount, Settings.SampleRate, Settings.SegmentSeconds, Settings.HopSeconds));

    /// <summary>Raw segments, then normalisation: the model inputs of a clip.</summary>
    /// <exception cref="ArgumentException">The clip is empty.</exception>
    public SegmentBatch Compute(ReadOnlySpan<float> samples)
    {
        if (_distinctViews is not null) return OfViews(samples, static (f, y) => f.Compute(y));
        var batch = ComputeRaw(samples);
        Normalize(batch, Settings);
        return batch;
    }

    /// <summary>Segments, images and features without normalisation (what the training cache stores).</summary>
    /// <exception cref="ArgumentException">The clip is empty.</exception>
    public SegmentBatch ComputeRaw(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty) throw new ArgumentException("The clip has no samples.", nameof(samples));
        if (_distinctViews is not null) return OfViews(samples, static (f, y) => f.ComputeRaw(y));
        var s = Settings;
        int segLen = s.SegmentSamples;
        SegmentRange[] ranges = samples.Length < segLen
            ? [new SegmentRange(0, segLen)]
            : Segmenter.Ranges(samples.Length, s.SampleRate, s.SegmentSeconds, s.HopSeconds);
        int count = ranges.Length, h = Height, w = Width, d = FeatureDim;
        float[]? images = s.UseSpectrogram ? new float[(long)count * h * w > int.MaxValue ? throw new ArgumentException("The clip is too long for one batch.", nameof(samples)) : count * h * w] : null;
        float[]? features = s.UseSummaryFeatures ? new float[count * d] : null;
        var starts = new double[count];
        if (_segment.Length != segLen) _segment = new float[segLen];
        for (int i = 0; i < count; i++)
        {
            Segmenter.CopySegment(samples, ranges[i], _segment);
            starts[i] = ranges[i].Start / (double)s.SampleRate;
            if (images is not null) Image(_segment, images.AsSpan(i * h * w, h * w));
            if (features is not null)
            {
                float[] f = SummaryFeatures.Compute(_segment, _summaryOptions, s.ExtendedSummaryFeatures);
                for (int j = 0; j < d; j++) features[i * d + j] = float.IsFinite(f[j]) ? f[j] : 0f;
            }
        }
        return new SegmentBatch(count, h, w, d, images, features, starts);
    }

    private delegate SegmentBatch ViewComputation(EmotionFrontEnd frontEnd, ReadOnlySpan<float> samples);

    // Every distinct view once; the result carries the segments' count and start times and each view's batch.
    private SegmentBatch OfViews(ReadOnlySpan<float> samples, ViewComputation compute)
    {
        var distinct = new SegmentBatch[_distinctViews!.Length];
        for (int i = 0; i < distinct.Length; i++) distinct[i] = compute(_distinctViews[i], samples);
        var first = distinct[0];
        return new SegmentBatch(first.Count, 0, 0, 0, null, null, first.StartSeconds.ToArray()) { Views = _viewOf!.Select(j => distinct[j]).ToArray() };
    }

    private void Image(float[] segment, Span<float> destination)
    {
        var s = Settings;
        FeatureMatrix m = s.Feature == SpectrogramKind.Stft ? _fx!.Spectrogram(segment) : _fx!.MelSpectrogram(segment);
        if (m.Rows != s.FullSpectrogramHeight || m.Columns != Width)
            throw new InvalidOperationException($"Spectrogram is {m.Rows}x{m.Columns}, expected {s.FullSpectrogramHeight}x{Width}.");
        if (s.Feature != SpectrogramKind.Mel) Decibels.PowerToDb(m.Data, DbReference.One, 1e-10f, s.TopDb);
        if (s.KeptRows is not { } kept)
        {
            m.Data.AsSpan().CopyTo(destination);
            return;
        }
        for (int i = 0; i < kept.Length; i++) m.Row(kept[i]).CopyTo(destination.Slice(i * Width, Width));
    }

    /// <summary>Normalises a raw batch in place with the statistics in <paramref name="settings"/> (no-op where they are null).</summary>
    public static void Normalize(SegmentBatch batch, FrontEndSettings settings)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Views is { } views && batch.Views is { } batches)
        {
            // Identical views share one batch: normalise each batch once.
            var done = new HashSet<SegmentBatch>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < views.Length && i < batches.Count; i++)
                if (done.Add(batches[i])) Normalize(batches[i], views[i]);
            return;
        }
        if (batch.Spectrograms is not null && settings.SpectrogramMean is { } mean && settings.SpectrogramStd is { } std)
            NormalizeImages(batch.Spectrograms, batch.Count, batch.Height, batch.Width, mean, std);
        if (batch.Features is not null && settings.FeatureMean is { } fm && settings.FeatureStd is { } fs)
            NormalizeRows(batch.Features, batch.Count, batch.FeatureDim, fm, fs);
    }

    /// <summary>(x - mean[row]) / std[row] over <paramref name="count"/> images of [height, width].</summary>
    public static void NormalizeImages(Span<float> images, int count, int height, int width, ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        if (mean.Length != height || std.Length != height)
            throw new ArgumentException($"Statistics have {mean.Length}/{std.Length} rows but images have {height}.");
        for (int i = 0; i < count; i++)
            for (int r = 0; r < height; r++)
            {
                var row = images.Slice((i * height + r) * width, width);
                float m = mean[r], inv = 1f / std[r];
                for (int c = 0; c < row.Length; c++) row[c] = (row[c] - m) * inv;
            }
    }

    /// <summary>(x - mean[col]) / std[col] over <paramref name="count"/> rows of <paramref name="dim"/> values.</summary>
    public static void NormalizeRows(Span<float> rows, int count, int dim, ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        if (mean.Length != dim || std.Length != dim)
            throw new ArgumentException($"Statistics have {mean.Length}/{std.Length} columns but rows have {dim}.");
        for (int i = 0; i < count; i++)
        {
            var row = rows.Slice(i * dim, dim);
            for (int j = 0; j < dim; j++) row[j] = (row[j] - mean[j]) / std[j];
        }
    }
}
