using System.Threading.Channels;
using Assl.Stream.Queues;

namespace Assl.Stream.Tests.Queues;

public sealed class ReadableWaitTests
{
    [Fact]
    public void ATimedOutWaitThrowsNothingAndIsReusedUntilItemsArrive()
    {
        var channel = Channel.CreateUnbounded<int>();
        var wait = new ReadableWait<int>(channel.Reader);
        using var thrown = new FirstChanceExceptions(Environment.CurrentManagedThreadId);

        Assert.Null(wait.Wait(TimeSpan.FromMilliseconds(20)));
        Assert.Null(wait.Wait(TimeSpan.Zero));
        Assert.Null(wait.Wait(TimeSpan.FromMilliseconds(-5))); // a deadline already passed
        channel.Writer.TryWrite(7);
        Assert.True(wait.Wait(TimeSpan.FromMilliseconds(20)));
        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(7, item);

        channel.Writer.Complete();
        Assert.False(wait.Wait(Timeout.InfiniteTimeSpan)); // completed and empty: the reading loop ends
        Assert.Empty(thrown.Seen);
    }

    [Fact]
    public async Task ItemsAlreadyInTheChannelAreSeenEvenWhenItsNotificationIsLate()
    {
        // The channel's wake-up rides a thread-pool work item; on a starved pool it arrives late (a CI run lost 20 ms).
        var reader = new LateNotifyingReader();
        var wait = new ReadableWait<int>(reader);
        Assert.Null(wait.Wait(TimeSpan.FromMilliseconds(5)));

        reader.Items.Enqueue(7);
        Assert.True(wait.Wait(TimeSpan.FromMilliseconds(20)));
        Assert.True(await wait.WaitAsync(TimeSpan.FromMilliseconds(20)));
        Assert.True(reader.TryRead(out int item));
        Assert.Equal(7, item);

        reader.Notify(true); // the late notification of an item already taken: "readable" again, and nothing to read
        Assert.True(wait.Wait(TimeSpan.FromMilliseconds(5)));
        Assert.False(reader.TryRead(out _));
        Assert.Null(wait.Wait(TimeSpan.FromMilliseconds(5)));
    }

    [Fact]
    public async Task AWaitThatTimedOutStillSeesTheItemWrittenAfterIt()
    {
        var channel = Channel.CreateBounded<int>(4);
        var wait = new ReadableWait<int>(channel.Reader);
        Assert.Null(await wait.WaitAsync(TimeSpan.FromMilliseconds(10)));

        var later = Task.Run(async () =>
        {
            await Task.Delay(50);
            channel.Writer.TryWrite(1);
        });
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
        await later;
        Assert.True(channel.Reader.TryRead(out _));

        channel.Writer.Complete();
        Assert.False(await wait.WaitAsync(Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public async Task TheAsyncWaitKeepsTheTimeOfTheClockItIsGiven()
    {
        var clock = new ManualClock();
        var channel = Channel.CreateUnbounded<int>();
        var wait = new ReadableWait<int>(channel.Reader, clock);

        var pending = wait.WaitAsync(TimeSpan.FromSeconds(30)).AsTask();
        await Task.Delay(50);
        Assert.False(pending.IsCompleted); // 30 s on the given clock, however long the wall clock runs
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(await pending.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task WaitsUntilOneDeadlineKeepTheTimeAlreadySpent()
    {
        var clock = new ManualClock();
        var channel = Channel.CreateUnbounded<int>();
        var wait = new ReadableWait<int>(channel.Reader, clock);
        long deadline = wait.DeadlineAfter(TimeSpan.FromSeconds(30));

        clock.Advance(TimeSpan.FromSeconds(20));
        var pending = wait.WaitUntilAsync(deadline).AsTask();
        clock.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(20);
        Assert.False(pending.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1)); // 30 s after the deadline was set, not 30 s after this wait began
        Assert.Null(await pending.WaitAsync(TimeSpan.FromSeconds(10)));

        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(await wait.WaitUntilAsync(deadline)); // passed: no waiting at all
        Assert.Null(wait.WaitUntil(wait.DeadlineAfter(TimeSpan.Zero)));
    }

    /// <summary>A reader whose "readable" notification comes only when the test sends it.</summary>
    private sealed class LateNotifyingReader : ChannelReader<int>
    {
        private TaskCompletionSource<bool> _notification = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Queue<int> Items { get; } = new();
        public override bool CanPeek => true;
        public override bool TryPeek(out int item) => Items.TryPeek(out item);
        public override bool TryRead(out int item) => Items.TryDequeue(out item);

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => new(_notification.Task);

        public void Notify(bool readable)
        {
            var sent = _notification;
            _notification = new(TaskCreationOptions.RunContinuationsAsynchronously);
            sent.SetResult(readable);
        }
    }

    /// <summary>A clock whose timers fire only when the test moves it on.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private readonly List<(TimeSpan Due, TimerCallback Callback, object? State)> _timers = [];
        private TimeSpan _now;

        public override long GetTimestamp() => _now.Ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_timers) _timers.Add((_now + dueTime, callback, state));
            return new NoOpTimer();
        }

        public void Advance(TimeSpan by)
        {
            List<(TimeSpan Due, TimerCallback Callback, object? State)> due;
            lock (_timers)
            {
                _now += by;
                due = _timers.Where(t => t.Due <= _now).ToList();
                _timers.RemoveAll(t => t.Due <= _now);
            }
            foreach (var timer in due) timer.Callback(timer.State);
        }

        private sealed class NoOpTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}

/// <summary>Records the exceptions thrown (caught or not) on the threads a filter picks, from the moment it is created.</summary>
internal sealed class FirstChanceExceptions : IDisposable
{
    private readonly Func<bool> _onWatchedThread;
    private readonly List<Exception> _seen = [];

    public FirstChanceExceptions(int managedThreadId) : this(() => Environment.CurrentManagedThreadId == managedThreadId) { }

    public FirstChanceExceptions(Func<bool> onWatchedThread)
    {
        _onWatchedThread = onWatchedThread;
        AppDomain.CurrentDomain.FirstChanceException += OnThrown;
    }

    public IReadOnlyList<Exception> Seen
    {
        get
        {
            lock (_seen) return [.. _seen];
        }
    }

    private void OnThrown(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
    {
        if (!_onWatchedThread()) return;
        lock (_seen) _seen.Add(e.Exception);
    }

    public void Dispose() => AppDomain.CurrentDomain.FirstChanceException -= OnThrown;
}
