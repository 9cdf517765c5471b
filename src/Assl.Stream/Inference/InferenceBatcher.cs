using System.Diagnostics;
using System.Threading.Channels;
using Assl.Stream.Observability;
using Assl.Stream.Queues;
using Microsoft.Extensions.Options;

namespace Assl.Stream.Inference;

/// <summary>
/// Collects windows from every stream into batches and runs them through the model, one forward pass
/// per batch, on a loop of its own. Callers await their window's result.
/// </summary>
/// <remarks>
/// Concurrency choices:
/// - One bounded channel, many writers (every ingest stream), one reader per worker
///   (<see cref="BatchingOptions.Workers"/>, one per core by default): passes run side by side on a share of the
///   cores each. With one worker there is one forward pass at a time, the channel skips reader-side locking, and
///   libtorch parallelises inside the pass. Each stream awaits its windows' results in order, so a later window
///   that finishes first on another worker still reaches its stream after the earlier one.
///   The first worker takes every pass at live load; the others sleep until <see cref="BatchingOptions.HelperBacklog"/>
///   windows wait (a burst, an overload), so a lone window wakes one thread, not all of them.
/// - FullMode DropOldest: under overload the freshest windows matter most for live recognition, so the
///   oldest waiting window is dropped; its caller gets <see cref="InferenceResult.Dropped"/> and the drop
///   is counted. Writers therefore never block, and a slow model never stalls ingestion.
/// - The loop runs on a dedicated thread and calls the engine synchronously: each batch's dispose scope
///   opens and closes on one thread, libtorch keeps one OpenMP team for it, and under load the next batch
///   never queues behind gRPC work on the thread pool (it did: p50 latency grew with streams at half a core busy).
/// </remarks>
public sealed partial class InferenceBatcher : BackgroundService
{
    private readonly Channel<InferenceRequest> _queue;
    private readonly IInferenceEngine _engine;
    private readonly BatchingOptions _options;
    private readonly AsslMetrics _metrics;
    private readonly ILogger<InferenceBatcher> _logger;

    public InferenceBatcher(IInferenceEngine engine, IOptions<BatchingOptions> options, AsslMetrics metrics, ILogger<InferenceBatcher> logger)
    {
        _engine = engine;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _queue = Channel.CreateBounded<InferenceRequest>(
            new BoundedChannelOptions(_options.QueueCapacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = _options.Workers == 1,
                SingleWriter = false,
                // Completions run continuations asynchronously (see InferenceRequest), so none runs inline on the loop.
                AllowSynchronousContinuations = false,
            },
            dropped =>
            {
                _metrics.WindowsDropped.Inc();
                dropped.Completion.TrySetResult(InferenceResult.Dropped);
            });
    }

    /// <summary>Queues one window; completes when its batch has run, or with Dropped under overload or shutdown.</summary>
    public Task<InferenceResult> InferAsync(float[] window)
    {
        var request = new InferenceRequest(window, Stopwatch.GetTimestamp());
        if (!_queue.Writer.TryWrite(request))
            request.Completion.TrySetResult(InferenceResult.Dropped); // only after shutdown began
        int queued = _queue.Reader.Count;
        if (queued >= _options.HelperBacklog) _backlog.Set();
        _metrics.QueuedWindows.Set(queued);
        return request.Completion.Task;
    }

    public int QueuedWindows => _queue.Reader.Count;

    /// <summary>Every inference thread's name starts with this (short enough for Linux's 15-character thread names), so its CPU time can be told apart.</summary>
    public const string ThreadNamePrefix = "assl-inference";

    private readonly CancellationTokenSource _stopping = new();
    // Set when enough windows wait for the helpers (workers after the first) to take passes too; see BatchingOptions.HelperBacklog.
    // Never disposed: nothing asks for its wait handle, the one thing disposing frees, and a late InferAsync may still set it.
    private readonly ManualResetEventSlim _backlog = new();
    private Task _loop = Task.CompletedTask;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The loop starts here, not in ExecuteAsync: .NET 10 runs ExecuteAsync through Task.Run with the
        // stopping token, so a stop that came early would skip the loop and strand queued windows.
        var loops = new Task[_options.Workers];
        for (int w = 0; w < loops.Length; w++)
        {
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            bool helper = w > 0;
            loops[w] = ended.Task;
            var thread = new Thread(() =>
            {
                try
                {
                    Loop(helper, _stopping.Token);
                    ended.TrySetResult();
                }
                catch (Exception e)
                {
                    ended.TrySetException(e);
                }
            })
            { IsBackground = true, Name = loops.Length == 1 ? ThreadNamePrefix : $"{ThreadNamePrefix}-{w + 1}" };
            thread.Start();
        }
        _loop = Task.WhenAll(loops);
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _loop;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Shutdown order: refuse new windows, stop waiting for batches to fill, let the loop drain what is queued.
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        _backlog.Set(); // after the cancellation, which a helper checks again after every reset: the helpers drain too
        await _loop.WaitAsync(cancellationToken);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }

    // Blocking waits are right here: this thread exists only to run batches.
    /// <param name="helper">
    /// A worker after the first: it sleeps until a backlog builds (or shutdown), then takes its share of it at once, pass
    /// after pass, while the backlog lasts; only the first worker waits for company for a partly full batch.
    /// </param>
    private void Loop(bool helper, CancellationToken stoppingToken)
    {
        var batch = new List<InferenceRequest>(_options.MaxBatchSize);
        var delay = helper ? TimeSpan.Zero : TimeSpan.FromMilliseconds(_options.MaxBatchDelayMs);
        var readable = new ReadableWait<InferenceRequest>(_queue.Reader);
        try
        {
            while (helper ? WaitForBacklog() : readable.Wait(Timeout.InfiniteTimeSpan) == true)
            {
                bool leftNoneForOthers = Fill(batch);
                if (leftNoneForOthers && batch.Count < _options.MaxBatchSize && delay > TimeSpan.Zero && !stoppingToken.IsCancellationRequested)
                {
                    // A partly full batch waits briefly for company: throughput under load, bounded latency when idle.
                    long deadline = readable.DeadlineAfter(delay);
                    while (batch.Count < _options.MaxBatchSize && readable.WaitUntil(deadline) == true)
                        if (!Fill(batch)) break;
                }
                TopUpToShape(batch);
                _metrics.QueuedWindows.Set(_queue.Reader.Count);
                Run(batch);
                batch.Clear();
            }
        }
        catch (Exception e)
        {
            StreamLog.InferenceLoopFailed(_logger, e);
            foreach (var request in batch) request.Completion.TrySetException(e);
            throw;
        }
    }

    /// <returns>True when a backlog waits (after shutdown began: anything at all); false once shut down and drained.</returns>
    private bool WaitForBacklog()
    {
        while (true)
        {
            if (_stopping.IsCancellationRequested) return _queue.Reader.Count > 0;
            if (_queue.Reader.Count >= _options.HelperBacklog) return true;
            _backlog.Reset();
            // A writer (or shutdown) may have set the event between the checks above and the reset: look again before sleeping.
            if (_queue.Reader.Count >= _options.HelperBacklog || _stopping.IsCancellationRequested) continue;
            _backlog.Wait();
        }
    }

    /// <summary>Takes queued windows up to this worker's share; false when it left windows for another worker (its share is taken).</summary>
    private bool Fill(List<InferenceRequest> batch)
    {
        while (batch.Count < Share(batch.Count))
            if (_queue.Reader.TryRead(out var request)) batch.Add(request);
            else return true;
        return _queue.Reader.Count == 0;
    }

    /// <summary>
    /// Fills the rows the engine would pad with zeros (<see cref="IInferenceEngine.ShapeFor"/>) with windows that are
    /// waiting anyway: the pass costs the same, and those windows need no pass of their own. Under a backlog a worker's
    /// share is rarely a shape (35 windows run as 48), so without this about a quarter of such a pass was padding.
    /// </summary>
    private void TopUpToShape(List<InferenceRequest> batch)
    {
        if (batch.Count == 0) return;
        int shape = Math.Min(_engine.ShapeFor(batch.Count), _options.MaxBatchSize);
        while (batch.Count < shape && _queue.Reader.TryRead(out var request)) batch.Add(request);
    }

    /// <summary>
    /// The most windows one pass may take when it holds <paramref name="taken"/>: up to its even part of the
    /// maximum (MaxBatchSize / Workers) at any time, and more only while as many remain for each other worker.
    /// </summary>
    /// <remarks>
    /// A burst (cameras completing windows at the same instants) would otherwise go to whichever worker woke
    /// first, as one long pass on one core while the other cores idle: at 64 lockstep streams on 2 workers, passes
    /// of 33–64 windows (64–128 ms) beside passes of one. A long backlog still gives full batches.
    /// </remarks>
    private int Share(int taken)
    {
        int workers = _options.Workers, max = _options.MaxBatchSize;
        if (workers == 1) return max;
        int visible = taken + _queue.Reader.Count;
        return Math.Min(max, Math.Max(Math.Max(1, max / workers), (visible + workers - 1) / workers));
    }

    private void Run(List<InferenceRequest> batch)
    {
        if (batch.Count == 0) return;
        long start = Stopwatch.GetTimestamp();
        try
        {
            var (probabilities, version) = _engine.Predict(batch.Select(r => r.Window).ToArray());
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            _metrics.InferenceDuration.Observe(elapsed);
            _metrics.BatchSize.Observe(batch.Count);
            _metrics.WindowsInferred.Inc(batch.Count);
            _metrics.PaddingRows.Inc(_engine.ShapeFor(batch.Count) - batch.Count);
            // Before the callers hear back: a client that sees its results and reads the gauge finds its windows gone from it.
            _metrics.QueuedWindows.Set(_queue.Reader.Count);
            for (int i = 0; i < batch.Count; i++)
                batch[i].Completion.TrySetResult(new InferenceResult(probabilities[i], version));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A batch that fails (e.g. a window the model cannot take) fails its callers, not the server.
            StreamLog.BatchFailed(_logger, batch.Count, e);
            foreach (var request in batch) request.Completion.TrySetException(e);
        }
    }
}
