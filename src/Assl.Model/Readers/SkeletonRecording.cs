using Assl.Model.Skeletons;

namespace Assl.Model.Readers;

/// <summary>What a reader returns for one file: every tracked body, kept apart by its id.</summary>
/// <param name="Source">The file the recording came from.</param>
/// <param name="Layout">The joint layout of every body in it.</param>
/// <param name="Bodies">Tracked bodies in order of first appearance.</param>
/// <param name="Label">A class label the file carries (N-UCLA JSON does), else null.</param>
public sealed record SkeletonRecording(string Source, JointLayout Layout, IReadOnlyList<TrackedBody> Bodies, int? Label = null)
{
    /// <summary>The body seen in the most frames: the actor, for single-person datasets.</summary>
    public TrackedBody MainBody =>
        Bodies.Count == 0
            ? throw new InvalidOperationException($"{Source} holds no bodies.")
            : Bodies.MaxBy(b => b.Sequence.FrameCount)!;
}

/// <summary>One body's skeleton sequence and the id the tracker gave it.</summary>
public sealed record TrackedBody(string BodyId, SkeletonSequence Sequence);
