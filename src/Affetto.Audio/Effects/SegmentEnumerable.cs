namespace Affetto.Audio.Effects;

/// <summary>Allocation-free sequence of the windows of a segmentation (use with <c>foreach</c>).</summary>
public readonly struct SegmentEnumerable
{
    private readonly int _win;
    private readonly int _hop;

    internal SegmentEnumerable(int count, int win, int hop)
    {
        Count = count;
        _win = win;
        _hop = hop;
    }

    /// <summary>Number of windows.</summary>
    public int Count { get; }

    /// <summary>Window length in samples.</summary>
    public int WindowSamples => _win;

    /// <summary>Hop in samples.</summary>
    public int HopSamples => _hop;

    /// <summary>The window at <paramref name="index"/>.</summary>
    /// <param name="index">Window index in [0, <see cref="Count"/>).</param>
    public SegmentRange this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {Count}), got {index}.");
            return new SegmentRange(index * _hop, _win);
        }
    }

    /// <summary>Returns a struct enumerator.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Struct enumerator over the windows.</summary>
    public struct Enumerator
    {
        private readonly SegmentEnumerable _owner;
        private int _index;

        internal Enumerator(SegmentEnumerable owner)
        {
            _owner = owner;
            _index = -1;
        }

        /// <summary>The current window.</summary>
        public readonly SegmentRange Current => new(_index * _owner._hop, _owner._win);

        /// <summary>Advances to the next window.</summary>
        public bool MoveNext() => ++_index < _owner.Count;
    }
}
