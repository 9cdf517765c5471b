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
        var ready = Next();
        if (ready.IsCompleted) return Take(ready);
        if (_time == TimeProvider.System || timeout == Timeout.InfiniteTimeSpan) return ready.Wait(Clamp(timeout)) ? Take(ready) : null;
        return WaitAsync(timeout).AsTask().GetAwaiter().GetResult();
    }

    /// <param name="timeout">How long to wait at most; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <returns>True when items can be read, false when the channel is completed and empty, null when <paramref name="timeout"/> passed first.</returns>
    public async ValueTask<bool?> WaitAsync(TimeSpan timeout)
    {
        var ready = Next();
        if (ready.IsCompleted) return Take(ready);
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            await ready.ConfigureAwait(false);
            return Take(ready);
        }
        if (timeout <= TimeSpan.Zero) return null;
        using var stopTimer = new CancellationTokenSource();
        // A cancelled Task.Delay completes as cancelled without throwing anywhere, unlike a cancelled channel wait.
        var timer = Task.Delay(timeout, _time, stopTimer.Token);
        var first = await Task.WhenAny(ready, timer).ConfigureAwait(false);
        if (first != ready) return null;
        await stopTimer.CancelAsync().ConfigureAwait(false);
        return Take(ready);
    }

    private Task<bool> Next() => _pending ??= reader.WaitToReadAsync().AsTask();

    private bool Take(Task<bool> ready)
    {
        _pending = null;
        return ready.GetAwaiter().GetResult();
    }

    private static TimeSpan Clamp(TimeSpan timeout) => timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan ? TimeSpan.Zero : timeout;
}
