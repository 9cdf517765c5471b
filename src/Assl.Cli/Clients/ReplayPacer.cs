using System.Diagnostics;

namespace Assl.Cli.Clients;

/// <summary>
/// Sends frames at the pace their timestamps say, scaled by a speed factor. Every due time is computed
/// from the first frame rather than from the previous send, so delays and scheduling jitter never
/// accumulate into drift over a long replay. A replay that falls further behind than its catch-up limit
/// (<see cref="DefaultMaxCatchUp"/> unless given), because the machine stalled or the server was slow, moves
/// its clock on instead of sending the backlog in one burst: a camera never sends a second of old frames at once, and such a burst would be
/// measured as extra load by whatever measurement follows.
/// </summary>
public sealed class ReplayPacer
{
    private readonly double _speed;
    private readonly long _originUs;
    private readonly TimeSpan _maxCatchUp;
    private long _startTicks;

    /// <summary>How late a frame may be, by default, and still be caught up on by sending it at once.</summary>
    public static readonly TimeSpan DefaultMaxCatchUp = TimeSpan.FromMilliseconds(250);

    /// <param name="speed">1 = real time, 2 = twice as fast; 0 = no waiting at all.</param>
    /// <param name="originUs">The camera timestamp that maps to "now".</param>
    /// <param name="maxCatchUp">Lateness beyond which the clock moves on (default <see cref="DefaultMaxCatchUp"/>).</param>
    public ReplayPacer(double speed, long originUs, TimeSpan? maxCatchUp = null)
    {
        _maxCatchUp = maxCatchUp ?? DefaultMaxCatchUp;
        if (!double.IsFinite(speed) || speed < 0) throw new ArgumentException($"--speed must be 0 (as fast as possible) or positive, got {speed}.");
        _speed = speed;
        _originUs = originUs;
        _startTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>When the frame stamped <paramref name="timestampUs"/> is due, measured from the pacer's start.</summary>
    public static TimeSpan DueAfter(long timestampUs, long originUs, double speed) =>
        speed <= 0 ? TimeSpan.Zero : TimeSpan.FromMicroseconds((timestampUs - originUs) / speed);

    public TimeSpan DueAfter(long timestampUs) => DueAfter(timestampUs, _originUs, _speed);

    /// <summary>Waits until the frame stamped <paramref name="timestampUs"/> is due (at once when late or unpaced).</summary>
    public ValueTask WaitAsync(long timestampUs, CancellationToken ct)
    {
        if (_speed <= 0) return ValueTask.CompletedTask;
        var remaining = DueAfter(timestampUs) - Stopwatch.GetElapsedTime(_startTicks);
        if (remaining < -_maxCatchUp)
        {
            // This frame becomes due now; the ones after it keep their spacing from here.
            _startTicks += (long)(-remaining.TotalSeconds * Stopwatch.Frequency);
            return ValueTask.CompletedTask;
        }
        return remaining <= TimeSpan.Zero ? ValueTask.CompletedTask : new ValueTask(Task.Delay(remaining, ct));
    }
}
