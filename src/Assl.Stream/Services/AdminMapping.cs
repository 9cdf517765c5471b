using Assl.Proto.V1;
using Assl.Stream.OnlineLearning.Loop;
using Google.Protobuf.WellKnownTypes;

namespace Assl.Stream.Services;

/// <summary>The online loop's records as ModelAdmin messages.</summary>
public static class AdminMapping
{
    public static LoopStatus ToProto(OnlineLoopStatus status) => new()
    {
        State = status.State switch
        {
            OnlineLoopState.Disabled => LoopState.Disabled,
            OnlineLoopState.Idle => LoopState.Idle,
            OnlineLoopState.Training => LoopState.Training,
            OnlineLoopState.Evaluating => LoopState.Evaluating,
            _ => LoopState.Unspecified,
        },
        Paused = status.Paused,
        ServingVersion = status.ServingVersion,
        NewSamples = status.NewSamples,
        NextRunDue = status.NextRunDueUnixUs is { } due ? FromUnixMicroseconds(due) : null,
        LastRun = status.LastRun is { } run ? ToProto(run) : null,
        StoreWritable = status.StoreWritable,
        Detail = status.Detail,
    };

    public static FineTuneRun ToProto(FineTuneRunSummary run)
    {
        var proto = new FineTuneRun
        {
            CandidateVersion = run.CandidateVersion,
            Promoted = run.Promoted,
            Reason = run.Reason,
            Seconds = run.Seconds,
            Finished = FromUnixMicroseconds(run.FinishedUnixUs),
        };
        // Optional fields have presence: left unset, they read as "not measured" rather than 0 %.
        if (run.CandidateTop1 is { } candidate) proto.CandidateTop1 = candidate;
        if (run.ServingTop1 is { } serving) proto.ServingTop1 = serving;
        return proto;
    }

    public static ModelVersion ToProto(ModelVersionInfo version)
    {
        var proto = new ModelVersion
        {
            Version = version.Version,
            Status = ToProtoStatus(version.Status),
            Created = FromUnixMicroseconds(version.CreatedUnixUs),
            CheckpointPath = version.CheckpointPath,
        };
        foreach (var (name, value) in version.Metrics) proto.Metrics[name] = value;
        return proto;
    }

    /// <summary>The loop's status words (candidate, serving, refused, retired; any case); a word it adds later reads as Unspecified.</summary>
    public static ModelVersionStatus ToProtoStatus(string status) => status.ToLowerInvariant() switch
    {
        "candidate" => ModelVersionStatus.Candidate,
        "serving" => ModelVersionStatus.Serving,
        "refused" => ModelVersionStatus.Refused,
        "retired" => ModelVersionStatus.Retired,
        _ => ModelVersionStatus.Unspecified,
    };

    public static Timestamp FromUnixMicroseconds(long unixUs) => Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddTicks(unixUs * TimeSpan.TicksPerMicrosecond));
}
