using Assl.Model.Skeletons;
using Assl.Proto.V1;
using JointLayout = Assl.Model.Skeletons.JointLayout;

namespace Assl.Stream.Ingest;

/// <summary>
/// Checks incoming frames and turns the good bodies into <see cref="BodyObservation"/>s, rejecting
/// the rest with a precise reason, so one bad body or frame never ends a client's stream.
/// </summary>
/// <remarks>
/// <para>One instance per Ingest call. It remembers the last accepted timestamp of each camera on
/// that call, so it is stateful and, like the request stream it reads, not thread-safe.</para>
/// <para>Frame-level rejections (body id 0), checked first, drop the whole frame and leave the
/// camera's clock alone: missing camera id, a timestamp equal to (DUPLICATE_FRAME) or below
/// (TIMESTAMP_BACKWARDS) the camera's last accepted one. Otherwise the frame is accepted, its
/// timestamp becomes the camera's clock, and each body is checked on its own, in this order:
/// TOO_MANY_BODIES (bodies past <see cref="IngestOptions.MaxBodiesPerFrame"/>), DUPLICATE_BODY,
/// UNKNOWN_LAYOUT, LAYOUT_NOT_MAPPABLE (onto the model's layout), WRONG_JOINT_COUNT, NON_FINITE,
/// BAD_CONFIDENCE. The mapping check lives here rather than in windowing because this is where a
/// rejection can reach the client.</para>
/// </remarks>
public sealed class FrameValidator
{
    private static readonly char[] Axes = ['x', 'y', 'z'];

    private readonly JointLayout _modelLayout;
    private readonly int _maxBodies;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, long> _lastTimestamp = new(StringComparer.Ordinal);

    public FrameValidator(JointLayout modelLayout, IngestOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(modelLayout);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBodiesPerFrame, 1);
        _modelLayout = modelLayout;
        _maxBodies = options.MaxBodiesPerFrame;
        _clock = clock ?? TimeProvider.System;
    }

    public FrameValidationResult Validate(SkeletonFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        string camera = frame.CameraId;
        long t = frame.TimestampUs;

        if (string.IsNullOrWhiteSpace(camera))
            return FrameRejected(frame, RejectReason.MissingCameraId, "camera_id is empty; every frame must name its camera.");
        if (_lastTimestamp.TryGetValue(camera, out long last) && t <= last)
        {
            return t == last
                ? FrameRejected(frame, RejectReason.DuplicateFrame, $"camera {camera}: timestamp {t} µs repeats the previous frame's.")
                : FrameRejected(frame, RejectReason.TimestampBackwards,
                    $"camera {camera}: timestamp {t} µs is {last - t} µs before the previous frame's {last} µs.");
        }
        _lastTimestamp[camera] = t;

        long receivedUnixUs = UnixMicros(_clock.GetUtcNow());
        var accepted = new List<BodyObservation>(Math.Min(frame.Bodies.Count, _maxBodies));
        var rejections = new List<FrameRejection>();
        var seen = new HashSet<ulong>();
        for (int i = 0; i < frame.Bodies.Count; i++)
        {
            var body = frame.Bodies[i];
            if (i >= _maxBodies)
            {
                rejections.Add(Rejection(frame, body.TrackingId, RejectReason.TooManyBodies,
                    $"body {body.TrackingId}: frame has {frame.Bodies.Count} bodies, at most {_maxBodies} are accepted per frame."));
                continue;
            }
            if (!seen.Add(body.TrackingId))
            {
                rejections.Add(Rejection(frame, body.TrackingId, RejectReason.DuplicateBody,
                    $"body {body.TrackingId}: tracking id appears more than once in the frame; the first is kept."));
                continue;
            }
            var (reason, message) = Check(body);
            if (reason != RejectReason.Unspecified)
            {
                rejections.Add(Rejection(frame, body.TrackingId, reason, message!));
                continue;
            }
            accepted.Add(new BodyObservation(
                camera, body.TrackingId, ProtoLayouts.ToModel(body.Layout)!, t,
                body.Positions.ToArray(),
                body.Confidence.Count == 0 ? null : body.Confidence.ToArray(),
                receivedUnixUs));
        }
        return new FrameValidationResult(camera, t, true, accepted, rejections);
    }

    private (RejectReason Reason, string? Message) Check(Body body)
    {
        ulong id = body.TrackingId;
        var layout = ProtoLayouts.ToModel(body.Layout);
        if (layout is null)
        {
            return (RejectReason.UnknownLayout, body.Layout == Proto.V1.JointLayout.Unspecified
                ? $"body {id}: layout is unspecified; send one of KINECT_V1_20, KINECT_V2_25, AZURE_KINECT_32."
                : $"body {id}: layout {(int)body.Layout} is not one this server knows.");
        }
        if (!LayoutMapping.Exists(layout, _modelLayout))
        {
            return (RejectReason.LayoutNotMappable,
                $"body {id}: {layout.Id} cannot be mapped onto the model's {_modelLayout.Id} (only richer to poorer: 32 → 25 → 20).");
        }

        int joints = layout.JointCount;
        var positions = body.Positions;
        if (positions.Count != joints * 3)
        {
            return (RejectReason.WrongJointCount,
                $"body {id}: {positions.Count} values for {layout.Id}, expected {joints * 3} = {joints} joints × 3.");
        }
        for (int k = 0; k < positions.Count; k++)
        {
            float v = positions[k];
            if (!float.IsFinite(v))
                return (RejectReason.NonFinite, $"body {id}: joint {k / 3} {Axes[k % 3]} is {Describe(v)}.");
        }

        var confidence = body.Confidence;
        if (confidence.Count != 0 && confidence.Count != joints)
        {
            return (RejectReason.BadConfidence,
                $"body {id}: {confidence.Count} confidence values for {layout.Id}, expected 0 or {joints} (one per joint).");
        }
        for (int j = 0; j < confidence.Count; j++)
        {
            float c = confidence[j];
            // Written so that NaN fails too: every comparison with NaN is false.
            if (!(c >= 0f && c <= 1f))
                return (RejectReason.BadConfidence, $"body {id}: joint {j} confidence {Describe(c)} is outside [0, 1].");
        }
        return (RejectReason.Unspecified, null);
    }

    private static string Describe(float v) =>
        float.IsNaN(v) ? "NaN" : float.IsPositiveInfinity(v) ? "+Infinity" : float.IsNegativeInfinity(v) ? "-Infinity"
        : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static long UnixMicros(DateTimeOffset now) => (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    private static FrameValidationResult FrameRejected(SkeletonFrame frame, RejectReason reason, string message) =>
        new(frame.CameraId, frame.TimestampUs, false, [], [Rejection(frame, 0, reason, message)]);

    private static FrameRejection Rejection(SkeletonFrame frame, ulong bodyId, RejectReason reason, string message) =>
        new() { CameraId = frame.CameraId, TimestampUs = frame.TimestampUs, BodyId = bodyId, Reason = reason, Message = message };
}
