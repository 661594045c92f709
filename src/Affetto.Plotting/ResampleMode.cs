namespace Affetto.Plotting;

/// <summary>How matrix cells are mapped to pixels when a heatmap is smaller than the matrix.</summary>
public enum ResampleMode
{
    /// <summary>Each pixel shows the cell at its centre.</summary>
    Nearest,

    /// <summary>Each pixel shows the largest finite value of the cells it covers (peaks never vanish); nearest when enlarging.</summary>
    MaxPool,
}
