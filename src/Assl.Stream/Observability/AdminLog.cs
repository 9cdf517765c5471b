namespace Assl.Stream.Observability;

/// <summary>
/// The audit trail of operator actions through the ModelAdmin service, source-generated like <see cref="StreamLog"/>.
/// Kept apart from it (event ids 70–79) so the two can grow without clashing.
/// </summary>
public static partial class AdminLog
{
    [LoggerMessage(EventId = 70, EventName = "AdminPromote", Level = LogLevel.Information,
        Message = "Admin: promoting {ModelVersion} ({Reason}), asked by {Peer}")]
    public static partial void Promoting(ILogger logger, string modelVersion, string reason, string peer);

    [LoggerMessage(EventId = 71, EventName = "AdminRollback", Level = LogLevel.Information,
        Message = "Admin: rolling back to {Target} ({Reason}), asked by {Peer}")]
    public static partial void RollingBack(ILogger logger, string target, string reason, string peer);

    [LoggerMessage(EventId = 72, EventName = "AdminFineTune", Level = LogLevel.Information,
        Message = "Admin: fine-tuning run requested ({Reason}), accepted: {Accepted}, asked by {Peer}")]
    public static partial void FineTuneRequested(ILogger logger, string reason, bool accepted, string peer);

    [LoggerMessage(EventId = 73, EventName = "AdminPause", Level = LogLevel.Information,
        Message = "Admin: online learning paused, asked by {Peer}")]
    public static partial void Paused(ILogger logger, string peer);

    [LoggerMessage(EventId = 74, EventName = "AdminResume", Level = LogLevel.Information,
        Message = "Admin: online learning resumed, asked by {Peer}")]
    public static partial void Resumed(ILogger logger, string peer);
}
