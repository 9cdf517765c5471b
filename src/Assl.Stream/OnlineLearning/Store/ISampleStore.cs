namespace Assl.Stream.OnlineLearning.Store;

/// <summary>
/// The durable memory of the online semi-supervised loop: captured windows and their pseudo-labels,
/// model versions and promotion decisions. <see cref="SqliteSampleStore"/> keeps it in one local
/// file; a server database can implement this instead when several replicas share one loop.
/// </summary>
/// <remarks>
/// Implementations are safe to call from several threads. Writes that cannot reach storage (read-only,
/// full disk, ...) throw <see cref="StoreUnavailableException"/> and set <see cref="StoreStatus.Writable"/>
/// to false; they never take the process down. The inference path never calls this directly: it queues
/// through <see cref="StoreWriter"/>.
/// </remarks>
public interface ISampleStore
{
    /// <summary>Applies <paramref name="commands"/> in order, in one transaction: all or none.</summary>
    /// <returns>The sequence number given to each <see cref="StoreCommand.AddWindow"/>, in order.</returns>
    Task<IReadOnlyList<long>> WriteAsync(IReadOnlyList<StoreCommand> commands, CancellationToken cancellationToken = default);

    /// <summary>Pseudo-labelled windows by class index.</summary>
    Task<IReadOnlyDictionary<int, long>> CountPseudoLabelledAsync(CancellationToken cancellationToken = default);

    /// <summary>The highest window sequence number given so far (0 for an empty store); new windows have higher ones.</summary>
    Task<long> LatestSequenceAsync(CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="perClass"/> newest pseudo-labelled windows of each class, with confidence at least <paramref name="minConfidence"/>; ordered by class, newest first.</summary>
    Task<SampleBatch> NewestPseudoLabelledAsync(int perClass, float minConfidence = 0f, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="count"/> unlabelled-sample windows picked uniformly at random.</summary>
    Task<SampleBatch> RandomUnlabelledAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> windows with a sequence number above <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredSample>> WindowsSinceAsync(long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>Adds a model version, or replaces the one with the same version string.</summary>
    Task SaveModelVersionAsync(ModelVersionRecord version, CancellationToken cancellationToken = default);

    /// <summary>Changes a version's status; false when the version is unknown.</summary>
    Task<bool> SetModelStatusAsync(string version, ModelStatus status, CancellationToken cancellationToken = default);

    /// <summary>Every known model version, oldest first.</summary>
    Task<IReadOnlyList<ModelVersionRecord>> GetModelVersionsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a promotion decision and, in the same transaction, the statuses it implies: accepted makes
    /// the candidate <see cref="ModelStatus.Serving"/> and the previous one <see cref="ModelStatus.Retired"/>;
    /// refused makes the candidate <see cref="ModelStatus.Refused"/>. Versions not saved before are left alone.
    /// </summary>
    Task RecordPromotionAsync(PromotionRecord promotion, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> promotion decisions, oldest first.</summary>
    Task<IReadOnlyList<PromotionRecord>> GetPromotionsAsync(int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes windows captured before <paramref name="capturedBeforeUnixUs"/>, then the oldest beyond the
    /// newest <paramref name="maxWindows"/>.
    /// </summary>
    Task<RetentionResult> ApplyRetentionAsync(int maxWindows, long capturedBeforeUnixUs, CancellationToken cancellationToken = default);

    Task<StoreStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
