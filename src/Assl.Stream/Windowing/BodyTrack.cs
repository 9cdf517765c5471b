using Assl.Model.Skeletons;
using Assl.Stream.Ingest;

namespace Assl.Stream.Windowing;

/// <summary>
/// The recent frames of one (camera, body) on the model's frame grid, in a ring buffer of one window,
/// emitting a window every <see cref="WindowingOptions.Stride"/> grid frames.
/// </summary>
/// <remarks>
/// <para><b>Grid.</b> The first observation (and the first after a reset) is grid frame 0 and fixes the
/// origin; frame k sits at origin + k / FramesPerSecond. Each observation is placed on its nearest grid
/// frame, so camera jitter (30 fps ± a few ms) keeps raw frames bit-exact, as the model saw them in
/// training; the timing error is at most half a grid period.</para>
/// <para><b>Same frame.</b> An observation whose nearest grid frame is the newest one replaces it (the
/// later observation wins); a window already emitted keeps the old values. Observations older than the
/// newest grid frame are ignored (the validator already rejects backwards time per camera).</para>
/// <para><b>Gaps.</b> Grid frames skipped between two consecutive observations are filled by linear
/// interpolation between those two observations at the grid times (so a 15 fps camera is resampled
/// to 30), as long as at most <see cref="WindowingOptions.MaxGapFrames"/> are missing. A longer gap
/// empties the buffer and the observation starts a new grid, so no window straddles it.</para>
/// <para><b>Windows.</b> Once the buffer holds T frames it emits a window, then one every Stride grid
/// frames (interpolated ones count). One observation can emit several windows when it fills a gap.</para>
/// <para><b>Segment.</b> With a segment length (the online loop's segment samples), the track also keeps
/// every grid frame since its start or last reset, up to that many: the body's whole movement, which
/// <see cref="TakeSegment"/> hands over when the body ends. A longer track keeps no segment.</para>
/// <para>Observations in another layout are mapped onto the model's with <see cref="LayoutMapping"/>
/// (units and axes included). Not thread-safe: <see cref="WindowAssembler"/> locks around it.</para>
/// </remarks>
public sealed class BodyTrack
{
    private readonly JointLayout _layout;
    private readonly int _windowFrames;
    private readonly int _frameSize;
    private readonly int _stride;
    private readonly int _maxGap;
    private readonly double _periodUs;
    private readonly float[] _ring;
    private readonly float[] _previous;

    private int _head = -1;          // ring slot of the newest grid frame
    private int _count;              // grid frames held, ≤ T
    private long _originUs;
    private long _newestGridFrame;   // grid index of the newest frame since the last reset
    private long _newestObservedUs;  // actual timestamp of the observation in the newest grid frame
    private int _sinceWindow;
    private bool _emitted;

    private readonly int _maxSegmentFrames;
    private readonly float[]? _segment;     // grid frames since the last (re)start, while they fit
    private int _segmentFrames;
    private bool _segmentOverflow;

    /// <param name="maxSegmentFrames">Grid frames of the whole track to keep for <see cref="TakeSegment"/>; 0 keeps none.</param>
    public BodyTrack(string cameraId, ulong bodyId, JointLayout modelLayout, int windowFrames, WindowingOptions options, int maxSegmentFrames = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSegmentFrames);
        ArgumentNullException.ThrowIfNull(modelLayout);
        ArgumentNullException.ThrowIfNull(options);
        if (options.CheckWindowLength(windowFrames) is { } error) throw new ArgumentException(error, nameof(windowFrames));
        CameraId = cameraId;
        BodyId = bodyId;
        _layout = modelLayout;
        _windowFrames = windowFrames;
        _frameSize = modelLayout.JointCount * 3;
        _stride = options.Stride;
        _maxGap = options.MaxGapFrames;
        _periodUs = 1e6 / options.FramesPerSecond;
        _ring = new float[windowFrames * _frameSize];
        _previous = new float[_frameSize];
        _maxSegmentFrames = maxSegmentFrames;
        if (maxSegmentFrames > 0) _segment = new float[maxSegmentFrames * _frameSize];
    }

    public string CameraId { get; }

    public ulong BodyId { get; }

    /// <summary>Camera time of the latest observation.</summary>
    public long LastSeenUs { get; private set; }

    /// <summary>Server wall clock (Unix µs) of the latest observation.</summary>
    public long LastReceivedUnixUs { get; private set; }

    /// <summary>Grid frames currently held (at most the window length).</summary>
    public int BufferedFrames => _count;

    /// <summary>How many times a long gap emptied the buffer.</summary>
    public int Resets { get; private set; }

    public IReadOnlyList<SkeletonWindow> Add(BodyObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var frame = ToModelLayout(observation);
        long t = observation.TimestampUs;

        if (_count == 0) return Restart(t, frame, observation.ReceivedUnixUs);

        // In double: a client's wild timestamp jump must not overflow the subtraction.
        long gridFrame = (long)Math.Floor(((double)t - _originUs) / _periodUs + 0.5);
        if (gridFrame < _newestGridFrame) return [];
        Seen(observation);
        if (gridFrame == _newestGridFrame)
        {
            frame.CopyTo(_ring.AsSpan(_head * _frameSize, _frameSize));
            KeepNewest();
            _newestObservedUs = t;
            return [];
        }

        long missing = gridFrame - _newestGridFrame - 1;
        if (missing > _maxGap)
        {
            Resets++;
            return Restart(t, frame, observation.ReceivedUnixUs);
        }

        List<SkeletonWindow>? windows = null;
        if (missing > 0)
        {
            // The newest ring slot is about to be overwritten as the ring wraps, so keep the older observation aside.
            _ring.AsSpan(_head * _frameSize, _frameSize).CopyTo(_previous);
            double span = t - _newestObservedUs;
            for (long k = _newestGridFrame + 1; k < gridFrame; k++)
            {
                float w = (float)Math.Clamp((GridTime(k) - _newestObservedUs) / span, 0, 1);
                var dst = Append(k);
                for (int i = 0; i < _frameSize; i++)
                    dst[i] = (1 - w) * _previous[i] + w * frame[i];
                KeepNewest();
                MaybeEmit(k, observation.ReceivedUnixUs, ref windows);
            }
        }
        frame.CopyTo(Append(gridFrame));
        KeepNewest();
        _newestObservedUs = t;
        MaybeEmit(gridFrame, observation.ReceivedUnixUs, ref windows);
        return windows ?? (IReadOnlyList<SkeletonWindow>)[];
    }

    private IReadOnlyList<SkeletonWindow> Restart(long t, ReadOnlySpan<float> frame, long receivedUnixUs)
    {
        _count = 0;
        _head = -1;
        _originUs = t;
        _sinceWindow = 0;
        _emitted = false;
        _segmentFrames = 0;
        _segmentOverflow = false;
        LastSeenUs = t;
        LastReceivedUnixUs = receivedUnixUs;
        frame.CopyTo(Append(0));
        KeepNewest();
        _newestObservedUs = t;
        List<SkeletonWindow>? windows = null;
        MaybeEmit(0, receivedUnixUs, ref windows);
        return windows ?? (IReadOnlyList<SkeletonWindow>)[];
    }

    private void Seen(BodyObservation observation)
    {
        LastSeenUs = observation.TimestampUs;
        LastReceivedUnixUs = observation.ReceivedUnixUs;
    }

    private Span<float> Append(long gridFrame)
    {
        _head = (_head + 1) % _windowFrames;
        if (_count < _windowFrames) _count++;
        _newestGridFrame = gridFrame;
        _sinceWindow++;
        return _ring.AsSpan(_head * _frameSize, _frameSize);
    }

    /// <summary>Copies the newest grid frame into the segment (its slot is its grid index since the last restart).</summary>
    private void KeepNewest()
    {
        if (_segment is null || _segmentOverflow) return;
        if (_newestGridFrame >= _maxSegmentFrames)
        {
            _segmentOverflow = true;
            return;
        }
        _ring.AsSpan(_head * _frameSize, _frameSize).CopyTo(_segment.AsSpan((int)_newestGridFrame * _frameSize));
        _segmentFrames = (int)_newestGridFrame + 1;
    }

    /// <summary>
    /// The body's grid frames since its start or last reset, as one window of that many frames; null when segments
    /// are off, when the track outgrew the segment length, or when it holds fewer than <paramref name="minFrames"/>.
    /// </summary>
    public SkeletonWindow? TakeSegment(int minFrames)
    {
        if (_segment is null || _segmentOverflow || _segmentFrames < Math.Max(1, minFrames)) return null;
        var positions = _segment.AsSpan(0, _segmentFrames * _frameSize).ToArray();
        return new SkeletonWindow(CameraId, BodyId, _originUs, GridTime(_segmentFrames - 1), positions, _layout, LastReceivedUnixUs);
    }

    private void MaybeEmit(long gridFrame, long receivedUnixUs, ref List<SkeletonWindow>? windows)
    {
        if (_count < _windowFrames || (_emitted && _sinceWindow < _stride)) return;
        _emitted = true;
        _sinceWindow = 0;

        // The oldest frame sits just after the newest in the ring: copy the two halves in time order.
        var positions = new float[_ring.Length];
        int oldest = (_head + 1) % _windowFrames;
        int tail = (_windowFrames - oldest) * _frameSize;
        _ring.AsSpan(oldest * _frameSize).CopyTo(positions);
        _ring.AsSpan(0, oldest * _frameSize).CopyTo(positions.AsSpan(tail));

        (windows ??= []).Add(new SkeletonWindow(
            CameraId, BodyId, GridTime(gridFrame - _windowFrames + 1), GridTime(gridFrame), positions, _layout, receivedUnixUs));
    }

    private long GridTime(long gridFrame) => _originUs + (long)Math.Round(gridFrame * _periodUs);

    private float[] ToModelLayout(BodyObservation observation)
    {
        if (observation.Layout == _layout)
        {
            if (observation.Positions.Length != _frameSize)
                throw new ArgumentException($"{observation.Positions.Length} values for {_layout.Id}, expected {_frameSize}.", nameof(observation));
            return observation.Positions;
        }
        if (!LayoutMapping.Exists(observation.Layout, _layout))
            throw new ArgumentException(
                $"Body {BodyId}: {observation.Layout.Id} cannot be mapped onto {_layout.Id}; FrameValidator rejects such bodies.", nameof(observation));
        var single = new SkeletonSequence(observation.Layout, observation.Positions, [observation.TimestampUs]);
        return LayoutMapping.Between(observation.Layout, _layout).Apply(single).ToArray();
    }
}
