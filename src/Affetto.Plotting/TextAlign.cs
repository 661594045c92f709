namespace Affetto.Plotting;

/// <summary>Where the anchor point sits relative to a text, along one direction.</summary>
public enum TextAlign
{
    /// <summary>Anchor at the start (left edge, or top for the vertical direction).</summary>
    Start,

    /// <summary>Anchor at the centre (for the vertical direction: the middle of the capital height).</summary>
    Middle,

    /// <summary>Anchor at the end (right edge, or the baseline for the vertical direction).</summary>
    End,
}
