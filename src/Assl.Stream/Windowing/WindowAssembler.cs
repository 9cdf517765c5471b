using System.Collections.Concurrent;
using Assl.Model.Skeletons;
using Assl.Stream.Ingest;

namespace Assl.Stream.Windowing;

/// <summary>
/// Turns validated observations into model windows for every (camera, body) the server sees, and
/// closes bodies that time out. One instance per server (per loaded model), shared by all streams.
/// </summary>
/// <remarks>
/// <para><b>Concurrency.</b> Safe for calls from many streams at once. Each camera has its own lock:
/// a camera is normally fed by one Ingest call, so streams never contend, and the work under the
/// lock is a few small copies. Bodies are keyed by (camera id, tracking id), so two cameras reusing
/// tracking ids never mix; one camera id sent by two streams at once would share its bodies.</para>
/// <para><b>Time.</b> <see cref="Sweep"/> works on camera time: the Ingest loop calls it with each
/// accepted frame's timestamp, and that is why a frame with no bodies still matters. When a stream
/// ends, <see cref="CloseCamera"/> closes its bodies; <see cref="SweepIdle"/> uses the server's wall
/// clock for cameras that went silent without ending their stream.</para>
/// <para><b>Capacity.</b> At most <see cref="WindowingOptions.MaxBodies"/> live bodies over all cameras;
/// observations of further new bodies return no window and are counted in <see cref="RefusedObservations"/>.</para>
/// </remarks>
public sealed class WindowAssembler
{
    private readonly ConcurrentDictionary<string, CameraTracks> _cameras = new(StringComparer.Ordinal);
    private readonly WindowingOptions _options;
    private readonly long _timeoutUs;
    private readonly int _maxSegmentFrames;
    private int _liveBodies;
    private long _refused;

    /// <param name="maxSegmentFrames">Grid frames of each body's whole track kept for <see cref="BodyEnded.Segment"/>; 0 keeps none.</param>
    public WindowAssembler(JointLayout modelLayout, int windowFrames, WindowingOptions options, int maxSegmentFrames = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSegmentFrames);
        ArgumentNullException.ThrowIfNull(modelLayout);
        ArgumentNullException.ThrowIfNull(options);
        if (options.CheckWindowLength(windowFrames) is { } error) throw new ArgumentException(error, nameof(windowFrames));
        ModelLayout = modelLayout;
        WindowFrames = windowFrames;
        _options = options;
        _timeoutUs = options.BodyTimeoutMs * 1000L;
        _maxSegmentFrames = maxSegmentFrames;
    }

    public JointLayout ModelLayout { get; }

    /// <summary>The model's T: frames per window.</summary>
    public int WindowFrames { get; }

    public int LiveBodies => Volatile.Read(ref _liveBodies);

    /// <summary>Observations dropped because <see cref="WindowingOptions.MaxBodies"/> bodies were already live.</summary>
    public long RefusedObservations => Interlocked.Read(ref _refused);

    /// <summary>Places one observation; returns the windows it completed (usually none or one).</summary>
    /// <exception cref="ArgumentException">The observation's layout cannot be mapped onto <see cref="ModelLayout"/>.</exception>
    public IReadOnlyList<SkeletonWindow> Add(BodyObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        while (true)
        {
            var camera = _cameras.GetOrAdd(observation.CameraId, static _ => new CameraTracks());
            lock (camera)
            {
                if (camera.Closed) continue;
                if (!camera.Bodies.TryGetValue(observation.BodyId, out var track))
                {
                    if (Interlocked.Increment(ref _liveBodies) > _options.MaxBodies)
                    {
                        Interlocked.Decrement(ref _liveBodies);
                        Interlocked.Increment(ref _refused);
                        return [];
                    }
                    track = new BodyTrack(observation.CameraId, observation.BodyId, ModelLayout, WindowFrames, _options, _maxSegmentFrames);
                    camera.Bodies.Add(observation.BodyId, track);
                }
                return track.Add(observation);
            }
        }
    }

    /// <summary>Closes the camera's bodies not seen for <see cref="WindowingOptions.BodyTimeoutMs"/> before <paramref name="nowUs"/> (camera time).</summary>
    public IReadOnlyList<BodyEnded> Sweep(string cameraId, long nowUs)
    {
        ArgumentNullException.ThrowIfNull(cameraId);
        if (!_cameras.TryGetValue(cameraId, out var camera)) return [];
        lock (camera)
            return Remove(camera, track => nowUs - track.LastSeenUs >= _timeoutUs, BodyEndReason.TimedOut);
    }

    /// <summary>Closes bodies of every camera whose last observation arrived at least BodyTimeoutMs before <paramref name="nowUnixUs"/> (server wall clock).</summary>
    public IReadOnlyList<BodyEnded> SweepIdle(long nowUnixUs)
    {
        var ended = new List<BodyEnded>();
        foreach (var camera in _cameras.Values) ended.AddRange(RemoveIdle(camera, nowUnixUs));
        return ended;
    }

    /// <summary>Closes the bodies of one camera whose last observation arrived at least BodyTimeoutMs before <paramref name="nowUnixUs"/> (server wall clock).</summary>
    public IReadOnlyList<BodyEnded> SweepIdle(string cameraId, long nowUnixUs)
    {
        ArgumentNullException.ThrowIfNull(cameraId);
        return _cameras.TryGetValue(cameraId, out var camera) ? RemoveIdle(camera, nowUnixUs) : [];
    }

    private List<BodyEnded> RemoveIdle(CameraTracks camera, long nowUnixUs)
    {
        lock (camera)
            return Remove(camera, track => nowUnixUs - track.LastReceivedUnixUs >= _timeoutUs, BodyEndReason.TimedOut);
    }

    /// <summary>Closes every body of a camera, e.g. when the stream that fed it ends.</summary>
    public IReadOnlyList<BodyEnded> CloseCamera(string cameraId)
    {
        ArgumentNullException.ThrowIfNull(cameraId);
        if (!_cameras.TryRemove(cameraId, out var camera)) return [];
        lock (camera)
        {
            camera.Closed = true;
            return Remove(camera, static _ => true, BodyEndReason.CameraClosed);
        }
    }

    // Caller holds the camera's lock.
    private List<BodyEnded> Remove(CameraTracks camera, Func<BodyTrack, bool> expired, BodyEndReason reason)
    {
        List<BodyEnded>? ended = null;
        foreach (var track in camera.Bodies.Values)
        {
            if (expired(track))
                (ended ??= []).Add(new BodyEnded(track.CameraId, track.BodyId, track.LastSeenUs, reason, track.TakeSegment(WindowFrames)));
        }
        if (ended is null) return [];
        foreach (var body in ended) camera.Bodies.Remove(body.BodyId);
        Interlocked.Add(ref _liveBodies, -ended.Count);
        return ended;
    }
}
