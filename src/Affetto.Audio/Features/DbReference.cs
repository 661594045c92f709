namespace Affetto.Audio.Features;

/// <summary>Reference level of power_to_db.</summary>
public enum DbReference
{
    /// <summary>ref = 1.0 (librosa default): absolute dB.</summary>
    One,
    /// <summary>ref = max of the input (librosa <c>ref=np.max</c>): the maximum maps to 0 dB.</summary>
    Max,
}
