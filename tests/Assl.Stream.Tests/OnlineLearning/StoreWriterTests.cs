using System.Diagnostics;
using Assl.Stream.Observability;
using Assl.Stream.OnlineLearning.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Assl.Stream.Tests.OnlineLearning;

public sealed class StoreWriterTests
{
    private static (StoreWriter Writer, AsslMetrics Metrics) Create(ISampleStore store, int capacity = 100, int batch = 8,
        double retrySeconds = 10, int retentionEvery = 10_000, int maxWindows = 200_000)
    {
        var metrics = new AsslMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
        var options = Options.Create(new StoreOptions
        {
            QueueCapacity = capacity,
            WriteBatchSize = batch,
            WriteBatchDelayMs = 2,
            RetryIntervalSeconds = retrySeconds,
            RetentionEveryWrites = retentionEvery,
            MaxWindows = maxWindows,
        });
        return (new StoreWriter(store, options, metrics, NullLogger<StoreWriter>.Instance), metrics);
    }

    private static double Outcome(AsslMetrics metrics, string outcome) => metrics.StoreWrites.WithLabels(outcome).Value;

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task AFullQueueDropsAndCountsInsteadOfBlocking()
    {
        var store = new GatedStore();
        store.Gate.Reset();
        var (writer, metrics) = Create(store, capacity: 4, batch: 1);
        await writer.StartAsync(CancellationToken.None);
        Assert.True(writer.TryEnqueue(StoreCommand.Add(Samples.Window(0))));
        await Eventually(() => store.WriteCalls == 1, "the first command to reach the blocked store");

        var clock = Stopwatch.StartNew();
        var accepted = Enumerable.Range(1, 50).Select(i => writer.TryEnqueue(StoreCommand.Add(Samples.Window(i)))).ToArray();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "TryEnqueue never waits for the store");
        Assert.Equal(4, accepted.Count(a => a));
        Assert.True(accepted.Take(4).All(a => a), "what was queued first is kept");
        Assert.Equal(46, Outcome(metrics, "dropped"));

        store.Gate.Set();
        await writer.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(5, store.Written.Count);
        Assert.Equal(5, Outcome(metrics, "written"));
        Assert.Equal(5, metrics.StoreWindows.Value);
    }

    [Fact]
    public async Task ShutdownDrainsEverythingQueued()
    {
        var store = new GatedStore();
        store.Gate.Reset();
        var (writer, metrics) = Create(store, capacity: 1000, batch: 16);
        await writer.StartAsync(CancellationToken.None);
        for (int i = 0; i < 300; i++) Assert.True(writer.TryEnqueue(StoreCommand.Add(Samples.Window(i))));

        var stop = writer.StopAsync(CancellationToken.None);
        Assert.False(writer.TryEnqueue(StoreCommand.Add(Samples.Window(999))), "after shutdown began, commands are refused");
        store.Gate.Set();
        await stop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(writer.ExecuteTask!.Exception);

        Assert.Equal(Enumerable.Range(0, 300).Select(i => (ulong)i),
            store.Written.Cast<StoreCommand.AddWindow>().Select(c => c.Window.BodyId));
        Assert.Equal(300, Outcome(metrics, "written"));
        Assert.Equal(1, Outcome(metrics, "dropped"));
        Assert.True(store.WriteCalls > 1 && store.WriteCalls <= 300 / 16 + 2, $"commands are written in batches ({store.WriteCalls} writes)");
    }

    [Fact]
    public async Task AnUnwritableStoreIsDrainedAndDroppedWhileUnhealthy_ThenRetried()
    {
        var store = new GatedStore { Unwritable = true };
        var (writer, metrics) = Create(store, batch: 1, retrySeconds: 1.5);
        await writer.StartAsync(CancellationToken.None);

        writer.TryEnqueue(StoreCommand.Add(Samples.Window(0)));
        await Eventually(() => Outcome(metrics, "failed") == 1, "the write to fail");
        Assert.False(writer.IsHealthy);
        Assert.Contains("disk full", writer.LastError);
        for (int i = 1; i <= 20; i++) Assert.True(writer.TryEnqueue(StoreCommand.Add(Samples.Window(i))));
        await Eventually(() => writer.QueuedCommands == 0, "the queue to drain");
        Assert.Equal(1, Outcome(metrics, "failed"));
        Assert.Equal(20, Outcome(metrics, "dropped"));
        Assert.Equal(1, store.WriteCalls); // no write is tried before the retry interval

        store.Unwritable = false;
        await Task.Delay(1600);
        writer.TryEnqueue(StoreCommand.Add(Samples.Window(100)));
        await Eventually(() => writer.IsHealthy, "the writer to recover with a real write");
        await writer.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([100UL], store.Written.Cast<StoreCommand.AddWindow>().Select(c => c.Window.BodyId));
    }

    [Fact]
    public async Task WritesReachSqliteAndRetentionRunsInsideTheWriter()
    {
        using var folder = new TempFolder();
        using var store = SqliteSampleStore.Open(new StoreOptions(), folder.Path);
        var (writer, metrics) = Create(store, batch: 10, retentionEvery: 1, maxWindows: 15);
        await writer.StartAsync(CancellationToken.None);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        for (int i = 0; i < 40; i++)
            Assert.True(writer.TryEnqueue(StoreCommand.AddPseudoLabelled(Samples.Window(i, capturedUnixUs: now), Samples.Label(i % 2))));
        await Eventually(() => Outcome(metrics, "written") == 40, "all commands written");
        await writer.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        // Retention ran after every batch (K = 1), the last time keeping the newest 15.
        var status = await store.GetStatusAsync();
        Assert.Equal(15, status.Windows);
        Assert.Equal(15, metrics.StoreWindows.Value);
        // Refreshed with the windows by the writer itself, learning or not (it read 0 while the online loop was off).
        Assert.True(metrics.StoreBytes.Value > 0, $"assl_store_bytes {metrics.StoreBytes.Value}");
        var kept = await store.WindowsSinceAsync(0, 100);
        Assert.Equal(Enumerable.Range(25, 15).Select(i => (ulong)i), kept.Select(s => s.Window.BodyId));
    }
}
