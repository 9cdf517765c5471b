using Assl.Stream.Events;

namespace Assl.Stream.Tests.Events;

public sealed class EventRouterTests
{
    private static ActionEventRecord Record(string camera, int n = 0) =>
        new(camera, 1, ActionEventKind.Ongoing, 0, "wave", 0.9f, [], n, n + 1, "v1", 0);

    private static List<ActionEventRecord> Drain(EventSubscription s)
    {
        var items = new List<ActionEventRecord>();
        while (s.Reader.TryRead(out var r)) items.Add(r);
        return items;
    }

    [Fact]
    public void SubscribersOnlySeeTheirCameras()
    {
        var router = new EventRouter(new EventOptions());
        using var left = router.Subscribe(["left"]);
        using var both = router.Subscribe(["left", "right"]);
        using var all = router.Subscribe();

        router.Publish([Record("left"), Record("right"), Record("top")]);

        Assert.Equal(["left"], Drain(left).Select(r => r.CameraId));
        Assert.Equal(["left", "right"], Drain(both).Select(r => r.CameraId));
        Assert.Equal(["left", "right", "top"], Drain(all).Select(r => r.CameraId));
        Assert.Empty(all.CameraIds);
        Assert.False(left.Accepts("right"));
    }

    [Fact]
    public void SlowSubscriberLosesItsOldestWithoutBlockingOthers()
    {
        long droppedByCallback = 0;
        var router = new EventRouter(new EventOptions { SubscriberCapacity = 4 }, _ => Interlocked.Increment(ref droppedByCallback));
        using var slow = router.Subscribe();
        using var fast = router.Subscribe();

        var received = new List<long>();
        for (int i = 0; i < 100; i++)
        {
            router.Publish(Record("cam", i)); // returns at once even though `slow` never reads
            received.AddRange(Drain(fast).Select(r => r.WindowStartUs));
        }

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), received);
        Assert.Equal((0L, 96L), (fast.DroppedCount, slow.DroppedCount));
        Assert.Equal(96, Interlocked.Read(ref droppedByCallback));
        Assert.Equal([96L, 97, 98, 99], Drain(slow).Select(r => r.WindowStartUs));
    }

    [Fact]
    public async Task ConcurrentPublishersReachAStreamingReader()
    {
        var router = new EventRouter(new EventOptions { SubscriberCapacity = 10_000 });
        using var subscription = router.Subscribe(["cam"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var reader = Task.Run(async () =>
        {
            int count = 0;
            await foreach (var _ in subscription.ReadAllAsync(timeout.Token))
                if (++count == 4 * 500) break;
            return count;
        });

        await Task.WhenAll(Enumerable.Range(0, 4).Select(p => Task.Run(() =>
        {
            for (int i = 0; i < 500; i++) router.Publish(Record("cam", p * 1000 + i));
        })));

        Assert.Equal(2000, await reader);
        Assert.Equal(0, subscription.DroppedCount);
    }

    [Fact]
    public async Task DisposeUnsubscribesAndCompletesTheReader()
    {
        var router = new EventRouter(new EventOptions());
        var gone = router.Subscribe();
        using var stays = router.Subscribe();
        Assert.Equal(2, router.SubscriberCount);

        router.Publish(Record("cam", 1));
        gone.Dispose();
        gone.Dispose(); // idempotent
        router.Publish(Record("cam", 2));

        Assert.Equal(1, router.SubscriberCount);
        // What was delivered before leaving can still be read, then the reader ends.
        Assert.Equal([1L], await gone.ReadAllAsync().Select(r => r.WindowStartUs).ToListAsync());
        await gone.Reader.Completion.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.Equal([1L, 2L], Drain(stays).Select(r => r.WindowStartUs));
    }
}
