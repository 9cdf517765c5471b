using System.Diagnostics;

namespace Assl.Cli.Clients;

/// <summary>
/// When each frame of one camera stream was sent, by its timestamp, so an event's latency can be taken
/// from the frame that completed its window. Timestamps only grow on a stream, so lookups are binary
/// searches; the oldest half is dropped past a cap to bound memory on long runs.
/// </summary>
/// <param name="gridPeriodUs">The server's frame grid (the model's frame period): frames are placed on their nearest grid frame.</param>
public sealed class SendTimeLog(double gridPeriodUs = SkeletonFrameDefaults.PeriodUs, int capacity = 32_768)
{
    private readonly object _gate = new();
    private readonly List<long> _timestamps = [];
    private readonly List<long> _ticks = [];

    public void Add(long timestampUs, long sentTicks)
    {
        lock (_gate)
        {
            if (_timestamps.Count >= capacity)
            {
                _timestamps.RemoveRange(0, capacity / 2);
                _ticks.RemoveRange(0, capacity / 2);
            }
            _timestamps.Add(timestampUs);
            _ticks.Add(sentTicks);
        }
    }

    /// <summary>
    /// Send time (Stopwatch ticks) of the frame that completed a window ending at <paramref name="windowEndUs"/>:
    /// the first frame that the server places on that grid frame or a later one, i.e. the first stamped at
    /// or after the window end minus half a grid period. Window ends sit on the server's grid (4 300 000 µs
    /// on a 30 fps grid) while frames carry the camera's own stamps (4 299 967 µs). When frames come
    /// further apart than the grid (a 15 fps camera, a clip played in slow motion), the server fills the
    /// grid frames between two frames by interpolation once the later one arrives, so a window can end
    /// on a grid time nearer the earlier frame yet be completed by the later one.
    /// Null when nothing was sent or the log has dropped that far back.
    /// </summary>
    public long? SentCompleting(long windowEndUs)
    {
        long earliest = windowEndUs - (long)Math.Floor(gridPeriodUs / 2);
        lock (_gate)
        {
            if (_timestamps.Count == 0 || earliest < _timestamps[0] && _timestamps.Count >= capacity / 2) return null;
            int i = _timestamps.BinarySearch(earliest);
            if (i < 0) i = ~i;
            // Equal stamps (a gap frame, then the next clip's first frame) keep the first sent.
            while (i > 0 && _timestamps[i - 1] == earliest) i--;
            return _ticks[Math.Min(i, _timestamps.Count - 1)];
        }
    }

    /// <summary>Milliseconds from the send of the frame that completed a window ending at <paramref name="windowEndUs"/> to now.</summary>
    public double? LatencyMs(long windowEndUs, long nowTicks) =>
        SentCompleting(windowEndUs) is { } sent ? Stopwatch.GetElapsedTime(sent, nowTicks).TotalMilliseconds : null;
}
