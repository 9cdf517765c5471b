using Assl.Proto.V1;

namespace Assl.Stream.Events;

/// <summary>Maps domain event records to the wire's messages.</summary>
public static class ActionEventMapper
{
    public static ActionEvent ToProto(this ActionEventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var message = new ActionEvent
        {
            CameraId = record.CameraId,
            BodyId = record.BodyId,
            ClassIndex = record.ClassIndex,
            ClassName = record.ClassName,
            Confidence = record.Confidence,
            WindowStartUs = record.WindowStartUs,
            WindowEndUs = record.WindowEndUs,
            ModelVersion = record.ModelVersion,
            Kind = ToProto(record.Kind),
            ServerReceivedUnixUs = record.ServerReceivedUnixUs,
        };
        foreach (var score in record.TopK)
            message.TopK.Add(new ClassScore { ClassIndex = score.ClassIndex, ClassName = score.ClassName, Score = score.Score });
        return message;
    }

    public static IngestReply ToIngestReply(this ActionEventRecord record) => new() { Event = record.ToProto() };

    public static IngestReply ToIngestReply(this FrameRejection rejection) => new() { Rejection = rejection };

    public static EventKind ToProto(ActionEventKind kind) => kind switch
    {
        ActionEventKind.Started => EventKind.Started,
        ActionEventKind.Ongoing => EventKind.Ongoing,
        ActionEventKind.Ended => EventKind.Ended,
        ActionEventKind.Unknown => EventKind.Unknown,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No wire value for this event kind."),
    };
}
