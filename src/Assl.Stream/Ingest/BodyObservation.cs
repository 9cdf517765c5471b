using Assl.Model.Skeletons;

namespace Assl.Stream.Ingest;

/// <summary>One validated body in one frame, ready for windowing.</summary>
/// <param name="CameraId">The frame's camera; bodies are keyed by (camera, body).</param>
/// <param name="BodyId">The tracker's id for the body.</param>
/// <param name="Layout">The layout the client sent; may differ from the model's (mapped later).</param>
/// <param name="TimestampUs">Capture time on the camera's clock.</param>
/// <param name="Positions">J × 3 finite values in <paramref name="Layout"/>'s own convention; owned by this record.</param>
/// <param name="Confidence">J values in [0, 1], or null when the client sent none.</param>
/// <param name="ReceivedUnixUs">Server wall clock (Unix µs) when the frame arrived, carried through to events for latency.</param>
public sealed record BodyObservation(
    string CameraId,
    ulong BodyId,
    JointLayout Layout,
    long TimestampUs,
    float[] Positions,
    float[]? Confidence,
    long ReceivedUnixUs);
