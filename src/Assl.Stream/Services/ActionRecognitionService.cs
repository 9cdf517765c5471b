using System.Threading.Channels;
using Assl.Proto.V1;
using Assl.Stream.Events;
using Assl.Stream.Inference;
using Assl.Stream.Ingest;
using Assl.Stream.Observability;
using Assl.Stream.OnlineLearning.Gate;
using Assl.Stream.OnlineLearning.Store;
using Assl.Stream.Windowing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Assl.Stream.Services;

/// <summary>
/// The public gRPC surface: cameras stream frames in and get their bodies' action events back;
/// consumers subscribe to events; anyone can ask which model is served.
/// </summary>
public sealed class ActionRecognitionService(
    IInferenceEngine engine,
    InferenceBatcher batcher,
    WindowAssembler assembler,
    EventRouter router,
    AsslMetrics metrics,
    IOptions<IngestOptions> ingestOptions,
    IOptions<EventOptions> eventOptions,
    IOptions<WindowingOptions> windowingOptions,
    IOptions<PseudoLabelOptions> pseudoLabelOptions,
    PseudoLabelQuota quota,
    ClassThresholds thresholds,
    StoreWriter store,
    ILogger<ActionRecognitionService> logger) : ActionRecognition.ActionRecognitionBase
{
    public override Task Ingest(IAsyncStreamReader<SkeletonFrame> requestStream, IServerStreamWriter<IngestReply> responseStream,
        ServerCallContext context) =>
        IngestAsync(requestStream.ReadAllAsync(context.CancellationToken), responseStream, context);

    public override Task IngestBatched(IAsyncStreamReader<FrameBatch> requestStream, IServerStreamWriter<IngestReply> responseStream,
        ServerCallContext context) =>
        IngestAsync(Unbatch(requestStream.ReadAllAsync(context.CancellationToken)), responseStream, context);

    private static async IAsyncEnumerable<SkeletonFrame> Unbatch(IAsyncEnumerable<FrameBatch> batches)
    {
        await foreach (var batch in batches)
            foreach (var frame in batch.Frames)
                yield return frame;
    }

    /// <summary>One Ingest call, whichever way its frames arrive: they are accepted one by one in order.</summary>
    private async Task IngestAsync(IAsyncEnumerable<SkeletonFrame> frames, IServerStreamWriter<IngestReply> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        using var _ = metrics.ActiveStreams.WithLabels("ingest").TrackInProgress();
        StreamLog.IngestStarted(logger, context.Peer);

        // Replies leave through one bounded outbox drained by one writer: gRPC allows one pending write
        // at a time, and a client that reads slowly loses its oldest replies instead of stalling ingestion.
        var outbox = Channel.CreateBounded<IngestReply>(
            new BoundedChannelOptions(eventOptions.Value.SubscriberCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest },
            _ => metrics.EventsDropped.Inc());
        var model = engine.Current;
        var session = new IngestSession(new FrameValidator(model.Layout, ingestOptions.Value), assembler, batcher, router, metrics,
            eventOptions.Value, model.ClassNames, outbox.Writer, pendingCapacity: 4096,
            pseudoLabelOptions.Value.Enabled ? new PseudoLabelGate(pseudoLabelOptions.Value, quota, thresholds, model.Frames) : null, store);

        var writer = WriteAllAsync(outbox.Reader, responseStream, ct);
        var delivery = session.DeliverAsync();
        using var stopSweeping = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sweeper = SweepSilentCamerasAsync(session, TimeSpan.FromMilliseconds(Math.Max(50, windowingOptions.Value.BodyTimeoutMs / 2.0)), stopSweeping.Token);
        try
        {
            await foreach (var frame in frames)
                session.Accept(frame);
        }
        finally
        {
            await stopSweeping.CancelAsync();
            await sweeper;
            // Shutdown order: stop cutting windows, let every accepted window reach its event, then close the outbox.
            session.Complete();
            await delivery;
            outbox.Writer.TryComplete();
            StreamLog.IngestEnded(logger, context.Peer, session.Frames, session.Rejections, session.Events);
        }
        await writer;
    }

    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<ActionEvent> responseStream, ServerCallContext context)
    {
        using var _ = metrics.ActiveStreams.WithLabels("subscribe").TrackInProgress();
        using var subscription = router.Subscribe(request.CameraIds.Count == 0 ? null : request.CameraIds);
        try
        {
            await foreach (var record in subscription.ReadAllAsync(context.CancellationToken))
                await responseStream.WriteAsync(record.ToProto(), context.CancellationToken);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The subscriber went away: a normal end for a server stream.
        }
    }

    public override Task<ModelDescription> GetModel(GetModelRequest request, ServerCallContext context)
    {
        var model = engine.Current;
        var description = new ModelDescription
        {
            Version = model.Version,
            Layout = ProtoLayouts.ToProto(model.Layout),
            WindowFrames = model.Frames,
            FramesPerSecond = windowingOptions.Value.FramesPerSecond,
            Created = Timestamp.FromDateTimeOffset(model.Manifest.CreatedUtc),
        };
        description.ClassNames.AddRange(model.ClassNames);
        return Task.FromResult(description);
    }

    private static async Task SweepSilentCamerasAsync(IngestSession session, TimeSpan period, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
                session.SweepSilent(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000);
        }
        catch (OperationCanceledException)
        {
            // The call ended.
        }
    }

    private static async Task WriteAllAsync(ChannelReader<IngestReply> outbox, IServerStreamWriter<IngestReply> responses, CancellationToken ct)
    {
        try
        {
            await foreach (var reply in outbox.ReadAllAsync(ct))
                await responses.WriteAsync(reply, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client hung up; what it did not read is lost with it.
        }
    }
}
