using System.Threading.Channels;

namespace Assl.Stream.Queues;

/// <summary>
/// Waits, with a time limit, until a channel has items to read, without cancelling the wait when the limit passes.
/// </summary>
/// <remarks>
/// A channel wait cancelled by a token ends in an <see cref="OperationCanceledException"/> thrown inside the channel. The
/// batching loops wait a few milliseconds for a partly full batch to fill, so a server under ordinary load threw one for
/// about every second window (5 466 for 10 968 windows in a 25-s load test): noise in the process's exception count, which
/// operators watch for real faults, and work on the inference threads. A wait that times out here is kept and reused by
/// the next call instead, so no wait is ever cancelled. One instance per reading loop: it is not thread-safe.
/// <para>
/// The channel's own wait completes through a thread-pool work item (channels run continuations asynchronously), so on a
/// busy machine it can report items late: a clean-clone CI run saw a 20-ms wait time out with an item already written.
/// So the channel is asked directly before and after waiting; a wait kept from earlier that later says "true" with the
/// channel empty again is harmless, as the loops read with TryRead.
/// </para>
/// </remarks>
public sealed class ReadableWait<T>(ChannelReader<T> reader, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private Task<bool>? _pending;

    /// <summary>Blocks the calling thread (for loops on threads of their own).</summary>
    /// <param name="timeout">How long to wait at most; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <returns>True when items can be read, false when the channel is completed and empty, null when <paramref name="timeout"/> passed first.</returns>
    public bool? Wait(TimeSpan timeout)
    {
        if (HasItems()) return true;
        var ready = Next();
        if (ready.IsCompleted) return Take(ready);
        if (_time == TimeProvider.System || timeout == Timeout.InfiniteTimeSpan) return ready.Wait(Clamp(timeout)) ? Take(ready) : TimedOut();
        return WaitAsync(timeout).AsTask().GetAwaiter().GetResult();
    }

    /// <param name="timeout">How long to wait at most; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <returns>True when items can be read, false when the channel is completed and empty, null when <paramref name="timeout"/> passed first.</returns>
    public async ValueTask<bool?> WaitAsync(TimeSpan timeout)
    {
        if (HasItems()) return true;
        var ready = Next();
        if (ready.IsCompleted) return Take(ready);
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            await ready.ConfigureAwait(false);
            return Take(ready);
        }
        if (timeout <= TimeSpan.Zero) return TimedOut();
        using var stopTimer = new CancellationTokenSource();
        // A cancelled Task.Delay completes as cancelled without throwing anywhere, unlike a cancelled channel wait.
        var timer = Task.Delay(timeout, _time, stopTimer.Token);
        var first = await Task.WhenAny(ready, timer).ConfigureAwait(false);
        if (first != ready) return TimedOut();
        await stopTimer.CancelAsync().ConfigureAwait(false);
        return Take(ready);
    }

    /// <summary>The deadline, on this wait's clock, <paramref name="delay"/> from now: for <see cref="WaitUntil"/>.</summary>
    public long DeadlineAfter(TimeSpan delay) => _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);

    /// <summary><see cref="Wait"/> until a deadline from <see cref="DeadlineAfter"/>: a loop that waits several times for one batch keeps one deadline.</summary>
    public bool? WaitUntil(long deadline) => Wait(TimeLeft(deadline));

    /// <summary><see cref="WaitAsync"/> until a deadline from <see cref="DeadlineAfter"/>.</summary>
    public ValueTask<bool?> WaitUntilAsync(long deadline) => WaitAsync(TimeLeft(deadline));

    private TimeSpan TimeLeft(long deadline) => _time.GetElapsedTime(_time.GetTimestamp(), deadline);

    private bool HasItems() => reader.CanPeek && reader.TryPeek(out _);

    private bool? TimedOut() => HasItems() ? true : null;

    private Task<bool> Next() => _pending ??= reader.WaitToReadAsync().AsTask();

    private bool Take(Task<bool> ready)
    {
        _pending = null;
        bool readable = ready.GetAwaiter().GetResult();
        // A late "readable" for items read since, from a channel completed and drained meanwhile: the loop is over.
        return readable && !reader.Completion.IsCompleted;
    }

    private static TimeSpan Clamp(TimeSpan timeout) => timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan ? TimeSpan.Zero : timeout;
}
