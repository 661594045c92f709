namespace Affetto.Models.Data;

/// <summary>
/// Maps track-level splits to segment level. Splits are always made on tracks (and their artist groups); the
/// segments cut from a track follow it, so no track has segments on both sides.
/// </summary>
public static class SegmentSplit
{
    /// <summary>Expands a track-level fold to the segments of those tracks.</summary>
    /// <param name="trackFold">A fold over tracks 0..trackCount-1.</param>
    /// <param name="segmentTrack">For each segment, the index of the track it was cut from.</param>
    /// <param name="trackCount">Number of tracks the fold indexes.</param>
    /// <returns>A fold over segment indices (each list ascending).</returns>
    /// <exception cref="ArgumentException">A segment's track index is outside 0..trackCount-1, or the fold indexes outside the tracks or misses some.</exception>
    public static Fold ToSegments(Fold trackFold, IReadOnlyList<int> segmentTrack, int trackCount)
    {
        ArgumentNullException.ThrowIfNull(trackFold);
        ArgumentNullException.ThrowIfNull(segmentTrack);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trackCount);
        var side = new sbyte[trackCount]; // 0 unassigned, 1 train, 2 test
        Mark(trackFold.TrainIndices, 1);
        Mark(trackFold.TestIndices, 2);
        var train = new List<int>();
        var test = new List<int>();
        for (int s = 0; s < segmentTrack.Count; s++)
        {
            int t = segmentTrack[s];
            if (t < 0 || t >= trackCount)
                throw new ArgumentException($"segment {s} belongs to track {t}, outside 0..{trackCount - 1}", nameof(segmentTrack));
            if (side[t] == 0)
                throw new ArgumentException($"segment {s} belongs to track {t}, which is in neither side of the fold", nameof(segmentTrack));
            (side[t] == 1 ? train : test).Add(s);
        }
        return new Fold(train.ToArray(), test.ToArray());

        void Mark(int[] indices, sbyte value)
        {
            foreach (int t in indices)
            {
                if (t < 0 || t >= trackCount)
                    throw new ArgumentException($"the fold names track {t}, outside 0..{trackCount - 1}", nameof(trackFold));
                if (side[t] != 0)
                    throw new ArgumentException($"the fold puts track {t} on both sides or twice", nameof(trackFold));
                side[t] = value;
            }
        }
    }
}
