namespace Assl.Stream.Observability;

/// <summary>The server's log messages, source-generated: structured, and free when the level is off.</summary>
public static partial class StreamLog
{
    [LoggerMessage(EventId = 1, EventName = "ModelLoaded", Level = LogLevel.Information,
        Message = "Serving model {ModelVersion} ({Layout}, T={Frames}, {Classes} classes) from {Path} on {Device}")]
    public static partial void ModelLoaded(ILogger logger, string modelVersion, string layout, int frames, int classes, string path, string device);

    [LoggerMessage(EventId = 2, EventName = "InferenceLoopFailed", Level = LogLevel.Critical,
        Message = "The inference loop stopped on an unexpected error")]
    public static partial void InferenceLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3, EventName = "BatchFailed", Level = LogLevel.Error,
        Message = "A batch of {Windows} windows failed; its callers get the error")]
    public static partial void BatchFailed(ILogger logger, int windows, Exception exception);

    [LoggerMessage(EventId = 4, EventName = "IngestStarted", Level = LogLevel.Information,
        Message = "Ingest stream opened by {Peer}")]
    public static partial void IngestStarted(ILogger logger, string peer);

    [LoggerMessage(EventId = 5, EventName = "IngestEnded", Level = LogLevel.Information,
        Message = "Ingest stream from {Peer} ended: {Frames} frames, {Rejected} rejections, {Events} events")]
    public static partial void IngestEnded(ILogger logger, string peer, long frames, long rejected, long events);

    [LoggerMessage(EventId = 6, EventName = "FrameRejected", Level = LogLevel.Debug,
        Message = "Rejected from camera {CameraId}: {Reason}: {Detail}")]
    public static partial void FrameRejected(ILogger logger, string cameraId, string reason, string detail);

    [LoggerMessage(EventId = 7, EventName = "ModelSwapped", Level = LogLevel.Information,
        Message = "Serving model {NewVersion} (was {OldVersion})")]
    public static partial void ModelSwapped(ILogger logger, string newVersion, string oldVersion);

    // 40–49: the sample store (online learning).
    [LoggerMessage(EventId = 40, EventName = "StoreUnavailable", Level = LogLevel.Error,
        Message = "The sample store cannot be written ({Commands} commands lost); dropping writes and retrying in {RetrySeconds} s")]
    public static partial void StoreUnavailable(ILogger logger, int commands, double retrySeconds, Exception exception);

    [LoggerMessage(EventId = 41, EventName = "StoreRecovered", Level = LogLevel.Information,
        Message = "The sample store is writable again; {Dropped} commands were dropped while it was not")]
    public static partial void StoreRecovered(ILogger logger, long dropped);

    [LoggerMessage(EventId = 42, EventName = "StoreBatchFailed", Level = LogLevel.Error,
        Message = "A batch of {Commands} store commands failed and was discarded")]
    public static partial void StoreBatchFailed(ILogger logger, int commands, Exception exception);

    [LoggerMessage(EventId = 43, EventName = "StoreRetention", Level = LogLevel.Information,
        Message = "Store retention deleted {ByAge} windows by age and {ByCount} by count")]
    public static partial void StoreRetention(ILogger logger, int byAge, int byCount);

    [LoggerMessage(EventId = 44, EventName = "StoreRetentionFailed", Level = LogLevel.Warning,
        Message = "Store retention failed; it will be tried again")]
    public static partial void StoreRetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 50, EventName = "ServingPointerUnreadable", Level = LogLevel.Error,
        Message = "The serving pointer {Path} cannot be read ({Reason}); starting from the configured model")]
    public static partial void ServingPointerUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 51, EventName = "CheckpointRefused", Level = LogLevel.Error,
        Message = "Refusing checkpoint of version {ModelVersion} at {Path}: {Reason}; falling back to the previous version")]
    public static partial void CheckpointRefused(ILogger logger, string modelVersion, string path, string reason);

    [LoggerMessage(EventId = 52, EventName = "CheckpointPruneFailed", Level = LogLevel.Warning,
        Message = "Could not delete old checkpoint {Path}: {Reason}")]
    public static partial void PruneFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 53, EventName = "OnlineLearningDisabled", Level = LogLevel.Warning,
        Message = "Online learning is off: {Reason}")]
    public static partial void OnlineLearningDisabled(ILogger logger, string reason);

    [LoggerMessage(EventId = 54, EventName = "FineTuneStarted", Level = LogLevel.Information,
        Message = "Fine-tuning {ModelVersion} ({Trigger}): {Labelled} labelled, {Pseudo} pseudo-labelled, {Unlabelled} unlabelled samples, {Steps} steps on {Threads} thread(s)")]
    public static partial void FineTuneStarted(ILogger logger, string modelVersion, string trigger, long labelled, long pseudo, long unlabelled, int steps, int threads);

    [LoggerMessage(EventId = 55, EventName = "CandidatePromoted", Level = LogLevel.Information,
        Message = "Promoted {Candidate} over {Previous} after {Seconds:0.0} s: {Reason}")]
    public static partial void CandidatePromoted(ILogger logger, string candidate, string previous, double seconds, string reason);

    [LoggerMessage(EventId = 56, EventName = "CandidateRefused", Level = LogLevel.Warning,
        Message = "Refused {Candidate} ({Rule}) after {Seconds:0.0} s: {Reason}; still serving {Serving}")]
    public static partial void CandidateRefused(ILogger logger, string candidate, string rule, double seconds, string reason, string serving);

    [LoggerMessage(EventId = 57, EventName = "FineTuneFailed", Level = LogLevel.Error,
        Message = "A fine-tuning run failed; serving goes on with {Serving}")]
    public static partial void FineTuneFailed(ILogger logger, string serving, Exception exception);

    [LoggerMessage(EventId = 58, EventName = "FineTuneSkipped", Level = LogLevel.Information,
        Message = "Fine-tuning skipped: {Reason}")]
    public static partial void FineTuneSkipped(ILogger logger, string reason);

    [LoggerMessage(EventId = 59, EventName = "OperatorModelChange", Level = LogLevel.Warning,
        Message = "Operator {Action}: now serving {ModelVersion} (was {Previous}): {Reason}")]
    public static partial void OperatorModelChange(ILogger logger, string action, string modelVersion, string previous, string reason);

    [LoggerMessage(EventId = 60, EventName = "OnlineLearningOn", Level = LogLevel.Information,
        Message = "Online learning on: labelled data {DataPath}, validation subjects {Subjects}; a run every {MinNewSamples} new samples or {IntervalMinutes} min, {Threads} thread(s); models in {ModelsDirectory}")]
    public static partial void OnlineLearningOn(ILogger logger, string dataPath, string subjects, int minNewSamples, double intervalMinutes, int threads, string modelsDirectory);

    [LoggerMessage(EventId = 61, EventName = "FineTunePriorityUnchanged", Level = LogLevel.Warning,
        Message = "Could not lower the fine-tuning thread to nice {Niceness}, so it trains at normal priority and may slow serving: {Reason}")]
    public static partial void FineTunePriorityUnchanged(ILogger logger, int niceness, string reason);
}
