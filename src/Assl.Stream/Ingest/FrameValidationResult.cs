using Assl.Proto.V1;

namespace Assl.Stream.Ingest;

/// <summary>What <see cref="FrameValidator"/> made of one frame.</summary>
/// <param name="CameraId">The frame's camera id (empty when it had none).</param>
/// <param name="TimestampUs">The frame's camera timestamp.</param>
/// <param name="FrameAccepted">
/// False when the frame as a whole was rejected (missing camera, backwards or duplicate timestamp).
/// When true the camera's clock advanced to <paramref name="TimestampUs"/>, even if every body was
/// rejected or there were none: callers sweep timed-out bodies with it.
/// </param>
/// <param name="Bodies">Accepted bodies, in frame order.</param>
/// <param name="Rejections">One per rejected body, or a single frame-level one (body id 0).</param>
public sealed record FrameValidationResult(
    string CameraId,
    long TimestampUs,
    bool FrameAccepted,
    IReadOnlyList<BodyObservation> Bodies,
    IReadOnlyList<FrameRejection> Rejections);
