using System.Threading.Channels;
using Assl.Stream.Observability;
using Assl.Stream.Queues;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Assl.Stream.OnlineLearning.Store;

/// <summary>
/// The only writer of samples: producers on the inference path hand it <see cref="StoreCommand"/>s with
/// <see cref="TryEnqueue"/>, which never blocks, and it writes them in batches, one transaction each.
/// Retention runs here too, so the file never has two writers of its own.
/// </summary>
/// <remarks>
/// Concurrency choices:
/// - One bounded channel, many writers (every stream that produces samples), one reader (this loop):
///   SingleReader lets the channel skip reader-side locking, and one reader means one SQLite writer,
///   which is all SQLite allows at a time anyway.
/// - FullMode Wait, used only through TryWrite: when the queue is full TryWrite returns false at once,
///   so the producer never waits, learns the command was not taken, and the drop is counted. Unlike
///   DropOldest (the inference queue's choice) it keeps what was queued first: a later SetPseudoLabel
///   may name a window whose AddWindow is still queued, and losing the newest sample costs the
///   training set nothing that matters. DropWrite would drop the same one but report success.
/// - The loop runs on a thread-pool thread via Task.Run: SQLite calls are synchronous, and they must
///   not hold the host's startup thread.
/// - Unwritable store (read-only or full disk): the loop keeps draining so producers never back up,
///   drops what it reads (counted), reports unhealthy, and tries a real write every RetryInterval.
/// </remarks>
public sealed class StoreWriter : BackgroundService
{
    private readonly Channel<StoreCommand> _queue;
    private readonly ISampleStore _store;
    private readonly StoreOptions _options;
    private readonly AsslMetrics _metrics;
    private readonly ILogger<StoreWriter> _logger;
    private readonly TimeProvider _time;
    private readonly Counter.Child _written, _dropped, _failed;
    private volatile bool _healthy = true;
    private volatile string? _lastError;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private long _droppedWhileUnhealthy;

    public StoreWriter(ISampleStore store, IOptions<StoreOptions> options, AsslMetrics metrics, ILogger<StoreWriter> logger, TimeProvider? time = null)
    {
        _store = store;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _written = metrics.StoreWrites.WithLabels("written");
        _dropped = metrics.StoreWrites.WithLabels("dropped");
        _failed = metrics.StoreWrites.WithLabels("failed");
        _queue = Channel.CreateBounded<StoreCommand>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite only: "full" is a false return, never a wait
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false, // a producer's TryWrite must not run the writer loop inline
        });
    }

    /// <summary>Queues a write; false (and counted as dropped) when the queue is full or the writer has stopped. Never blocks.</summary>
    public bool TryEnqueue(StoreCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_queue.Writer.TryWrite(command)) return true;
        _dropped.Inc();
        return false;
    }

    /// <summary>False while the store cannot be written (commands are being dropped).</summary>
    public bool IsHealthy => _healthy;

    /// <summary>Why the store is unhealthy, or the last failure; null if none.</summary>
    public string? LastError => _lastError;

    public int QueuedCommands => _queue.Reader.Count;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The loop starts here rather than in ExecuteAsync: the base class starts ExecuteAsync through Task.Run with
        // the stopping token, so a stop that comes before it gets a thread would skip the loop, and the drain with it.
        _loop ??= Task.Run(() => LoopAsync(_stopping.Token), CancellationToken.None);
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _loop ?? Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Shutdown order: refuse new commands, stop waiting for batches to fill, let the loop drain and write what
        // is queued, then stop. Only the host's shutdown timeout (cancellationToken) cuts the drain short.
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        try
        {
            if (_loop is not null) await _loop.WaitAsync(cancellationToken);
        }
        finally
        {
            await base.StopAsync(cancellationToken);
        }
    }

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<StoreCommand>(_options.WriteBatchSize);
        var batchDelay = TimeSpan.FromMilliseconds(_options.WriteBatchDelayMs);
        var retry = TimeSpan.FromSeconds(_options.RetryIntervalSeconds);
        var retentionInterval = TimeSpan.FromSeconds(_options.RetentionIntervalSeconds);
        long sinceRetention = 0;
        var lastRetention = _time.GetTimestamp();
        var nextAttempt = _time.GetTimestamp();
        await RefreshStoreGaugesAsync();

        var readable = new ReadableWait<StoreCommand>(_queue.Reader, _time);
        while (true)
        {
            // The wait is cut only by the idle timer, never by stoppingToken: after StopAsync completes the channel,
            // the wait turns false only once everything queued has been read, which is the drain.
            bool? more = await readable.WaitAsync(retentionInterval);
            if (more is null)
            {
                // Idle for a whole interval: age-based retention must still run.
                if (_healthy) await RunRetentionAsync();
                sinceRetention = 0;
                lastRetention = _time.GetTimestamp();
                continue;
            }
            if (more == false) break;

            Fill(batch);
            if (batch.Count < _options.WriteBatchSize && batchDelay > TimeSpan.Zero && !stoppingToken.IsCancellationRequested)
            {
                // A partly full batch waits a few ms for company: fewer, larger transactions under load.
                long deadline = readable.DeadlineAfter(batchDelay);
                while (batch.Count < _options.WriteBatchSize && await readable.WaitUntilAsync(deadline) == true)
                    Fill(batch);
            }

            if (!_healthy && _time.GetTimestamp() < nextAttempt)
            {
                // Unwritable: drain and drop so producers never back up; a real write is tried again at nextAttempt.
                _dropped.Inc(batch.Count);
                _droppedWhileUnhealthy += batch.Count;
                batch.Clear();
                continue;
            }

            if (await WriteBatchAsync(batch))
            {
                sinceRetention += batch.Count;
            }
            else if (!_healthy)
            {
                nextAttempt = _time.GetTimestamp() + (long)(retry.TotalSeconds * _time.TimestampFrequency);
            }
            batch.Clear();

            if (_healthy && (sinceRetention >= _options.RetentionEveryWrites || _time.GetElapsedTime(lastRetention) >= retentionInterval))
            {
                await RunRetentionAsync();
                sinceRetention = 0;
                lastRetention = _time.GetTimestamp();
            }
        }
    }

    private void Fill(List<StoreCommand> batch)
    {
        while (batch.Count < _options.WriteBatchSize && _queue.Reader.TryRead(out var command))
            batch.Add(command);
    }

    /// <summary>Writes one batch; true when written. Failures are counted and logged, never thrown: the loop must outlive them.</summary>
    private async Task<bool> WriteBatchAsync(List<StoreCommand> batch)
    {
        if (batch.Count == 0) return true;
        try
        {
            var sequences = await _store.WriteAsync(batch.ToArray(), CancellationToken.None);
            _written.Inc(batch.Count);
            _metrics.StoreWindows.Inc(sequences.Count);
            if (!_healthy)
            {
                StreamLog.StoreRecovered(_logger, _droppedWhileUnhealthy);
                _droppedWhileUnhealthy = 0;
                _healthy = true;
            }
            return true;
        }
        catch (StoreUnavailableException e)
        {
            _failed.Inc(batch.Count);
            _lastError = e.Message;
            if (_healthy) StreamLog.StoreUnavailable(_logger, batch.Count, _options.RetryIntervalSeconds, e);
            _healthy = false;
            return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not a storage condition (e.g. a bad command): lose this batch, keep the store and the loop.
            _failed.Inc(batch.Count);
            _lastError = e.Message;
            StreamLog.StoreBatchFailed(_logger, batch.Count, e);
            return false;
        }
    }

    private async Task RunRetentionAsync()
    {
        try
        {
            long cutoff = (_time.GetUtcNow() - TimeSpan.FromDays(_options.MaxAgeDays)).ToUnixTimeMilliseconds() * 1000;
            var result = await _store.ApplyRetentionAsync(_options.MaxWindows, cutoff, CancellationToken.None);
            if (result.Total > 0) StreamLog.StoreRetention(_logger, result.DeletedByAge, result.DeletedByCount);
            await RefreshStoreGaugesAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            StreamLog.StoreRetentionFailed(_logger, e);
        }
    }

    private async Task RefreshStoreGaugesAsync()
    {
        try
        {
            // From the store itself: with a shared server database other replicas add windows too.
            var status = await _store.GetStatusAsync(CancellationToken.None);
            _metrics.StoreWindows.Set(status.Windows);
            // Here too, not only in the online loop: with learning off the store still fills, and its size is still worth watching.
            _metrics.StoreBytes.Set(Math.Max(0, status.FileSizeBytes));
            if (!status.Writable)
            {
                _healthy = false;
                _lastError = status.LastError;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _lastError = e.Message;
        }
    }
}
