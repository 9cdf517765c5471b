using Assl.Proto.V1;
using Assl.Stream.Observability;
using Assl.Stream.OnlineLearning.Loop;
using Grpc.Core;

namespace Assl.Stream.Services;

/// <summary>
/// The ModelAdmin gRPC surface: a thin layer over <see cref="IOnlineLearningControl"/> that checks requests, logs every
/// operator action with its caller, and turns the loop's refusals into gRPC statuses. The admin key is checked before a
/// call gets here (<see cref="Hosting.ApiKeyInterceptor"/>).
/// </summary>
/// <param name="control">Null when the server was composed without the online loop: calls then fail as Unimplemented
/// instead of the whole service failing to activate.</param>
public sealed class AdminService(ILogger<AdminService> logger, IOnlineLearningControl? control = null) : ModelAdmin.ModelAdminBase
{
    private const string NoReason = "no reason given";

    public override Task<LoopStatus> GetStatus(GetStatusRequest request, ServerCallContext context) =>
        Task.FromResult(AdminMapping.ToProto(Refusable(Control.GetStatus)));

    public override async Task<ListVersionsResponse> ListVersions(ListVersionsRequest request, ServerCallContext context)
    {
        var versions = await RefusableAsync(() => Control.ListVersionsAsync(context.CancellationToken));
        return new ListVersionsResponse { Versions = { versions.Select(AdminMapping.ToProto) } };
    }

    public override async Task<ModelVersion> Promote(PromoteRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Version))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Promote needs the version to serve."));
        var reason = ReasonOf(request.Reason);
        await RequireKnownAsync(request.Version, context.CancellationToken);
        AdminLog.Promoting(logger, request.Version, reason, context.Peer);
        var serving = await RefusableAsync(() => Control.PromoteAsync(request.Version, reason, context.CancellationToken));
        return AdminMapping.ToProto(serving);
    }

    public override async Task<ModelVersion> Rollback(RollbackRequest request, ServerCallContext context)
    {
        string? target = request.HasVersion && !string.IsNullOrWhiteSpace(request.Version) ? request.Version : null;
        if (target is not null) await RequireKnownAsync(target, context.CancellationToken);
        AdminLog.RollingBack(logger, target ?? "the previous version", ReasonOf(request.Reason), context.Peer);
        var serving = await RefusableAsync(() => Control.RollbackAsync(target, context.CancellationToken));
        return AdminMapping.ToProto(serving);
    }

    public override Task<TriggerFineTuneResponse> TriggerFineTune(TriggerFineTuneRequest request, ServerCallContext context)
    {
        var reason = ReasonOf(request.Reason);
        bool accepted = Refusable(() => Control.TriggerFineTune(reason));
        AdminLog.FineTuneRequested(logger, reason, accepted, context.Peer);
        return Task.FromResult(new TriggerFineTuneResponse
        {
            Accepted = accepted,
            Message = accepted ? "A fine-tuning run is queued; it starts as soon as possible." : "A fine-tuning run is already running or queued.",
        });
    }

    public override Task<LoopStatus> Pause(PauseRequest request, ServerCallContext context)
    {
        Refusable(Control.Pause);
        AdminLog.Paused(logger, context.Peer);
        return GetStatus(new GetStatusRequest(), context);
    }

    public override Task<LoopStatus> Resume(ResumeRequest request, ServerCallContext context)
    {
        Refusable(Control.Resume);
        AdminLog.Resumed(logger, context.Peer);
        return GetStatus(new GetStatusRequest(), context);
    }

    private IOnlineLearningControl Control => control
        ?? throw new RpcException(new Status(StatusCode.Unimplemented, "This server runs without the online learning loop: there is nothing to administer."));

    private static string ReasonOf(string reason) => string.IsNullOrWhiteSpace(reason) ? NoReason : reason.Trim();

    // NotFound is decided here, from the list, rather than read out of an exception message: the loop's refusals carry
    // words for an operator, not codes.
    private async Task RequireKnownAsync(string version, CancellationToken ct)
    {
        var known = await RefusableAsync(() => Control.ListVersionsAsync(ct));
        if (!known.Any(v => string.Equals(v.Version, version, StringComparison.Ordinal)))
            throw new RpcException(new Status(StatusCode.NotFound, $"No model version '{version}' is known; `assl model list` shows them."));
    }

    private static async Task<T> RefusableAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (OnlineLearningException e)
        {
            throw Refused(e);
        }
    }

    private static T Refusable<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (OnlineLearningException e)
        {
            throw Refused(e);
        }
    }

    private static void Refusable(Action action) => Refusable(() =>
    {
        action();
        return true;
    });

    private static RpcException Refused(OnlineLearningException e) => new(new Status(StatusCode.FailedPrecondition, e.Message));
}
