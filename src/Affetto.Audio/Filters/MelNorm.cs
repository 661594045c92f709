namespace Affetto.Audio.Filters;

/// <summary>Normalisation of mel filters (librosa <c>filters.mel(norm=...)</c>).</summary>
public enum MelNorm
{
    /// <summary>No normalisation: triangles peak at 1 (librosa <c>norm=None</c>).</summary>
    None,
    /// <summary>Slaney area normalisation: each triangle scaled by 2 / (f[i+2] - f[i]) (librosa default).</summary>
    Slaney,
}
