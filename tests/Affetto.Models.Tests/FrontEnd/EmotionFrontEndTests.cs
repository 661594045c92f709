using System.Text.Json;
using Affetto.Audio.Effects;
using Affetto.Audio.Features;
using Affetto.Audio.Filters;
using Affetto.Models.Emotion.FrontEnd;

namespace Affetto.Models.Tests.FrontEnd;

public class EmotionFrontEndTests
{
    private const int Rate = 8000;

    private static FrontEndSettings Settings(SpectrogramKind kind = SpectrogramKind.Stft, double segment = 0.5, double hop = 0.25) => new()
    {
        SampleRate = Rate,
        SegmentSeconds = segment,
        HopSeconds = hop,
        Feature = kind,
        NFft = 256,
        HopLength = 128,
        NMels = 32,
    };

    /// <summary>A chirp with noise: every segment differs.</summary>
    private static float[] Signal(double seconds, int seed = 1)
    {
        var rng = new Random(seed);
        var y = new float[(int)Math.Round(seconds * Rate)];
        for (int i = 0; i < y.Length; i++)
        {
            double t = i / (double)Rate;
            y[i] = (float)(0.5 * Math.Sin(2 * Math.PI * (300 + 400 * t) * t) + 0.05 * (rng.NextDouble() * 2 - 1));
        }
        return y;
    }

    private static float[] Segment(float[] y, int start, int length)
    {
        var s = new float[length];
        y.AsSpan(start, Math.Min(length, y.Length - start)).CopyTo(s);
        return s;
    }

    // ---- segments ----

    public static TheoryData<double, double, double> SegmentCases() => new()
    {
        { 3.0, 0.5, 0.25 },
        { 3.1, 0.5, 0.5 },
        { 2.0, 0.5, 0.75 },   // hop longer than the segment
        { 0.5, 0.5, 0.25 },   // exactly one segment
        { 1.23, 1.0, 0.1 },
    };

    [Theory]
    [MemberData(nameof(SegmentCases))]
    public void Compute_SegmentCountAndStartTimes_FollowTheSegmenter(double seconds, double segment, double hop)
    {
        var settings = Settings(segment: segment, hop: hop);
        var y = Signal(seconds);
        var fe = new EmotionFrontEnd(settings);
        var batch = fe.Compute(y);
        var ranges = Segmenter.Ranges(y.Length, Rate, segment, hop);
        Assert.Equal(ranges.Length, batch.Count);
        Assert.Equal(Segmenter.Count(y.Length, Rate, segment, hop), fe.SegmentCount(y.Length));
        Assert.Equal(ranges.Select(r => r.Start / (double)Rate).ToArray(), batch.StartSeconds);
        Assert.Equal(batch.Count * fe.Height * fe.Width, batch.Spectrograms!.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(3999)]
    public void Compute_ClipShorterThanASegment_IsZeroPaddedToOneSegment(int samples)
    {
        var settings = Settings();
        var y = Signal(samples / (double)Rate)[..samples];
        var fe = new EmotionFrontEnd(settings);
        var batch = fe.ComputeRaw(y);
        Assert.Equal(1, batch.Count);
        Assert.Equal(1, fe.SegmentCount(samples));
        Assert.Equal([0.0], batch.StartSeconds);
        var padded = Segment(y, 0, settings.SegmentSamples);
        var expected = new FeatureExtractor(settings.ToSpectrogramOptions()).Spectrogram(padded);
        Decibels.PowerToDb(expected.Data, DbReference.One, 1e-10f, settings.TopDb);
        Assert.Equal(expected.Data, batch.Spectrograms!);
    }

    [Fact]
    public void Compute_EmptyClip_ThrowsAndCountsZeroSegments()
    {
        var fe = new EmotionFrontEnd(Settings());
        Assert.Equal(0, fe.SegmentCount(0));
        Assert.Throws<ArgumentException>(() => fe.Compute([]));
    }

    // ---- images ----

    public static TheoryData<SpectrogramKind, int> Kinds() => new()
    {
        { SpectrogramKind.Stft, 129 },
        { SpectrogramKind.Mel, 32 },
        { SpectrogramKind.LogMel, 32 },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Image_HasTheSettingsShape(SpectrogramKind kind, int height)
    {
        var settings = Settings(kind);
        var fe = new EmotionFrontEnd(settings);
        var batch = fe.Compute(Signal(1.0));
        int width = 1 + 4000 / 128;
        Assert.Equal((height, width), (settings.SpectrogramHeight, settings.SpectrogramWidth));
        Assert.Equal((height, width), (batch.Height, batch.Width));
        Assert.Equal((height, width), (fe.Height, fe.Width));
        Assert.Equal(height * width, batch.Image(2).Length);
        Assert.Null(batch.Features);
        Assert.Equal(0, batch.FeatureDim);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Image_EqualsTheFeatureExtractorOnThatSegment_PlusDecibels(SpectrogramKind kind, int height)
    {
        _ = height;
        var settings = Settings(kind);
        var y = Signal(1.5, seed: 4);
        var batch = new EmotionFrontEnd(settings).ComputeRaw(y);
        var fx = new FeatureExtractor(settings.ToSpectrogramOptions());
        var ranges = Segmenter.Ranges(y.Length, Rate, settings.SegmentSeconds, settings.HopSeconds);
        for (int i = 0; i < batch.Count; i += 2)
        {
            var seg = Segment(y, ranges[i].Start, ranges[i].Length);
            var expected = kind switch
            {
                SpectrogramKind.Stft => Decibels.PowerToDb(fx.Spectrogram(seg), DbReference.One, 1e-10f, settings.TopDb),
                SpectrogramKind.Mel => fx.MelSpectrogram(seg),
                _ => fx.LogMel(seg),
            };
            Assert.Equal(expected.Data, batch.Image(i).ToArray());
        }
    }

    [Fact]
    public void Image_LogMelIsTheMelImageInDecibels_AndTopDbClipsBelowTheSegmentMaximum()
    {
        var y = Signal(1.0, seed: 9);
        var mel = new EmotionFrontEnd(Settings(SpectrogramKind.Mel)).ComputeRaw(y);
        var logMel = new EmotionFrontEnd(Settings(SpectrogramKind.LogMel) with { TopDb = 30f }).ComputeRaw(y);
        for (int i = 0; i < mel.Count; i++)
        {
            var m = mel.Image(i).ToArray();
            var l = logMel.Image(i).ToArray();
            float top = l.Max();
            Assert.Equal(10 * Math.Log10(Math.Max(m.Max(), 1e-10)), top, 3);
            Assert.All(l, v => Assert.True(v >= top - 30f - 1e-4f));
            for (int k = 0; k < m.Length; k++)
                Assert.Equal(Math.Max(10 * Math.Log10(Math.Max(m[k], 1e-10)), top - 30), l[k], 3);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void KeptRows_ImageHoldsThoseRowsOfTheFullImage_InOrder(SpectrogramKind kind, int fullHeight)
    {
        int[] kept = [0, 3, 4, 10, fullHeight - 1];
        var full = Settings(kind);
        var cropped = full with { CropThreshold = 0.1f, KeptRows = kept };
        Assert.Empty(cropped.Validate());
        Assert.Equal(fullHeight, cropped.FullSpectrogramHeight);
        Assert.Equal(kept.Length, cropped.SpectrogramHeight);
        var y = Signal(1.0, seed: 2);
        var a = new EmotionFrontEnd(full).ComputeRaw(y);
        var b = new EmotionFrontEnd(cropped).ComputeRaw(y);
        Assert.Equal((a.Count, kept.Length, a.Width), (b.Count, b.Height, b.Width));
        for (int i = 0; i < a.Count; i++)
        {
            var fi = a.Image(i);
            var ci = b.Image(i);
            for (int r = 0; r < kept.Length; r++)
                Assert.True(fi.Slice(kept[r] * a.Width, a.Width).SequenceEqual(ci.Slice(r * a.Width, a.Width)), $"segment {i}, kept row {r}");
        }
    }

    // ---- normalisation ----

    [Fact]
    public void Compute_WithStatistics_IsRawMinusMeanOverStd_PerRowAndPerFeature()
    {
        var raw = Settings(SpectrogramKind.LogMel) with { UseSummaryFeatures = true };
        var rng = new Random(7);
        var mean = Enumerable.Range(0, 32).Select(_ => (float)(rng.NextDouble() * 40 - 60)).ToArray();
        var std = Enumerable.Range(0, 32).Select(_ => (float)(rng.NextDouble() * 10 + 1)).ToArray();
        var fMean = Enumerable.Range(0, 26).Select(_ => (float)(rng.NextDouble() * 100)).ToArray();
        var fStd = Enumerable.Range(0, 26).Select(_ => (float)(rng.NextDouble() * 5 + 0.5)).ToArray();
        var withStats = raw with { SpectrogramMean = mean, SpectrogramStd = std, FeatureMean = fMean, FeatureStd = fStd };
        var y = Signal(1.2, seed: 5);
        var r = new EmotionFrontEnd(raw).Compute(y);
        var n = new EmotionFrontEnd(withStats).Compute(y);
        Assert.Equal(r.StartSeconds, n.StartSeconds);
        for (int i = 0; i < r.Count; i++)
        {
            var ri = r.Image(i);
            var ni = n.Image(i);
            for (int row = 0; row < 32; row++)
                for (int c = 0; c < r.Width; c++)
                {
                    float expected = (ri[row * r.Width + c] - mean[row]) / std[row];
                    Assert.Equal(expected, ni[row * r.Width + c], 1e-5f * Math.Max(1, Math.Abs(expected)));
                }
            var rf = r.FeatureRow(i);
            var nf = n.FeatureRow(i);
            for (int j = 0; j < 26; j++)
                Assert.Equal((rf[j] - fMean[j]) / fStd[j], nf[j]);
        }
        // ComputeRaw ignores the statistics.
        Assert.Equal(r.Spectrograms, new EmotionFrontEnd(withStats).ComputeRaw(y).Spectrograms);
    }

    [Fact]
    public void Normalize_WithoutStatistics_LeavesTheBatchAlone_AndWrongLengthsThrow()
    {
        var settings = Settings();
        var batch = new EmotionFrontEnd(settings).ComputeRaw(Signal(1.0));
        var copy = (float[])batch.Spectrograms!.Clone();
        EmotionFrontEnd.Normalize(batch, settings);
        Assert.Equal(copy, batch.Spectrograms);
        Assert.Throws<ArgumentException>(() => EmotionFrontEnd.NormalizeImages(new float[12], 1, 3, 4, new float[2], new float[3]));
        Assert.Throws<ArgumentException>(() => EmotionFrontEnd.NormalizeRows(new float[6], 2, 3, new float[3], new float[4]));
    }

    [Fact]
    public void NormalizeImages_AndRows_OnSmallKnownValues()
    {
        float[] images = [1, 2, 3, 4, 5, 6, 7, 8]; // 2 images of [2 rows, 2 columns]
        EmotionFrontEnd.NormalizeImages(images, 2, 2, 2, [1f, 3f], [2f, 0.5f]);
        Assert.Equal([0f, 0.5f, 0f, 2f, 2f, 2.5f, 8f, 10f], images);
        float[] rows = [1, 10, 3, 30];
        EmotionFrontEnd.NormalizeRows(rows, 2, 2, [1f, 10f], [2f, 5f]);
        Assert.Equal([0f, 0f, 1f, 4f], rows);
    }

    // ---- summary features ----

    [Theory]
    [InlineData(false, 26)]
    [InlineData(true, 69)]
    public void Features_EqualSummaryFeaturesOfEachSegment(bool extended, int dim)
    {
        // Extended features need a rate above 12.8 kHz (spectral contrast's bands).
        var settings = Settings() with { SampleRate = 16000, UseSpectrogram = false, UseSummaryFeatures = true, ExtendedSummaryFeatures = extended, SegmentSeconds = 1, HopSeconds = 0.5 };
        var y = Signal(4.4, seed: 6); // 2.2 s at 16 kHz
        var fe = new EmotionFrontEnd(settings);
        var batch = fe.ComputeRaw(y);
        Assert.Equal(dim, fe.FeatureDim);
        Assert.Equal(dim, batch.FeatureDim);
        Assert.Null(batch.Spectrograms);
        Assert.Throws<InvalidOperationException>(() => batch.Image(0).Length);
        var ranges = Segmenter.Ranges(y.Length, 16000, 1, 0.5);
        Assert.Equal(3, batch.Count);
        Assert.Equal(ranges.Length, batch.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            var expected = SummaryFeatures.Compute(Segment(y, ranges[i].Start, ranges[i].Length), settings.ToSummaryOptions(), extended);
            Assert.Equal(expected.Select(v => float.IsFinite(v) ? v : 0f).ToArray(), batch.FeatureRow(i).ToArray());
        }
    }

    [Fact]
    public void Features_OfASilentClip_AreFinite()
    {
        var settings = Settings() with { SampleRate = 16000, UseSummaryFeatures = true, ExtendedSummaryFeatures = true };
        var batch = new EmotionFrontEnd(settings).Compute(new float[16000]);
        Assert.All(batch.Features!, v => Assert.True(float.IsFinite(v)));
        Assert.All(batch.Spectrograms!, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Compute_IsDeterministic_AcrossCallsAndInstances()
    {
        var settings = Settings(SpectrogramKind.LogMel) with { UseSummaryFeatures = true };
        var y = Signal(1.3);
        var fe = new EmotionFrontEnd(settings);
        var a = fe.Compute(y);
        var b = fe.Compute(y);
        var c = new EmotionFrontEnd(settings).Compute(y);
        Assert.Equal(a.Spectrograms, b.Spectrograms);
        Assert.Equal(a.Spectrograms, c.Spectrograms);
        Assert.Equal(a.Features, c.Features);
    }

    // ---- settings: raw key, JSON, validation ----

    public static TheoryData<string, Func<FrontEndSettings, FrontEndSettings>> RawChanges() => new()
    {
        { "sample_rate", s => s with { SampleRate = 16000 } },
        { "segment_seconds", s => s with { SegmentSeconds = 1 } },
        { "hop_seconds", s => s with { HopSeconds = 0.5 } },
        { "use_spectrogram", s => s with { UseSpectrogram = false, UseSummaryFeatures = true } },
        { "feature", s => s with { Feature = SpectrogramKind.LogMel } },
        { "n_fft", s => s with { NFft = 512 } },
        { "hop_length", s => s with { HopLength = 64 } },
        { "win_length", s => s with { WinLength = 200 } },
        { "n_mels", s => s with { NMels = 40 } },
        { "f_min", s => s with { FMin = 30 } },
        { "f_max", s => s with { FMax = 3000 } },
        { "htk", s => s with { Htk = true } },
        { "norm", s => s with { Norm = MelNorm.None } },
        { "top_db", s => s with { TopDb = 60f } },
        { "top_db null", s => s with { TopDb = null } },
        { "power", s => s with { Power = 1f } },
        { "use_summary_features", s => s with { UseSummaryFeatures = true } },
        { "extended", s => s with { SampleRate = 16000, UseSummaryFeatures = true, ExtendedSummaryFeatures = true } },
        { "crop_threshold", s => s with { CropThreshold = 0.1f } },
        { "kept_rows", s => s with { KeptRows = [1, 2, 3] } },
        { "kept_rows other", s => s with { KeptRows = [1, 2, 4] } },
    };

    [Theory]
    [MemberData(nameof(RawChanges))]
    public void RawKey_ChangesWithEveryRawSetting(string name, Func<FrontEndSettings, FrontEndSettings> change)
    {
        var baseline = Settings();
        var changed = change(baseline);
        Assert.Empty(changed.Validate());
        Assert.NotEqual(baseline.RawKey(), changed.RawKey());
        Assert.Matches("^[0-9a-f]{16}$", changed.RawKey());
        _ = name;
    }

    [Fact]
    public void RawKey_AllRawChangesGiveDistinctKeys_AndStatisticsChangeNothing()
    {
        var baseline = Settings();
        var keys = RawChanges().Select(row => ((Func<FrontEndSettings, FrontEndSettings>)row[1])(baseline).RawKey()).Append(baseline.RawKey()).ToArray();
        Assert.Equal(keys.Length, keys.Distinct().Count());
        var withStats = baseline with
        {
            SpectrogramMean = Enumerable.Repeat(1f, 129).ToArray(),
            SpectrogramStd = Enumerable.Repeat(2f, 129).ToArray(),
        };
        Assert.Equal(baseline.RawKey(), withStats.RawKey());
        var features = baseline with { UseSummaryFeatures = true };
        Assert.Equal(features.RawKey(), (features with { FeatureMean = new float[26], FeatureStd = Enumerable.Repeat(1f, 26).ToArray() }).RawKey());
    }

    [Fact]
    public void Json_RoundTripsEverySetting_WithSnakeCaseKeys()
    {
        var s = new FrontEndSettings
        {
            SampleRate = 16000, SegmentSeconds = 1.5, HopSeconds = 0.75, Feature = SpectrogramKind.LogMel, NFft = 1024, HopLength = 320,
            WinLength = 800, NMels = 48, FMin = 20.5, FMax = 7000, Htk = true, Norm = MelNorm.None, TopDb = null, Power = 1.5f,
            UseSummaryFeatures = true, ExtendedSummaryFeatures = true, CropThreshold = 0.15f, KeptRows = Enumerable.Range(2, 40).ToArray(),
            SpectrogramMean = Enumerable.Range(0, 40).Select(i => i * 0.1f - 2.3f).ToArray(),
            SpectrogramStd = Enumerable.Range(0, 40).Select(i => 1f / (i + 3)).ToArray(),
            FeatureMean = Enumerable.Range(0, 69).Select(i => MathF.PI * i).ToArray(),
            FeatureStd = Enumerable.Range(0, 69).Select(i => 1e-3f + i).ToArray(),
        };
        string json = s.ToJson();
        var back = FrontEndSettings.FromJson(json);
        Assert.True(s.ContentEquals(back));
        Assert.Equal(s.SpectrogramMean, back.SpectrogramMean);
        Assert.Equal(s.FeatureStd, back.FeatureStd);
        Assert.Equal(s.KeptRows, back.KeptRows);
        Assert.True((s with { SpectrogramMean = null, SpectrogramStd = null, FeatureMean = null, FeatureStd = null })
            .ContentEquals(back.WithoutStatistics()));
        Assert.Null(back.WithoutStatistics().SpectrogramMean);
        using var doc = JsonDocument.Parse(json);
        var keys = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("sample_rate", keys);
        Assert.Contains("segment_seconds", keys);
        Assert.Contains("n_fft", keys);
        Assert.Contains("spectrogram_mean", keys);
        Assert.Contains("kept_rows", keys);
        Assert.DoesNotContain("segment_samples", keys);   // derived values are not stored
        Assert.DoesNotContain("feature_dim", keys);
        Assert.Equal("log_mel", doc.RootElement.GetProperty("feature").GetString());
    }

    [Fact]
    public void Views_RoundTripThroughJson_AndAreValidated()
    {
        var a = Settings(SpectrogramKind.LogMel);
        var b = a with { NMels = 16 };
        var composite = FrontEndSettings.Composite([a, b]);
        Assert.NotNull(composite.Views);
        Assert.Equal(0, composite.SpectrogramHeight);
        var back = FrontEndSettings.FromJson(composite.ToJson());
        Assert.True(back.ContentEquals(composite));
        Assert.Equal(16, back.Views![1].NMels);
        Assert.DoesNotContain("views", a.ToJson());

        string Problems(FrontEndSettings s) => string.Join(" ", s.Validate());
        Assert.Contains("View 1 cuts 1 s every 0.25 s", Problems(composite with { Views = [a, a with { SegmentSeconds = 1 }] }));
        Assert.Contains("View 0 has views of its own", Problems(composite with { Views = [composite, a] }));
        Assert.Contains("View 1: HopLength must be at least 1", Problems(composite with { Views = [a, a with { HopLength = 0 }] }));
        Assert.Contains("compute nothing themselves", Problems(composite with { UseSpectrogram = true }));
        Assert.Contains("at least one view", Problems(composite with { Views = [] }));
        Assert.Throws<ArgumentException>(() => FrontEndSettings.Composite([a, a with { HopSeconds = 0.5 }]));
    }

    [Fact]
    public void Json_MissingKeysTakeTheDefaults()
    {
        var s = FrontEndSettings.FromJson("{\"sample_rate\": 16000}");
        Assert.Equal(new FrontEndSettings { SampleRate = 16000 }, s);
    }

    public static TheoryData<string, string> BadJson() => new()
    {
        { "{not json", "" },
        { "null", "null" },
        { "{\"feature\": \"wavelet\"}", "" },
        { "{\"sample_rate\": 100}", "SampleRate must be at least 1000" },
        { "{\"spectrogram_mean\": [1, 2]}", "SpectrogramMean has 2 values but 257 are needed" },
    };

    [Theory]
    [MemberData(nameof(BadJson))]
    public void FromJson_BadText_ThrowsJsonException(string json, string message)
    {
        var e = Assert.ThrowsAny<JsonException>(() => FrontEndSettings.FromJson(json));
        Assert.Contains(message, e.Message);
    }

    public static TheoryData<string, Func<FrontEndSettings, FrontEndSettings>, string> BadSettings() => new()
    {
        { "rate", s => s with { SampleRate = 500 }, "SampleRate must be at least 1000" },
        { "segment 0", s => s with { SegmentSeconds = 0 }, "SegmentSeconds must be positive" },
        { "segment NaN", s => s with { SegmentSeconds = double.NaN }, "SegmentSeconds must be positive" },
        { "segment huge", s => s with { SegmentSeconds = 1e6 }, "SegmentSeconds (1000000) is too long" },
        { "segment < fft", s => s with { SegmentSeconds = 0.01 }, "shorter than one FFT window of 256 samples" },
        { "hop -1", s => s with { HopSeconds = -1 }, "HopSeconds must be positive" },
        { "hop infinite", s => s with { HopSeconds = double.PositiveInfinity }, "HopSeconds must be positive" },
        { "hop tiny", s => s with { HopSeconds = 1e-6 }, "HopSeconds (1E-06) is shorter than one sample" },
        { "no input", s => s with { UseSpectrogram = false }, "At least one of UseSpectrogram and UseSummaryFeatures" },
        { "kind", s => s with { Feature = (SpectrogramKind)7 }, "Feature 7 is not a known spectrogram kind" },
        { "hop length", s => s with { HopLength = 0 }, "HopLength must be at least 1" },
        { "crop > 1", s => s with { CropThreshold = 1.5f }, "CropThreshold must be in [0, 1]" },
        { "crop NaN", s => s with { CropThreshold = float.NaN }, "CropThreshold must be in [0, 1]" },
        { "n_fft", s => s with { NFft = 1 }, "NFft must be at least 2" },
        { "win", s => s with { WinLength = 1000 }, "WinLength must be in 1..NFft" },
        { "n_mels", s => s with { NMels = 0 }, "NMels must be at least 1" },
        { "f_max", s => s with { FMax = 9000 }, "must not exceed the Nyquist frequency" },
        { "power", s => s with { Power = 0 }, "Power must be positive" },
        { "top_db", s => s with { TopDb = -5 }, "TopDb must be finite and non-negative" },
        { "mean length", s => s with { SpectrogramMean = new float[3], SpectrogramStd = new float[3] }, "SpectrogramMean has 3 values but 129 are needed" },
        { "std zero", s => s with { SpectrogramMean = new float[129], SpectrogramStd = new float[129] }, "SpectrogramStd contains 0, which is not positive and finite" },
        { "mean NaN", s => s with { SpectrogramMean = Enumerable.Repeat(float.NaN, 129).ToArray(), SpectrogramStd = Enumerable.Repeat(1f, 129).ToArray() }, "SpectrogramMean contains NaN, which is not finite" },
        { "kept rows empty", s => s with { KeptRows = [] }, "KeptRows must keep at least one row" },
        { "kept rows order", s => s with { KeptRows = [3, 2] }, "KeptRows must be ascending row indices below 129 (got 2 at position 1)" },
        { "kept rows range", s => s with { KeptRows = [0, 129] }, "KeptRows must be ascending row indices below 129 (got 129 at position 1)" },
        { "mean vs kept rows", s => s with { KeptRows = [0, 1], SpectrogramMean = new float[129], SpectrogramStd = Enumerable.Repeat(1f, 129).ToArray() }, "SpectrogramMean has 129 values but 2 are needed" },
        { "mean alone", s => s with { SpectrogramMean = new float[129] }, "SpectrogramMean and SpectrogramStd must be both set or both null" },
        { "feature mean alone", s => s with { UseSummaryFeatures = true, FeatureMean = new float[26] }, "FeatureMean and FeatureStd must be both set or both null" },
        { "extended at 8 kHz", s => s with { UseSummaryFeatures = true, ExtendedSummaryFeatures = true }, "Extended summary features need a sample rate above 12800 Hz" },
        { "feature std length", s => s with { UseSummaryFeatures = true, FeatureMean = new float[26], FeatureStd = Enumerable.Repeat(1f, 69).ToArray() }, "FeatureStd has 69 values but 26 are needed" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Validate_ReportsEachBadSetting(string name, Func<FrontEndSettings, FrontEndSettings> change, string message)
    {
        _ = name;
        var bad = change(Settings());
        Assert.Contains(bad.Validate(), p => p.Contains(message));
        var e = Assert.Throws<ArgumentException>(() => bad.ThrowIfInvalid());
        Assert.Contains(message, e.Message);
        Assert.Throws<ArgumentException>(() => new EmotionFrontEnd(bad));
    }

    [Fact]
    public void Validate_GoodSettingsAndDefaults_HaveNoProblems_AndAllProblemsAreListedAtOnce()
    {
        Assert.Empty(new FrontEndSettings().Validate());
        Assert.Empty(Settings().Validate());
        var bad = Settings() with { SampleRate = 10, HopLength = 0, CropThreshold = -1 };
        var problems = bad.Validate();
        Assert.Contains(problems, p => p.Contains("SampleRate"));
        Assert.Contains(problems, p => p.Contains("HopLength"));
        Assert.Contains(problems, p => p.Contains("CropThreshold"));
    }

    [Fact]
    public void DefaultSettings_AreTheSeedPapers()
    {
        var d = new FrontEndSettings();
        Assert.Equal((22050, 2.0, 1.0, 512, 256), (d.SampleRate, d.SegmentSeconds, d.HopSeconds, d.NFft, d.HopLength));
        Assert.Equal((257, 1 + 44100 / 256), (d.SpectrogramHeight, d.SpectrogramWidth));
        Assert.Equal(0, d.FeatureDim);
        Assert.Equal(26, (d with { UseSummaryFeatures = true }).FeatureDim);
    }
}
