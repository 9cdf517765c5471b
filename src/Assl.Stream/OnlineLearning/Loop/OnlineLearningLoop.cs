using System.Diagnostics;
using System.Text.Json;
using Assl.Model.Checkpoints;
using Assl.Stream.Inference;
using Assl.Stream.Observability;
using Assl.Stream.OnlineLearning.Gate;
using Assl.Stream.OnlineLearning.Promotion;
using Assl.Stream.OnlineLearning.Store;
using Microsoft.Extensions.Options;

namespace Assl.Stream.OnlineLearning.Loop;

/// <summary>
/// The online semi-supervised loop. It waits until enough new windows were stored (or the interval
/// passed, or an operator asks), fine-tunes a copy of the serving model on one dedicated thread,
/// evaluates it beside the serving model and promotes it only when <see cref="Model.Promotion.PromotionPolicy"/>
/// agrees: checkpoint written atomically, pointer written atomically, then the engine swaps models by
/// reference (in-flight batches finish on the old one).
/// </summary>
/// <remarks>
/// Every model change (online, operator, rollback) goes through one lock, so the pointer, the store's
/// history and the engine never disagree about what serves. Failures of a run are logged and counted;
/// serving never stops for them.
/// </remarks>
public sealed class OnlineLearningLoop : BackgroundService, IOnlineLearningControl
{
    private readonly OnlineLearningOptions _options;
    private readonly IInferenceEngine _engine;
    private readonly ISampleStore _store;
    private readonly ModelRegistry _registry;
    private readonly AsslMetrics _metrics;
    private readonly PseudoLabelQuota _quota;
    private readonly ILogger<OnlineLearningLoop> _logger;
    private readonly string _contentRoot;
    private readonly SemaphoreSlim _modelChange = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _statusLock = new();
    private LabelledSets? _labelled;
    private OnlineLoopState _state = OnlineLoopState.Idle;
    private string _detail = "waiting for samples";
    private bool _paused;
    private string? _requested;
    private long _runStartSequence;
    private long _latestSequence;
    private DateTimeOffset _lastRunAt = DateTimeOffset.UtcNow;
    private FineTuneRunSummary? _lastRun;
    private bool _storeWritable = true;
    private FineTuneThread? _fineTuneThread; // started by the first run: a server with learning off has no such thread

    public OnlineLearningLoop(IOptions<OnlineLearningOptions> options, IInferenceEngine engine, ISampleStore store, ModelRegistry registry,
        AsslMetrics metrics, PseudoLabelQuota quota, ILogger<OnlineLearningLoop> logger, IHostEnvironment environment)
    {
        _quota = quota;
        _options = options.Value;
        _engine = engine;
        _store = store;
        _registry = registry;
        _metrics = metrics;
        _logger = logger;
        _contentRoot = environment.ContentRootPath;
        if (!_options.Enabled) SetState(OnlineLoopState.Disabled, "off by configuration (OnlineLearning:Enabled=false)");
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The store's history must name what serves, whichever way the server got it (pointer, fall-back, configured file).
        var serving = _engine.Current;
        await TryStoreAsync(() => _store.SaveModelVersionAsync(RecordOf(serving, serving.SourcePath ?? "", ModelStatus.Serving), cancellationToken));
        _metrics.SetServingVersion(serving.Version, null);
        // Caps count what the store already holds, also when learning is off and the loop never polls.
        await TryStoreAsync(async () => _quota.Sync((await _store.GetStatusAsync(cancellationToken)).PseudoLabelledPerClass));
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            StreamLog.OnlineLearningDisabled(_logger, _detail);
            return;
        }
        try
        {
            // Say at once, not at the first run hours later, that learning cannot happen.
            var dataPath = LabelledSets.CheckDataPath(_options, _contentRoot);
            StreamLog.OnlineLearningOn(_logger, dataPath, string.Join(",", _options.EffectiveValidationSubjects), _options.MinNewSamples,
                _options.IntervalMinutes, _options.Threads, _registry.Directory);
        }
        catch (OnlineLearningException e)
        {
            SetState(OnlineLoopState.Disabled, e.Message);
            UpdateActiveMetric();
            StreamLog.OnlineLearningDisabled(_logger, e.Message);
            return;
        }
        try
        {
            _runStartSequence = _latestSequence = await _store.LatestSequenceAsync(stoppingToken);
        }
        catch (StoreUnavailableException)
        {
            // Counting starts once the store answers.
        }
        var poll = TimeSpan.FromSeconds(_options.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            if (await DueAsync(stoppingToken) is not { } due) continue;
            await RunAsync(due.Trigger, due.PseudoLabelled, stoppingToken);
            if (_state == OnlineLoopState.Disabled) return;
        }
    }

    /// <summary>Why a run should start now (and the pseudo-labelled windows the store holds), or null.</summary>
    private async Task<(string Trigger, long PseudoLabelled)?> DueAsync(CancellationToken ct)
    {
        StoreStatus status;
        try
        {
            status = await _store.GetStatusAsync(ct);
            _latestSequence = await _store.LatestSequenceAsync(ct);
        }
        catch (StoreUnavailableException e)
        {
            MarkStore(false, $"the store cannot be read ({e.Message}): serving without learning");
            return null;
        }
        _metrics.StoreBytes.Set(Math.Max(0, status.FileSizeBytes));
        _quota.Sync(status.PseudoLabelledPerClass);
        MarkStore(status.Writable, status.Writable ? null : $"the store is not writable ({status.LastError}): serving without learning");
        var requested = Interlocked.Exchange(ref _requested, null);
        if (!status.Writable) return null;
        long pseudo = status.PseudoLabelledPerClass.Values.Sum();
        if (requested is not null) return (requested, pseudo);
        if (_paused) return null;

        long fresh = NewSamples;
        if (fresh >= _options.MinNewSamples) return ($"{fresh} new samples", pseudo);
        if (fresh > 0 && DateTimeOffset.UtcNow - _lastRunAt >= TimeSpan.FromMinutes(_options.IntervalMinutes)) return ($"interval of {_options.IntervalMinutes} min", pseudo);
        SetDetail($"waiting: {fresh} of {_options.MinNewSamples} new samples");
        return null;
    }

    private long NewSamples => Math.Max(0, Volatile.Read(ref _latestSequence) - Volatile.Read(ref _runStartSequence));

    private async Task RunAsync(string trigger, long pseudoTotal, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long startSequence = _latestSequence;
        try
        {
            // A skipped run counts as a run for the trigger, so a quiet camera does not log a skip every poll.
            _runStartSequence = startSequence;
            _lastRunAt = DateTimeOffset.UtcNow;
            if (pseudoTotal < _options.MinPseudoLabelled)
            {
                StreamLog.FineTuneSkipped(_logger, $"{pseudoTotal} pseudo-labelled windows, fewer than {_options.MinPseudoLabelled}");
                SetDetail($"waiting: {pseudoTotal} of {_options.MinPseudoLabelled} pseudo-labelled windows");
                return;
            }
            var pseudo = PseudoLabelCorruption.Apply(await _store.NewestPseudoLabelledAsync(_options.PseudoLabelledPerClass, 0f, ct),
                _options.CorruptPseudoLabels, _engine.Current.ClassNames.Count);
            var unlabelled = await _store.RandomUnlabelledAsync(_options.UnlabelledSamples, ct);
            var recent = await _store.WindowsSinceAsync(Math.Max(0, startSequence - _options.RecentWindows), _options.RecentWindows, ct);

            SetState(OnlineLoopState.Training, $"fine-tuning ({trigger})");
            await _modelChange.WaitAsync(ct);
            try
            {
                ct.ThrowIfCancellationRequested();
                await FineTuneThread.RunAsync(() => TrainAndDecide(trigger, pseudo, unlabelled, recent, clock, ct));
            }
            finally
            {
                _modelChange.Release();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _metrics.FineTuneRuns.WithLabels("cancelled").Inc();
        }
        catch (OnlineLearningException e)
        {
            SetState(OnlineLoopState.Disabled, e.Message);
            StreamLog.OnlineLearningDisabled(_logger, e.Message);
        }
        catch (Exception e)
        {
            _metrics.FineTuneRuns.WithLabels("failed").Inc();
            StreamLog.FineTuneFailed(_logger, _engine.Current.Version, e);
            SetDetail($"the last run failed: {e.Message}");
        }
        finally
        {
            if (_state is OnlineLoopState.Training or OnlineLoopState.Evaluating) SetState(OnlineLoopState.Idle, _detail);
            UpdateActiveMetric();
        }
    }

    private FineTuneThread FineTuneThread
    {
        get
        {
            lock (_statusLock) return _fineTuneThread ??= new FineTuneThread();
        }
    }

    /// <summary>On the fine-tuning thread: train, evaluate, write the checkpoint, decide, swap.</summary>
    private void TrainAndDecide(string trigger, SampleBatch pseudo, SampleBatch unlabelled, IReadOnlyList<StoredSample> recent, Stopwatch clock, CancellationToken ct)
    {
        if (BackgroundThreadPriority.LowerCurrentThread(_options.Niceness) is { } why)
            StreamLog.FineTunePriorityUnchanged(_logger, _options.Niceness, why);
        ServingModel serving;
        do serving = _engine.Current; while (!serving.TryAcquire());
        try
        {
            _labelled ??= LabelledSets.Load(_options, serving, _contentRoot);
            StreamLog.FineTuneStarted(_logger, serving.Version, trigger, _labelled.Labelled.Length, pseudo.Count, unlabelled.Count,
                _options.FineTune.Steps, _options.Threads);
            var outcome = new CandidateTrainer(_options).Train(serving, _labelled, pseudo, unlabelled, recent, ct, () => _metrics.FineTuneSteps.Inc());
            SetState(OnlineLoopState.Evaluating, "deciding on the candidate");
            if (outcome.Cancelled)
            {
                outcome.Candidate.Dispose();
                _metrics.FineTuneRuns.WithLabels("cancelled").Inc();
                return;
            }
            Decide(serving, outcome, trigger, clock);
        }
        finally
        {
            serving.Release();
        }
    }

    private void Decide(ServingModel serving, CandidateOutcome outcome, string trigger, Stopwatch clock)
    {
        var version = NewVersionName();
        var metrics = new Dictionary<string, double>(outcome.Evaluation.ToMetrics());
        foreach (var (name, value) in outcome.MeanLosses) metrics["loss_" + name] = value;
        metrics["pseudo_labelled"] = outcome.PseudoLabelled;
        metrics["unlabelled"] = outcome.Unlabelled;
        var manifest = serving.Manifest with
        {
            ModelVersion = version,
            CreatedUtc = DateTimeOffset.UtcNow,
            TrainedOn = $"online fine-tune of {serving.Version} ({trigger}): {outcome.Labelled} labelled, {outcome.PseudoLabelled} pseudo-labelled, " +
                        $"{outcome.Unlabelled} unlabelled samples, {outcome.Steps} steps",
            Metrics = metrics,
        };
        _metrics.CandidateTop1.WithLabels("candidate").Set(outcome.Evaluation.CandidateTop1);
        _metrics.CandidateTop1.WithLabels("serving").Set(outcome.Evaluation.ServingTop1);

        string path;
        try
        {
            manifest = _registry.SaveCheckpoint(outcome.Candidate, manifest);
            path = _registry.CheckpointPath(version);
        }
        catch
        {
            outcome.Candidate.Dispose();
            throw;
        }
        var decision = outcome.Decision;
        var now = UnixMicros(DateTimeOffset.UtcNow);
        TryStore(() => _store.SaveModelVersionAsync(new ModelVersionRecord(version, path, JsonSerializer.Serialize(metrics), now, ModelStatus.Candidate)));
        if (decision.Accepted)
        {
            Swap(new ServingModel(outcome.Candidate, manifest, serving.Device) { SourcePath = path }, path, serving);
            _metrics.Promotions.WithLabels("online").Inc();
            _metrics.FineTuneRuns.WithLabels("promoted").Inc();
            StreamLog.CandidatePromoted(_logger, version, serving.Version, clock.Elapsed.TotalSeconds, decision.Reason);
        }
        else
        {
            outcome.Candidate.Dispose();
            _metrics.Refusals.WithLabels(decision.Rule).Inc();
            _metrics.FineTuneRuns.WithLabels("refused").Inc();
            StreamLog.CandidateRefused(_logger, version, decision.Rule, clock.Elapsed.TotalSeconds, decision.Reason, serving.Version);
        }
        TryStore(() => _store.RecordPromotionAsync(new PromotionRecord(serving.Version, version, decision.Reason, decision.Accepted, now)));
        _metrics.FineTuneDuration.Observe(clock.Elapsed.TotalSeconds);
        lock (_statusLock)
            _lastRun = new FineTuneRunSummary(version, decision.Accepted, decision.Reason, clock.Elapsed.TotalSeconds,
                outcome.Evaluation.CandidateTop1, outcome.Evaluation.ServingTop1, now);
        _registry.Prune(_options.KeepVersions);
        SetDetail(decision.Accepted ? $"promoted {version}" : $"refused {version}: {decision.Reason}");
    }

    /// <summary>Pointer first (so a restart serves the new model), then the engine.</summary>
    private void Swap(ServingModel next, string path, ServingModel previous)
    {
        _registry.SetServing(next.Version, path, previous.Version, previous.SourcePath);
        _engine.Swap(next);
        _metrics.SetServingVersion(next.Version, previous.Version);
    }

    private string NewVersionName()
    {
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var name = $"online-{stamp}";
        for (int n = 2; File.Exists(_registry.CheckpointPath(name)); n++) name = $"online-{stamp}-{n}";
        return name;
    }

    public OnlineLoopStatus GetStatus()
    {
        lock (_statusLock)
        {
            long? due = _state == OnlineLoopState.Disabled || _paused ? null
                : UnixMicros(_lastRunAt + TimeSpan.FromMinutes(_options.IntervalMinutes));
            return new OnlineLoopStatus(_state, _paused, _engine.Current.Version, NewSamples, due, _lastRun, _storeWritable, _detail);
        }
    }

    public async Task<IReadOnlyList<ModelVersionInfo>> ListVersionsAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ModelVersionRecord> records;
        try
        {
            records = await _store.GetModelVersionsAsync(cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            throw new OnlineLearningException($"the store cannot be read: {e.Message}");
        }
        var serving = _engine.Current.Version;
        return records.Select(r => new ModelVersionInfo(r.Version,
            r.Version == serving ? "serving" : r.Status == ModelStatus.Serving ? "retired" : r.Status.ToString().ToLowerInvariant(),
            r.CreatedUnixUs, ParseMetrics(r.MetricsJson), r.CheckpointPath)).ToArray();
    }

    public async Task<ModelVersionInfo> PromoteAsync(string version, string reason, CancellationToken cancellationToken = default)
    {
        var path = await FindCheckpointAsync(version, cancellationToken);
        return await ChangeModelAsync(version, path, "promoted", "operator", reason, cancellationToken);
    }

    public async Task<ModelVersionInfo> RollbackAsync(string? version, CancellationToken cancellationToken = default)
    {
        var pointer = _registry.ReadPointer();
        string path;
        if (version is null)
        {
            var previous = pointer?.History.FirstOrDefault()
                ?? throw new OnlineLearningException("nothing to roll back to: no earlier version was served by the online loop");
            (version, path) = (previous.Version, previous.Path);
        }
        else
        {
            path = await FindCheckpointAsync(version, cancellationToken);
        }
        return await ChangeModelAsync(version, path, "rolled back", "rollback", "operator rollback", cancellationToken);
    }

    private async Task<ModelVersionInfo> ChangeModelAsync(string version, string path, string action, string kind, string reason, CancellationToken ct)
    {
        await _modelChange.WaitAsync(ct);
        try
        {
            var previous = _engine.Current;
            if (previous.Version == version) throw new OnlineLearningException($"{version} is already serving");
            ServingModel next;
            try
            {
                next = ServingModel.Load(path, previous.Device);
            }
            catch (Exception e) when (e is CheckpointException or IOException or UnauthorizedAccessException)
            {
                throw new OnlineLearningException($"{version} cannot be served: {e.Message}");
            }
            if (next.Version != version || next.Layout.Id != previous.Layout.Id || next.Frames != previous.Frames)
            {
                next.Retire();
                throw new OnlineLearningException($"{path} holds {next.Version} ({next.Layout.Id}, T={next.Frames}), not a drop-in for {previous.Version}");
            }
            Swap(next, path, previous);
            _metrics.Promotions.WithLabels(kind).Inc();
            var now = UnixMicros(DateTimeOffset.UtcNow);
            await TryStoreAsync(() => _store.SaveModelVersionAsync(RecordOf(next, path, ModelStatus.Candidate), ct));
            await TryStoreAsync(() => _store.RecordPromotionAsync(new PromotionRecord(previous.Version, version, $"{reason}", true, now), ct));
            StreamLog.OperatorModelChange(_logger, action, version, previous.Version, reason);
            SetDetail($"{action} {version}");
            return new ModelVersionInfo(version, "serving", UnixMicros(next.Manifest.CreatedUtc), next.Manifest.Metrics, path);
        }
        finally
        {
            _modelChange.Release();
        }
    }

    private async Task<string> FindCheckpointAsync(string version, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(version)) throw new OnlineLearningException("a version is required");
        var fromPointer = _registry.ReadPointer()?.NewestFirst().FirstOrDefault(v => v.Version == version)?.Path;
        if (fromPointer is not null) return fromPointer;
        try
        {
            var record = (await _store.GetModelVersionsAsync(ct)).FirstOrDefault(r => r.Version == version);
            if (record is not null && !string.IsNullOrEmpty(record.CheckpointPath)) return record.CheckpointPath;
        }
        catch (StoreUnavailableException)
        {
            // The registry's own file name is the last resort below.
        }
        var guess = _registry.CheckpointPath(version);
        if (File.Exists(guess)) return guess;
        throw new OnlineLearningException($"unknown version {version}: no checkpoint is recorded for it");
    }

    public bool TriggerFineTune(string reason)
    {
        if (_state == OnlineLoopState.Disabled) throw new OnlineLearningException($"online learning is off: {_detail}");
        if (!_storeWritable) throw new OnlineLearningException($"the store is not writable, so the loop does not learn: {_detail}");
        if (_state is OnlineLoopState.Training or OnlineLoopState.Evaluating) return false;
        if (Interlocked.CompareExchange(ref _requested, $"requested: {reason}", null) is not null) return false;
        if (_wake.CurrentCount == 0) _wake.Release();
        return true;
    }

    public void Pause()
    {
        lock (_statusLock) _paused = true;
        UpdateActiveMetric();
    }

    public void Resume()
    {
        lock (_statusLock) _paused = false;
        UpdateActiveMetric();
    }

    private void SetState(OnlineLoopState state, string detail)
    {
        lock (_statusLock)
        {
            _state = state;
            _detail = detail;
        }
    }

    private void SetDetail(string detail)
    {
        lock (_statusLock) _detail = detail;
    }

    private void MarkStore(bool writable, string? detail)
    {
        lock (_statusLock)
        {
            _storeWritable = writable;
            if (detail is not null) _detail = detail;
        }
        UpdateActiveMetric();
    }

    /// <summary>1 while the loop may start runs: enabled, not paused, store writable.</summary>
    private void UpdateActiveMetric()
    {
        bool active;
        lock (_statusLock) active = _state != OnlineLoopState.Disabled && !_paused && _storeWritable;
        _metrics.OnlineLearningActive.Set(active ? 1 : 0);
    }

    private static long UnixMicros(DateTimeOffset time) => time.ToUnixTimeMilliseconds() * 1000;

    private static ModelVersionRecord RecordOf(ServingModel model, string path, ModelStatus status) =>
        new(model.Version, path, JsonSerializer.Serialize(model.Manifest.Metrics), UnixMicros(model.Manifest.CreatedUtc), status);

    private static IReadOnlyDictionary<string, double> ParseMetrics(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, double>>(json) ?? [];
        }
        catch (JsonException)
        {
            return new Dictionary<string, double>();
        }
    }

    /// <summary>History is best kept, never required: an unwritable store must not stop a promotion.</summary>
    private void TryStore(Func<Task> write) => TryStoreAsync(write).GetAwaiter().GetResult();

    private async Task TryStoreAsync(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (StoreUnavailableException e)
        {
            MarkStore(false, $"the store is not writable ({e.Message}): serving without learning");
        }
    }

    public override void Dispose()
    {
        _fineTuneThread?.Dispose();
        _modelChange.Dispose();
        _wake.Dispose();
        base.Dispose();
    }
}
