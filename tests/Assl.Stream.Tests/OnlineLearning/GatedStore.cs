using Assl.Stream.OnlineLearning.Store;

namespace Assl.Stream.Tests.OnlineLearning;

/// <summary>An <see cref="ISampleStore"/> whose writes wait on a gate and can be made to fail as an unwritable disk would.</summary>
internal sealed class GatedStore : ISampleStore
{
    private readonly Lock _lock = new();
    private readonly List<StoreCommand> _written = [];
    private long _nextSequence;

    /// <summary>Writes block until set.</summary>
    public ManualResetEventSlim Gate { get; } = new(initialState: true);

    /// <summary>While true, writes throw <see cref="StoreUnavailableException"/>.</summary>
    public volatile bool Unwritable;

    public int WriteCalls;
    public int RetentionCalls;

    public IReadOnlyList<StoreCommand> Written
    {
        get { lock (_lock) return [.. _written]; }
    }

    public Task<IReadOnlyList<long>> WriteAsync(IReadOnlyList<StoreCommand> commands, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref WriteCalls);
        Gate.Wait(TimeSpan.FromSeconds(30));
        if (Unwritable) return Task.FromException<IReadOnlyList<long>>(new StoreUnavailableException("disk full (test)"));
        lock (_lock)
        {
            _written.AddRange(commands);
            IReadOnlyList<long> sequences = commands.OfType<StoreCommand.AddWindow>().Select(_ => ++_nextSequence).ToArray();
            return Task.FromResult(sequences);
        }
    }

    public Task<RetentionResult> ApplyRetentionAsync(int maxWindows, long capturedBeforeUnixUs, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref RetentionCalls);
        return Task.FromResult(new RetentionResult(0, 0));
    }

    public Task<StoreStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new StoreStatus(Written.Count, 0, new Dictionary<int, long>(), -1, !Unwritable, null));

    public Task<IReadOnlyDictionary<int, long>> CountPseudoLabelledAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<int, long>>(new Dictionary<int, long>());

    public Task<long> LatestSequenceAsync(CancellationToken cancellationToken = default) => Task.FromResult((long)Written.Count);

    public Task<SampleBatch> NewestPseudoLabelledAsync(int perClass, float minConfidence = 0, CancellationToken cancellationToken = default) =>
        Task.FromResult(SampleBatch.Empty);

    public Task<SampleBatch> RandomUnlabelledAsync(int count, CancellationToken cancellationToken = default) => Task.FromResult(SampleBatch.Empty);

    public Task<IReadOnlyList<StoredSample>> WindowsSinceAsync(long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StoredSample>>([]);

    public Task SaveModelVersionAsync(ModelVersionRecord version, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<bool> SetModelStatusAsync(string version, ModelStatus status, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task<IReadOnlyList<ModelVersionRecord>> GetModelVersionsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ModelVersionRecord>>([]);

    public Task RecordPromotionAsync(PromotionRecord promotion, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<PromotionRecord>> GetPromotionsAsync(int limit = 1000, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PromotionRecord>>([]);
}
