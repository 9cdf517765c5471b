using System.Diagnostics;

namespace Assl.Cli.Clients;

/// <summary>
/// When each frame of one camera stream was sent, by its timestamp, so an event's latency can be taken
/// from the frame that completed its window. Timestamps only grow on a stream, so lookups are binary
/// searches; the oldest half is dropped past a cap to bound memory on long runs.
/// </summary>
public sealed class SendTimeLog(int capacity = 32_768)
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
    /// Send time (Stopwatch ticks) of the frame nearest to <paramref name="timestampUs"/>. Window ends sit
    /// on the server's frame grid (e.g. 4 300 000 µs on a 30 fps grid) while frames carry the camera's own
    /// stamps (4 299 967 µs at 33 333 µs a frame), so the frame that completed a window is the closest one,
    /// not necessarily an exact match. Null when nothing was sent or the log has dropped that far back.
    /// </summary>
    public long? SentNearest(long timestampUs)
    {
        lock (_gate)
        {
            if (_timestamps.Count == 0 || timestampUs < _timestamps[0] && _timestamps.Count >= capacity / 2) return null;
            int i = _timestamps.BinarySearch(timestampUs);
            if (i >= 0) return _ticks[i];
            i = ~i;
            if (i == 0) return _ticks[0];
            if (i == _timestamps.Count) return _ticks[i - 1];
            return timestampUs - _timestamps[i - 1] <= _timestamps[i] - timestampUs ? _ticks[i - 1] : _ticks[i];
        }
    }

    /// <summary>Milliseconds from the send of the frame that completed a window ending at <paramref name="windowEndUs"/> to now.</summary>
    public double? LatencyMs(long windowEndUs, long nowTicks) =>
        SentNearest(windowEndUs) is { } sent ? Stopwatch.GetElapsedTime(sent, nowTicks).TotalMilliseconds : null;
}
