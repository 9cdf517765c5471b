namespace Assl.Stream.Windowing;

/// <summary>A body whose track was closed and freed; its action, if any, ends here.</summary>
/// <param name="LastSeenUs">Camera time of the body's last observation.</param>
/// <param name="Segment">
/// The body's whole track since its last reset, when the assembler keeps segments and it fit
/// (<see cref="BodyTrack.TakeSegment"/>); the online loop's segment samples are cut from it.
/// </param>
public sealed record BodyEnded(string CameraId, ulong BodyId, long LastSeenUs, BodyEndReason Reason, SkeletonWindow? Segment = null);
