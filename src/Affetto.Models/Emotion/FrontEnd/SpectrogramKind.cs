namespace Affetto.Models.Emotion.FrontEnd;

/// <summary>Which time-frequency image the emotion front end feeds a convolutional network.</summary>
public enum SpectrogramKind
{
    /// <summary>|STFT|^Power in decibels (power_to_db: 10·log10, ref 1, clipped TopDb below the segment maximum); 1 + NFft/2 rows.</summary>
    Stft,
    /// <summary>Mel spectrogram (mel filters · |STFT|^Power), linear, no logarithm; NMels rows.</summary>
    Mel,
    /// <summary>Mel spectrogram in decibels (librosa power_to_db with TopDb); NMels rows.</summary>
    LogMel,
}
