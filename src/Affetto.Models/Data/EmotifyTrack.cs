namespace Affetto.Models.Data;

/// <summary>One Emotify track with its aggregated listener annotations.</summary>
/// <param name="TrackId">Emotify track id: file number + 0 (classical), 100 (rock), 200 (electronic), 300 (pop).</param>
/// <param name="Genre">The genre folder.</param>
/// <param name="Path">Full path of the audio file.</param>
/// <param name="AnnotationCount">How many listener annotations the track has.</param>
/// <param name="EmotionVotes">Mean vote (fraction of listeners who chose it) for each GEMS emotion, in <see cref="GemsQuadrantMapping.Emotions"/> order.</param>
/// <param name="QuadrantScores">Scores for Q1..Q4 from the mapping.</param>
/// <param name="Quadrant">The assigned quadrant label ("Q1".."Q4").</param>
public sealed record EmotifyTrack(
    int TrackId,
    string Genre,
    string Path,
    int AnnotationCount,
    IReadOnlyList<double> EmotionVotes,
    IReadOnlyList<double> QuadrantScores,
    string Quadrant);
