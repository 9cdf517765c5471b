using System.Diagnostics;

namespace Assl.Cli.Clients;

/// <summary>
/// Sends frames at the pace their timestamps say, scaled by a speed factor. Every due time is computed
/// from the first frame rather than from the previous send, so delays and scheduling jitter never
/// accumulate into drift over a long replay.
/// </summary>
public sealed class ReplayPacer
{
    private readonly double _speed;
    private readonly long _originUs;
    private readonly long _startTicks;

    /// <param name="speed">1 = real time, 2 = twice as fast; 0 = no waiting at all.</param>
    /// <param name="originUs">The camera timestamp that maps to "now".</param>
    public ReplayPacer(double speed, long originUs)
    {
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
        return remaining <= TimeSpan.Zero ? ValueTask.CompletedTask : new ValueTask(Task.Delay(remaining, ct));
    }
}
