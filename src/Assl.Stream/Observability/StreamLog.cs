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
}
