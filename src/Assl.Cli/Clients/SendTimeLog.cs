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
    /// Send time (Stopwatch ticks) of the first frame at or after <paramref name="timestampUs"/>: window
    /// ends sit on the server's frame grid, and a grid point is known once a frame at or past it arrived.
    /// </summary>
    public long? SentAtOrAfter(long timestampUs)
    {
        lock (_gate)
        {
            int i = _timestamps.BinarySearch(timestampUs);
            if (i < 0) i = ~i;
            return i < _timestamps.Count ? _ticks[i] : null;
        }
    }

    /// <summary>Milliseconds from the send of the frame that completed a window ending at <paramref name="windowEndUs"/> to now.</summary>
    public double? LatencyMs(long windowEndUs, long nowTicks) =>
        SentAtOrAfter(windowEndUs) is { } sent ? Stopwatch.GetElapsedTime(sent, nowTicks).TotalMilliseconds : null;
}
