using Assl.Stream.Inference;
using Assl.Stream.Observability;
using Assl.Stream.Tests.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Assl.Stream.Tests.Inference;

public sealed class InferenceBatcherTests
{
    // helperBacklog 1: the tests written before helpers waited for a backlog rely on a helper taking any window that waits.
    private static (InferenceBatcher Batcher, AsslMetrics Metrics) Create(FakeEngine engine, int maxBatch = 8, int capacity = 100, double delayMs = 20, int workers = 1,
        int helperBacklog = 1)
    {
        var metrics = new AsslMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
        var options = Options.Create(new BatchingOptions
        {
            MaxBatchSize = maxBatch, QueueCapacity = capacity, MaxBatchDelayMs = delayMs, Workers = workers, HelperBacklog = helperBacklog,
        });
        return (new InferenceBatcher(engine, options, metrics, NullLogger<InferenceBatcher>.Instance), metrics);
    }

    [Fact]
    public async Task WindowsQueuedTogetherShareOneForwardPass()
    {
        var engine = new FakeEngine();
        engine.Gate.Reset();
        var (batcher, metrics) = Create(engine, maxBatch: 8);
        await batcher.StartAsync(CancellationToken.None);
        // The first window occupies the engine; the next 16 queue up and must leave in two full batches.
        var first = batcher.InferAsync([0.5f]);
        Assert.True(engine.Entered.Wait(TimeSpan.FromSeconds(10)), "the first window never reached the engine");
        var rest = Enumerable.Range(0, 16).Select(i => batcher.InferAsync([i / 100f])).ToArray();
        Assert.Equal(16, metrics.QueuedWindows.Value); // what /metrics shows as assl_inference_queue_windows
        engine.Gate.Set();
        var results = await Task.WhenAll(rest.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, metrics.QueuedWindows.Value);

        Assert.Equal(0.05f, results[6].Probabilities[0], 5); // each caller gets its own row back
        Assert.Equal("fake-1", results[0].ModelVersion);
        Assert.Equal([1, 8, 8], engine.BatchSizes);
        Assert.Equal(17, metrics.WindowsInferred.Value);
        await batcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task SeveralWorkersRunPassesSideBySideAndDrainOnShutdown()
    {
        var engine = new FakeEngine();
        engine.Gate.Reset();
        var (batcher, metrics) = Create(engine, maxBatch: 2, delayMs: 0, workers: 2);
        await batcher.StartAsync(CancellationToken.None);
        var pending = Enumerable.Range(0, 9).Select(i => batcher.InferAsync([i / 10f])).ToArray();
        // The engine holds every pass at its gate: a second arrival means two passes are in flight at once.
        Assert.True(await engine.Arrivals.WaitAsync(TimeSpan.FromSeconds(10)), "no pass reached the engine");
        Assert.True(await engine.Arrivals.WaitAsync(TimeSpan.FromSeconds(10)), "the second worker never ran a pass beside the first");
        var stop = batcher.StopAsync(CancellationToken.None);
        engine.Gate.Set();
        await stop.WaitAsync(TimeSpan.FromSeconds(10));

        var results = await Task.WhenAll(pending);
        for (int i = 0; i < results.Length; i++)
        {
            Assert.False(results[i].WasDropped);
            Assert.Equal(i / 10f, results[i].Probabilities[0], 5);
        }
        Assert.Equal(9, metrics.WindowsInferred.Value);
        Assert.All(engine.BatchSizes, size => Assert.InRange(size, 1, 2));
    }

    [Fact]
    public async Task ABurstIsSharedBetweenWorkersInsteadOfGoingToOnePass()
    {
        var engine = new FakeEngine();
        engine.Gate.Reset();
        // A long batching delay: without sharing, the idle worker would take the whole burst as one pass.
        var (batcher, metrics) = Create(engine, maxBatch: 8, delayMs: 500, workers: 2);
        await batcher.StartAsync(CancellationToken.None);
        var first = batcher.InferAsync([0.5f]);
        Assert.True(await engine.Arrivals.WaitAsync(TimeSpan.FromSeconds(10)), "the first window never reached the engine");
        var burst = Enumerable.Range(0, 8).Select(i => batcher.InferAsync([i / 10f])).ToArray();
        // The idle worker takes its half and runs it at once (not after the delay), leaving the rest for the busy one.
        Assert.True(await engine.Arrivals.WaitAsync(TimeSpan.FromSeconds(10)), "the idle worker never ran a pass");
        engine.Gate.Set();
        var results = await Task.WhenAll(burst.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(results, r => Assert.False(r.WasDropped));
        Assert.Equal(0.7f, results[8].Probabilities[0], 5);
        Assert.Equal(9, metrics.WindowsInferred.Value);
        Assert.All(engine.BatchSizes, size => Assert.InRange(size, 1, 4));
        await batcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task HelpersLeaveWindowsToTheFirstWorkerUntilABacklogBuilds()
    {
        var engine = new FakeEngine();
        engine.Gate.Reset();
        var (batcher, metrics) = Create(engine, maxBatch: 8, delayMs: 0, workers: 2, helperBacklog: 3);
        await batcher.StartAsync(CancellationToken.None);
        var first = batcher.InferAsync([0.1f]);
        Assert.True(await engine.Arrivals.WaitAsync(TimeSpan.FromSeconds(10)), "the first window never reached the engine");

        // The first worker is busy; two waiting windows are below the backlog, so the helper sleeps on.
        var two = Enumerable.Range(0, 2).Select(i => batcher.InferAsync([0.2f + i / 10f])).ToList();
        Assert.False(await engine.Arrivals.WaitAsync(TimeSpan.FromMilliseconds(300)), "a helper took a pass below the backlog");
        Assert.Equal(2, metrics.QueuedWindows.Value);

        // A third makes the backlog: the helper takes its share of the three at once, beside the busy first worker.
        var third = batcher.InferAsync([0.4f]);
        Assert.True(await engine.Arrivals.WaitAsync(TimeSpan.FromSeconds(10)), "the helper never took the backlog");
        engine.Gate.Set();
        var results = await Task.WhenAll(two.Append(third).Prepend(first)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(results, r => Assert.False(r.WasDropped));
        Assert.Equal(0.4f, results[3].Probabilities[0], 5);
        Assert.Equal(4, metrics.WindowsInferred.Value);
        await batcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task HelpersDrainTheQueueOnShutdownEvenBelowTheBacklog()
    {
        var engine = new FakeEngine();
        engine.Gate.Reset();
        var (batcher, metrics) = Create(engine, maxBatch: 1, delayMs: 0, workers: 3, helperBacklog: 1000);
        await batcher.StartAsync(CancellationToken.None);
        var pending = Enumerable.Range(0, 5).Select(i => batcher.InferAsync([i / 10f])).ToArray();
        Assert.True(await engine.Arrivals.WaitAsync(TimeSpan.FromSeconds(10)), "the first worker never ran a pass");

        var stop = batcher.StopAsync(CancellationToken.None);
        // Shutting down, the helpers join in: passes of one window run side by side although no backlog was reached.
        Assert.True(await engine.Arrivals.WaitAsync(TimeSpan.FromSeconds(10)), "no helper ran a pass while draining");
        engine.Gate.Set();
        await stop.WaitAsync(TimeSpan.FromSeconds(10));

        var results = await Task.WhenAll(pending);
        Assert.All(results, r => Assert.False(r.WasDropped));
        Assert.Equal(5, metrics.WindowsInferred.Value);
    }

    [Fact]
    public async Task PaddingRowsAreFilledWithWaitingWindowsInsteadOfZeros()
    {
        // Two workers and a batch of at most 64: with 70 windows waiting each worker's share is 35, which runs padded to 40.
        // Both workers are held with a window each, so the backlog is all queued before either reads it.
        var (batcher, metrics, engine, held) = await StartHeldAsync(workers: 2);
        var backlog = Enumerable.Range(0, 70).Select(i => batcher.InferAsync([i / 100f])).ToArray();
        engine.Gate.Set();
        var results = await Task.WhenAll(backlog.Concat(held)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(results, r => Assert.False(r.WasDropped));
        Assert.Equal(0.69f, results[69].Probabilities[0], 5);
        Assert.Equal(72, metrics.WindowsInferred.Value);
        // Passes are recorded as they leave the gate, in any order: the two held ones are the two single windows.
        var backlogPasses = engine.BatchSizes.ToList();
        Assert.True(backlogPasses.Remove(1) && backlogPasses.Remove(1), string.Join(", ", engine.BatchSizes));
        Assert.Equal(70, backlogPasses.Sum());
        // A pass stops short of its shape only when the queue ran dry, so at most one pass runs padding rows
        // (e.g. 40 topped up from 35 and the 30 left padded to 32, never 35 and 35 each padded to 40).
        Assert.True(backlogPasses.Count(n => BatchShapes.Padded(n) != n) <= 1, string.Join(", ", backlogPasses));
        // What padding is left is counted: the rows run for no window.
        Assert.Equal(engine.BatchSizes.Sum(n => BatchShapes.Padded(n) - n), metrics.PaddingRows.Value);
        await batcher.StopAsync(CancellationToken.None);
    }

    /// <summary>A batcher on a padding engine (batches of at most 64, no wait) whose every worker is held at the engine's gate with one window.</summary>
    private static async Task<(InferenceBatcher Batcher, AsslMetrics Metrics, FakeEngine Engine, List<Task<InferenceResult>> Held)> StartHeldAsync(int workers)
    {
        var engine = new FakeEngine(padToShapes: true);
        engine.Gate.Reset();
        var (batcher, metrics) = Create(engine, maxBatch: 64, delayMs: 0, workers: workers);
        await batcher.StartAsync(CancellationToken.None);
        var held = new List<Task<InferenceResult>>();
        for (int w = 1; w <= workers; w++)
        {
            held.Add(batcher.InferAsync([0.5f]));
            Assert.True(await engine.Arrivals.WaitAsync(TimeSpan.FromSeconds(10)), $"worker {w} never ran a pass");
        }
        return (batcher, metrics, engine, held);
    }

    [Fact]
    public async Task RowsRunOnlyToReachAShapeAreCounted()
    {
        // The worker is held with one window; nine more queue behind it and then run as one pass of shape 10.
        var (batcher, metrics, engine, held) = await StartHeldAsync(workers: 1);
        var nine = Enumerable.Range(0, 9).Select(i => batcher.InferAsync([i / 100f])).ToArray();
        engine.Gate.Set();
        await Task.WhenAll(nine.Concat(held)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 9], engine.BatchSizes);
        Assert.Equal(1, metrics.PaddingRows.Value);
        await batcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task APartlyFullBatchWaitsForCompanyAndThenRunsWithoutThrowing()
    {
        var engine = new FakeEngine();
        var (batcher, _) = Create(engine, maxBatch: 2, delayMs: 150);
        // Before, every wait that ran out cancelled a channel wait: an OperationCanceledException on the inference thread.
        using var thrown = new FirstChanceExceptions(() => Thread.CurrentThread.Name?.StartsWith(InferenceBatcher.ThreadNamePrefix, StringComparison.Ordinal) == true);
        await batcher.StartAsync(CancellationToken.None);

        // A second window arriving within the delay joins the first; a lone window runs once the delay has passed.
        var pair = new[] { batcher.InferAsync([0.1f]), batcher.InferAsync([0.2f]) };
        await Task.WhenAll(pair).WaitAsync(TimeSpan.FromSeconds(10));
        for (int i = 0; i < 3; i++)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            var alone = await batcher.InferAsync([0.3f]).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.False(alone.WasDropped);
            Assert.True(waited.ElapsedMilliseconds >= 140, $"a lone window ran after {waited.ElapsedMilliseconds} ms, before its batch's delay");
        }

        Assert.Equal([2, 1, 1, 1], engine.BatchSizes);
        await batcher.StopAsync(CancellationToken.None);
        Assert.Empty(thrown.Seen.Select(e => e.GetType().Name));
    }

    [Fact]
    public async Task FullQueueDropsTheOldestAndCountsIt()
    {
        var engine = new FakeEngine();
        engine.Gate.Reset();
        var (batcher, metrics) = Create(engine, maxBatch: 1, capacity: 4, delayMs: 0);
        await batcher.StartAsync(CancellationToken.None);
        var busy = batcher.InferAsync([0.9f]);
        Assert.True(engine.Entered.Wait(TimeSpan.FromSeconds(10)), "the first window never reached the engine");
        var queued = Enumerable.Range(0, 7).Select(i => batcher.InferAsync([i / 10f])).ToArray();
        engine.Gate.Set();
        var results = await Task.WhenAll(queued).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, results.Count(r => r.WasDropped));
        Assert.True(results.Take(3).All(r => r.WasDropped), "the oldest windows are the ones dropped");
        Assert.Equal(3, metrics.WindowsDropped.Value);
        Assert.False((await busy).WasDropped);
        await batcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ShutdownDrainsQueuedWindows()
    {
        var engine = new FakeEngine();
        engine.Gate.Reset();
        var (batcher, _) = Create(engine, maxBatch: 4);
        await batcher.StartAsync(CancellationToken.None);
        var pending = Enumerable.Range(0, 10).Select(i => batcher.InferAsync([i / 10f])).ToArray();
        // Stop at once, while the engine is still busy: shutdown must wait for the queue to drain.
        var stop = batcher.StopAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(stop.IsCompleted, "shutdown finished while windows were still queued");
        engine.Gate.Set();
        await stop.WaitAsync(TimeSpan.FromSeconds(10));

        var results = await Task.WhenAll(pending);
        Assert.All(results, r => Assert.False(r.WasDropped));
        Assert.True((await batcher.InferAsync([0f])).WasDropped, "after shutdown, new windows are refused");
    }
}
