namespace Assl.Stream.Windowing;

/// <summary>A body whose track was closed and freed; its action, if any, ends here.</summary>
/// <param name="LastSeenUs">Camera time of the body's last observation.</param>
public sealed record BodyEnded(string CameraId, ulong BodyId, long LastSeenUs, BodyEndReason Reason);
