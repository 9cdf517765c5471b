using System.Threading.Channels;
using Assl.Proto.V1;
using Assl.Stream.Events;
using Assl.Stream.Inference;
using Assl.Stream.Ingest;
using Assl.Stream.Observability;
using Assl.Stream.OnlineLearning.Gate;
using Assl.Stream.OnlineLearning.Store;
using Assl.Stream.Windowing;

namespace Assl.Stream.Services;

/// <summary>
/// The state of one Ingest call: its frame validator, the windows waiting for inference (in order),
/// and one action state machine per body.
/// </summary>
/// <remarks>
/// Windows are submitted to the batcher as soon as they are cut, and their results are consumed by
/// one loop in submission order, so each body's state machine sees its windows in time order and is
/// only ever touched by that loop (no locks). The pending queue is bounded like every queue here; when
/// it is full the oldest window is dropped and counted.
/// </remarks>
internal sealed class IngestSession
{
    private readonly Channel<PendingWindow> _pending;
    private readonly Dictionary<(string Camera, ulong Body), ActionStateMachine> _machines = [];
    private readonly HashSet<string> _cameras = new(StringComparer.Ordinal);
    private readonly FrameValidator _validator;
    private readonly ChannelWriter<IngestReply> _outbox;
    private readonly InferenceBatcher _batcher;
    private readonly WindowAssembler _assembler;
    private readonly EventRouter _router;
    private readonly AsslMetrics _metrics;
    private readonly EventOptions _eventOptions;
    private readonly IReadOnlyList<string> _classNames;
    private readonly PseudoLabelGate? _gate;
    private readonly StoreWriter? _store;

    // Frames arrive on the call's reading loop, the silent-camera sweep on a timer: one at a time.
    private readonly Lock _sync = new();

    public IngestSession(FrameValidator validator, WindowAssembler assembler, InferenceBatcher batcher, EventRouter router,
        AsslMetrics metrics, EventOptions eventOptions, IReadOnlyList<string> classNames, ChannelWriter<IngestReply> outbox, int pendingCapacity,
        PseudoLabelGate? gate = null, StoreWriter? store = null)
    {
        _gate = gate;
        _store = store;
        _validator = validator;
        _assembler = assembler;
        _batcher = batcher;
        _router = router;
        _metrics = metrics;
        _eventOptions = eventOptions;
        _classNames = classNames;
        _outbox = outbox;
        _pending = Channel.CreateBounded<PendingWindow>(
            new BoundedChannelOptions(pendingCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.DropOldest },
            _ => _metrics.WindowsDropped.Inc());
    }

    public long Frames { get; private set; }
    public long Rejections { get; private set; }
    public long Events { get; private set; }

    /// <summary>Validates a frame, cuts windows and submits them; closes bodies that timed out.</summary>
    public void Accept(SkeletonFrame frame)
    {
        lock (_sync) AcceptLocked(frame);
    }

    private void AcceptLocked(SkeletonFrame frame)
    {
        Frames++;
        _metrics.FramesReceived.Inc();
        var result = _validator.Validate(frame);
        foreach (var rejection in result.Rejections)
        {
            Rejections++;
            _metrics.BodiesRejected.WithLabels(rejection.Reason.ToString()).Inc();
            _outbox.TryWrite(rejection.ToIngestReply());
        }
        if (!result.FrameAccepted) return;
        _cameras.Add(result.CameraId);
        foreach (var body in result.Bodies)
            foreach (var window in _assembler.Add(body))
                _pending.Writer.TryWrite(new PendingWindow(window, _batcher.InferAsync(window.Positions)));
        foreach (var ended in _assembler.Sweep(result.CameraId, result.TimestampUs))
            _pending.Writer.TryWrite(PendingWindow.Ending(ended));
        _metrics.ActiveBodies.Set(_assembler.LiveBodies);
    }

    /// <summary>The stream ended: close its cameras' bodies (their actions end) and let the results drain.</summary>
    public void Complete()
    {
        lock (_sync) CompleteLocked();
    }

    /// <summary>
    /// Ends the bodies of this call's cameras that have not been seen for the body timeout by the server's clock:
    /// a camera that goes silent on an open stream sends no frames, so camera time alone would never end them.
    /// </summary>
    public void SweepSilent(long nowUnixUs)
    {
        lock (_sync)
        {
            foreach (var camera in _cameras)
                foreach (var ended in _assembler.SweepIdle(camera, nowUnixUs))
                    _pending.Writer.TryWrite(PendingWindow.Ending(ended));
            _metrics.ActiveBodies.Set(_assembler.LiveBodies);
        }
    }

    private void CompleteLocked()
    {
        foreach (var camera in _cameras)
            foreach (var ended in _assembler.CloseCamera(camera))
                _pending.Writer.TryWrite(PendingWindow.Ending(ended));
        _pending.Writer.TryComplete();
        _metrics.ActiveBodies.Set(_assembler.LiveBodies);
    }

    /// <summary>Consumes inference results in submission order and turns them into events.</summary>
    public async Task DeliverAsync()
    {
        await foreach (var item in _pending.Reader.ReadAllAsync())
        {
            if (item.Ended is { } ended)
            {
                if (_machines.Remove((ended.CameraId, ended.BodyId), out var closed)) Emit(closed.Close(), null);
                KeepSegment(ended);
                continue;
            }
            var window = item.Window!;
            InferenceResult result;
            try
            {
                result = await item.Result!;
            }
            catch (Exception)
            {
                continue; // the batcher logged it; one bad batch must not end the stream
            }
            if (result.WasDropped) continue;
            var key = (window.CameraId, window.BodyId);
            if (!_machines.TryGetValue(key, out var machine))
                _machines[key] = machine = new ActionStateMachine(window.CameraId, window.BodyId, _classNames, _eventOptions);
            Emit(machine.OnWindow(result.Probabilities, window.StartUs, window.EndUs, result.ModelVersion, window.ReceivedUnixUs), window);
            Keep(window, machine.Smoothed, result.ModelVersion);
        }
    }

    /// <summary>Offers the window to the online loop: the store writer's queue never blocks this loop.</summary>
    private void Keep(SkeletonWindow window, IReadOnlyList<float> smoothed, string modelVersion)
    {
        if (_gate is null || _store is null) return;
        var (decision, pseudoLabelled, unlabelled) = _gate.Observe(window, smoothed, modelVersion);
        int top = 0;
        for (int c = 1; c < smoothed.Count; c++) if (smoothed[c] > smoothed[top]) top = c;
        _metrics.PseudoLabels.WithLabels(decision.ToString(), _classNames[top]).Inc();
        if (pseudoLabelled is not null) _store.TryEnqueue(pseudoLabelled);
        if (unlabelled is not null) _store.TryEnqueue(unlabelled);
    }

    /// <summary>The body ended: with segment samples on, its whole track may become one pseudo-labelled sample, and one unlabelled.</summary>
    private void KeepSegment(BodyEnded ended)
    {
        if (_gate is null) return;
        if (_store is null)
        {
            _gate.Forget(ended.CameraId, ended.BodyId);
            return;
        }
        var (decision, classIndex, command, unlabelled) = _gate.End(ended);
        if (decision is { } d) _metrics.PseudoLabels.WithLabels(d.ToString(), _classNames[classIndex]).Inc();
        if (command is not null) _store.TryEnqueue(command);
        if (unlabelled is not null) _store.TryEnqueue(unlabelled);
    }

    private void Emit(IReadOnlyList<ActionEventRecord> records, SkeletonWindow? window)
    {
        foreach (var record in records)
        {
            Events++;
            _metrics.EventsPublished.WithLabels(record.Kind.ToString()).Inc();
            if (window is not null)
            {
                double seconds = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000.0 - window.ReceivedUnixUs) / 1e6;
                _metrics.FrameToEventLatency.Observe(Math.Max(0, seconds));
            }
            _outbox.TryWrite(record.ToIngestReply());
            _router.Publish(record);
        }
    }

    private sealed record PendingWindow(SkeletonWindow? Window, Task<InferenceResult>? Result, BodyEnded? Ended = null)
    {
        public static PendingWindow Ending(BodyEnded ended) => new(null, null, ended);
    }
}
