namespace Affetto.Models.Data;

/// <summary>One labelled audio track of a dataset.</summary>
/// <param name="Path">Full path of the audio file.</param>
/// <param name="Id">Identifier unique within the dataset (4Q song id, Emotify track id, or the path relative to the root without extension).</param>
/// <param name="Label">Class label (quadrant or genre).</param>
/// <param name="Group">
/// Group that must stay on one side of every split (the artist for 4Q), or null when unknown: a null group means
/// the item is its own group.
/// </param>
public sealed record TrackItem(string Path, string Id, string Label, string? Group);
