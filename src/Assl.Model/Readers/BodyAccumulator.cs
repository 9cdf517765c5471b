using Assl.Model.Skeletons;

namespace Assl.Model.Readers;

/// <summary>
/// Collects one tracked body's frames while a multi-body file is read; bodies come and go, so each
/// keeps its own timestamps and the gaps between its frames stay visible.
/// </summary>
internal sealed class BodyAccumulator(string bodyId, JointLayout layout)
{
    private readonly List<float> _positions = [];
    private readonly List<long> _timestamps = [];
    private readonly List<float> _confidence = [];
    private bool _hasConfidence;

    public string BodyId { get; } = bodyId;

    /// <summary>Index of the last file frame this body was seen in, to catch a body listed twice.</summary>
    public long LastFrame { get; private set; } = -1;

    /// <summary>Adds one frame: J×3 positions and optionally J confidences (missing ones count as 1).</summary>
    public void Add(long frame, long timestampMicros, ReadOnlySpan<float> positions, ReadOnlySpan<float> confidence)
    {
        int joints = layout.JointCount;
        if (positions.Length != joints * 3)
            throw new ArgumentException($"{positions.Length} values for {joints} joints.", nameof(positions));
        if (!confidence.IsEmpty && !_hasConfidence)
        {
            // Frames before the first one with confidence were reported without it: fully trusted.
            _confidence.AddRange(Enumerable.Repeat(1f, _timestamps.Count * joints));
            _hasConfidence = true;
        }
        _positions.AddRange(positions);
        if (_hasConfidence)
        {
            if (confidence.IsEmpty) _confidence.AddRange(Enumerable.Repeat(1f, joints));
            else _confidence.AddRange(confidence);
        }
        _timestamps.Add(timestampMicros);
        LastFrame = frame;
    }

    public TrackedBody Build() =>
        new(BodyId, new SkeletonSequence(layout, _positions.ToArray(), _timestamps.ToArray(),
            _hasConfidence ? _confidence.ToArray() : null));
}
