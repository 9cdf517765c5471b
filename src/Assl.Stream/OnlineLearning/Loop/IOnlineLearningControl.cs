namespace Assl.Stream.OnlineLearning.Loop;

/// <summary>
/// What an operator can do with the online learning loop. The admin gRPC service and the
/// `assl model …` verbs are thin layers over this.
/// </summary>
public interface IOnlineLearningControl
{
    /// <summary>Where the loop stands right now.</summary>
    OnlineLoopStatus GetStatus();

    /// <summary>Every model version the loop knows, oldest first.</summary>
    Task<IReadOnlyList<ModelVersionInfo>> ListVersionsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Serves a known version now, by an operator's decision (the shadow evaluation is not repeated, but the
    /// checkpoint is validated). Throws <see cref="OnlineLearningException"/> when the version is unknown or its file is unusable.
    /// </summary>
    Task<ModelVersionInfo> PromoteAsync(string version, string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Goes back to the version served before the current one (or to <paramref name="version"/> when given).
    /// Throws <see cref="OnlineLearningException"/> when there is nothing to roll back to.
    /// </summary>
    Task<ModelVersionInfo> RollbackAsync(string? version, CancellationToken cancellationToken = default);

    /// <summary>Asks for a fine-tuning run as soon as possible; false when one is already running or queued.</summary>
    bool TriggerFineTune(string reason);

    /// <summary>Stops starting new fine-tuning runs (a running one finishes). Serving and sample capture go on.</summary>
    void Pause();

    void Resume();
}

/// <summary>Refusal of an operator request, with a message meant for the operator.</summary>
public sealed class OnlineLearningException(string message) : Exception(message);

public enum OnlineLoopState
{
    /// <summary>Off by configuration or missing data; serving only.</summary>
    Disabled,
    Idle,
    Training,
    Evaluating,
}

/// <param name="State">What the loop is doing.</param>
/// <param name="Paused">An operator paused it.</param>
/// <param name="ServingVersion">The model version new batches run on.</param>
/// <param name="NewSamples">Samples stored since the last fine-tuning run started.</param>
/// <param name="NextRunDueUnixUs">When the timer will start the next run, if nothing else does first.</param>
/// <param name="LastRun">The most recent finished run, if any.</param>
/// <param name="StoreWritable">False when the store refuses writes (full disk, read-only): the loop serves without learning.</param>
/// <param name="Detail">Why the loop is disabled, or what it is waiting for.</param>
public sealed record OnlineLoopStatus(
    OnlineLoopState State,
    bool Paused,
    string ServingVersion,
    long NewSamples,
    long? NextRunDueUnixUs,
    FineTuneRunSummary? LastRun,
    bool StoreWritable,
    string Detail);

/// <param name="CandidateVersion">The version the run produced.</param>
/// <param name="Promoted">Whether it became the serving version.</param>
/// <param name="Reason">Why it was promoted or refused.</param>
public sealed record FineTuneRunSummary(
    string CandidateVersion,
    bool Promoted,
    string Reason,
    double Seconds,
    double? CandidateTop1,
    double? ServingTop1,
    long FinishedUnixUs);

/// <param name="Status">candidate, serving, refused or retired.</param>
/// <param name="Metrics">Validation top-1, agreement with the serving model, prediction entropy, …</param>
public sealed record ModelVersionInfo(
    string Version,
    string Status,
    long CreatedUnixUs,
    IReadOnlyDictionary<string, double> Metrics,
    string CheckpointPath);
