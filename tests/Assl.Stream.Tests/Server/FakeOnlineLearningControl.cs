using Assl.Stream.OnlineLearning.Loop;

namespace Assl.Stream.Tests.Server;

/// <summary>
/// An in-memory online loop for admin tests: three versions (one retired, one serving, one refused), a fixed status,
/// and a switch that makes the next call refuse like the real loop does. Also linked into Assl.Cli.Tests.
/// </summary>
public sealed class FakeOnlineLearningControl : IOnlineLearningControl
{
    public const long V1Created = 1_735_689_600_000_000; // 2025-01-01 00:00 UTC
    public const long V2Created = 1_738_368_000_000_000; // 2025-02-01 00:00 UTC
    public const long V3Created = 1_740_787_200_000_000; // 2025-03-01 00:00 UTC
    public const long NextRunDue = 1_767_225_600_000_000; // 2026-01-01 00:00 UTC
    public const long LastRunFinished = 1_740_790_800_000_000; // 2025-03-01 01:00 UTC

    private readonly Lock _gate = new();
    private readonly List<ModelVersionInfo> _versions =
    [
        new("nucla-v1", "retired", V1Created, new Dictionary<string, double> { ["val_top1"] = 0.80 }, "/models/nucla-v1.assl"),
        new("nucla-v2", "serving", V2Created, new Dictionary<string, double> { ["val_top1"] = 0.845, ["agreement"] = 0.97, ["entropy"] = 0.41 },
            "/models/nucla-v2.assl"),
        new("nucla-v3", "refused", V3Created, new Dictionary<string, double> { ["val_top1"] = 0.83, ["agreement"] = 0.91 }, "/models/nucla-v3.assl"),
    ];
    private bool _paused;
    private bool _runQueued;

    /// <summary>When set, the next call throws <see cref="OnlineLearningException"/> with this message (and clears it).</summary>
    public string? RefuseNextWith { get; set; }

    /// <summary>What the loop was asked, in order: "promote nucla-v3 (reason)", "rollback (previous)", "finetune (reason)", "pause", "resume".</summary>
    public List<string> Calls { get; } = [];

    public OnlineLoopStatus GetStatus()
    {
        lock (_gate)
        {
            RefuseIfAsked();
            return new OnlineLoopStatus(OnlineLoopState.Idle, _paused, Serving.Version, NewSamples: 1234, NextRunDue,
                new FineTuneRunSummary("nucla-v3", Promoted: false, "top-1 0.830 < 0.845 serving", Seconds: 95.5, CandidateTop1: 0.83,
                    ServingTop1: null, LastRunFinished),
                StoreWritable: true, Detail: "waiting for 2000 new samples");
        }
    }

    public Task<IReadOnlyList<ModelVersionInfo>> ListVersionsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<ModelVersionInfo>>([.. _versions]);
    }

    public Task<ModelVersionInfo> PromoteAsync(string version, string reason, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            RefuseIfAsked();
            Calls.Add($"promote {version} ({reason})");
            return Task.FromResult(Serve(version));
        }
    }

    public Task<ModelVersionInfo> RollbackAsync(string? version, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            RefuseIfAsked();
            Calls.Add($"rollback {version ?? "(previous)"}");
            var target = version ?? _versions.LastOrDefault(v => v.Status == "retired")?.Version
                ?? throw new OnlineLearningException("Nothing to roll back to: no version was served before this one.");
            return Task.FromResult(Serve(target));
        }
    }

    public bool TriggerFineTune(string reason)
    {
        lock (_gate)
        {
            RefuseIfAsked();
            Calls.Add($"finetune ({reason})");
            if (_runQueued) return false;
            _runQueued = true;
            return true;
        }
    }

    public void Pause()
    {
        lock (_gate)
        {
            RefuseIfAsked();
            Calls.Add("pause");
            _paused = true;
        }
    }

    public void Resume()
    {
        lock (_gate)
        {
            RefuseIfAsked();
            Calls.Add("resume");
            _paused = false;
        }
    }

    private ModelVersionInfo Serving => _versions.Single(v => v.Status == "serving");

    private ModelVersionInfo Serve(string version)
    {
        int target = _versions.FindIndex(v => v.Version == version);
        if (target < 0) throw new OnlineLearningException($"Unknown version {version}.");
        int current = _versions.FindIndex(v => v.Status == "serving");
        if (current != target) _versions[current] = _versions[current] with { Status = "retired" };
        _versions[target] = _versions[target] with { Status = "serving" };
        return _versions[target];
    }

    private void RefuseIfAsked()
    {
        if (RefuseNextWith is not { } message) return;
        RefuseNextWith = null;
        throw new OnlineLearningException(message);
    }
}
