using Assl.Model.Datasets;
using Assl.Model.Skeletons;
using Assl.Proto.V1;
using Assl.Stream.Ingest;

namespace Assl.Stream.Tests.Server;

/// <summary>Turns a recorded sequence into the frames a live camera would send, 30 frames per second.</summary>
internal static class Replay
{
    public static IEnumerable<SkeletonFrame> Frames(SkeletonSequence sequence, string cameraId, ulong bodyId, long startUs = 1_000_000)
    {
        for (int t = 0; t < sequence.FrameCount; t++)
        {
            var body = new Body { TrackingId = bodyId, Layout = ProtoLayouts.ToProto(sequence.Layout) };
            body.Positions.AddRange(sequence.Frame(t).ToArray());
            yield return new SkeletonFrame { CameraId = cameraId, TimestampUs = startUs + t * 33_333L, Bodies = { body } };
        }
    }

    /// <summary>One frame holding one body from each sequence (same instant), for several bodies in view.</summary>
    public static SkeletonFrame Merge(params SkeletonFrame[] frames)
    {
        var merged = new SkeletonFrame { CameraId = frames[0].CameraId, TimestampUs = frames[0].TimestampUs };
        foreach (var f in frames) merged.Bodies.AddRange(f.Bodies);
        return merged;
    }

    public static SkeletonSample Sample(IReadOnlyList<SkeletonSample> samples, string name) => samples.Single(s => s.Name == name);
}
