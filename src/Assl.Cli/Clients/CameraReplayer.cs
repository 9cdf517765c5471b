using System.Collections.Concurrent;
using System.Diagnostics;
using Assl.Proto.V1;
using Grpc.Core;

namespace Assl.Cli.Clients;

/// <summary>How a camera replays its clips.</summary>
/// <param name="Speed">1 = the recordings' own pace; 0 = as fast as the server accepts.</param>
/// <param name="Loop">Start again from the first clip after the last, until stopped.</param>
/// <param name="FramesPerSecond">When set, frames are stamped (and paced) at this rate instead of the recordings' timestamps.</param>
/// <param name="GapUs">
/// Camera time between two clips. Longer than the server's body timeout (1 s by default), so the
/// previous clip's bodies end before the next clip's start; 0 plays them back to back.
/// </param>
/// <param name="NewBodyPerPlay">
/// Each play gets its own body ids (a new person per file). Off, the clips' bodies keep their ids from
/// play to play: one person in view doing one action after another, which keeps windows flowing.
/// </param>
/// <param name="BodyIdOffset">Added to every wire body id, so several replayers' bodies are told apart at a glance.</param>
/// <param name="StartDelay">Wall time before the camera's first frame: real cameras are switched on at different moments.</param>
/// <param name="StretchToFrames">
/// When set, a clip with fewer frames is played in slow motion so that it spans this many 30 Hz frames.
/// Trimmed datasets (N-UCLA: median 31 frames) hold actions shorter than the model's window; a model
/// trained on clips resampled to T frames sees, this way, the same motion in its sliding windows.
/// </param>
/// <param name="GridFramesPerSecond">The served model's frame rate (its window grid), for timing events from the frame that completed their window; null = 30 Hz.</param>
/// <param name="FramesPerMessage">
/// 1: every frame is its own Ingest message, sent when due, as a live camera does. More: frames go out
/// together on IngestBatched once this many are due, as a gateway or a fast replay would send them; each
/// frame's latency then counts from its batch's send.
/// </param>
public sealed record ReplayOptions(double Speed = 1.0, bool Loop = false, double? FramesPerSecond = null, long GapUs = 1_500_000,
    bool NewBodyPerPlay = true, ulong BodyIdOffset = 0, int? StretchToFrames = null, TimeSpan StartDelay = default,
    double? GridFramesPerSecond = null, int FramesPerMessage = 1);

/// <summary>
/// One live camera: a single Ingest call streaming its clips one after the other at their frame rate,
/// while a reader drains the replies. Clips are played back to back on the camera's own clock,
/// separated by an empty frame after a gap, which is how a real camera reports that everyone left.
/// </summary>
public sealed class CameraReplayer(
    ActionRecognition.ActionRecognitionClient client,
    string cameraId,
    IReadOnlyList<ReplayClip> clips,
    ReplayOptions options,
    IReplayObserver observer)
{
    private const long ClockOriginUs = 1_000_000;
    private readonly ConcurrentDictionary<ulong, ClipPlay> _plays = new();

    public string CameraId { get; } = cameraId;

    private long _framesSent;
    private readonly List<SkeletonFrame> _unsent = [];

    public SendTimeLog SendTimes { get; } = new(options.GridFramesPerSecond is { } fps && fps > 0 ? 1e6 / fps : SkeletonFrameDefaults.PeriodUs);

    /// <summary>Frames written so far (body frames and gap frames).</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>
    /// Streams until every clip was played (or, looping, until <paramref name="stopSending"/> fires), then
    /// closes the request stream and waits for the server's last replies. <paramref name="abort"/> ends
    /// the call at once.
    /// </summary>
    public async Task<long> RunAsync(CancellationToken stopSending, CancellationToken abort)
    {
        if (clips.Count == 0) return 0;
        using var call = IngestCall.Open(client, options.FramesPerMessage, abort);
        var reader = ReadRepliesAsync(call.Replies, abort);
        try
        {
            await SendAllAsync(call, stopSending, abort);
        }
        catch (Exception e) when (e is OperationCanceledException && stopSending.IsCancellationRequested
                                  || e is OperationCanceledException or RpcException or InvalidOperationException or IOException && abort.IsCancellationRequested)
        {
            // Stopped: what was sent is still answered below. Aborted: the call is gone, which was the point.
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
            // A failed call fails the write with a vague message; the reader holds the status that says why.
            await reader;
            throw;
        }
        if (!abort.IsCancellationRequested)
        {
            try
            {
                // Frames held for a batch that never filled go out before the stream closes.
                await FlushAsync(call);
                await call.CompleteAsync();
            }
            catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
            {
                await reader;
                throw;
            }
        }
        await reader;
        return FramesSent;
    }

    private async Task SendAllAsync(IngestCall requests, CancellationToken stopSending, CancellationToken abort)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopSending, abort);
        var ct = linked.Token;
        if (options.StartDelay > TimeSpan.Zero) await Task.Delay(options.StartDelay, ct);
        var pacer = new ReplayPacer(options.Speed, ClockOriginUs);
        long clock = ClockOriginUs;
        long period = options.FramesPerSecond is { } fps ? (long)Math.Round(1e6 / fps) : 0;
        int play = 0;
        while (!ct.IsCancellationRequested)
        {
            foreach (var clip in clips)
            {
                if (play > 0 && options.GapUs > 0)
                {
                    // Everyone leaves: one empty frame after the gap lets the server time the bodies out.
                    clock += options.GapUs;
                    await SendAsync(requests, new SkeletonFrame { CameraId = CameraId, TimestampUs = clock }, pacer, ct);
                }
                if (play > 0) clock += period > 0 ? period : SkeletonFrameDefaults.PeriodUs;
                var wireIds = clip.BaseIds.Select(id => unchecked(options.BodyIdOffset + (options.NewBodyPerPlay ? BodyIds.ForPlay(id, play) : id))).ToArray();
                var clipPlay = new ClipPlay(CameraId, clip, play, wireIds);
                foreach (var id in wireIds) _plays[id] = clipPlay;
                observer.OnClipStarted(clipPlay);

                long start = clock;
                double stretch = Stretch(clip);
                for (int i = 0; i < clip.FrameCount; i++)
                {
                    clock = start + (long)Math.Round(stretch * (period > 0 ? i * period : clip.OffsetsUs[i]));
                    await SendAsync(requests, clip.Frame(i, CameraId, clock, wireIds), pacer, ct);
                }
                observer.OnClipFinished(clipPlay);
                play++;
                if (ct.IsCancellationRequested) break;
            }
            if (!options.Loop) break;
        }
    }

    /// <summary>Factor on the clip's frame times: 1, or more when the clip must be slowed to span <see cref="ReplayOptions.StretchToFrames"/>.</summary>
    private double Stretch(ReplayClip clip)
    {
        if (options.StretchToFrames is not { } target || clip.FrameCount < 2) return 1;
        double spanUs = clip.OffsetsUs[^1];
        double targetUs = (target - 1) * (double)SkeletonFrameDefaults.PeriodUs;
        return spanUs <= 0 || spanUs >= targetUs ? 1 : targetUs / spanUs;
    }

    private async Task SendAsync(IngestCall requests, SkeletonFrame frame, ReplayPacer pacer, CancellationToken ct)
    {
        await pacer.WaitAsync(frame.TimestampUs, ct);
        ct.ThrowIfCancellationRequested();
        _unsent.Add(frame);
        if (_unsent.Count >= options.FramesPerMessage) await FlushAsync(requests);
    }

    private async Task FlushAsync(IngestCall requests)
    {
        if (_unsent.Count == 0) return;
        long now = Stopwatch.GetTimestamp();
        foreach (var frame in _unsent) SendTimes.Add(frame.TimestampUs, now);
        // No token on the write: in grpc-dotnet a cancelled write cancels the whole call, and stopping the
        // replay must still let the server answer the frames already sent. Aborting cancels the call itself.
        await requests.WriteAsync(_unsent);
        Interlocked.Add(ref _framesSent, _unsent.Count);
        _unsent.Clear();
    }

    private async Task ReadRepliesAsync(IAsyncStreamReader<IngestReply> replies, CancellationToken abort)
    {
        try
        {
            await foreach (var reply in replies.ReadAllAsync(abort))
            {
                if (reply.ReplyCase == IngestReply.ReplyOneofCase.Rejection)
                {
                    observer.OnRejection(CameraId, reply.Rejection);
                    continue;
                }
                if (reply.ReplyCase != IngestReply.ReplyOneofCase.Event) continue;
                var e = reply.Event;
                double? latency = e.Kind is EventKind.Started or EventKind.Ongoing
                    ? SendTimes.LatencyMs(e.WindowEndUs, Stopwatch.GetTimestamp())
                    : null;
                observer.OnEvent(new ReplayedEvent(e, _plays.GetValueOrDefault(e.BodyId), latency));
            }
        }
        catch (Exception e) when (abort.IsCancellationRequested && e is OperationCanceledException or RpcException or IOException)
        {
            // Aborted on purpose (Ctrl-C, or the drain timed out). A call cut while its reply was being read can end as
            // Unavailable ("the request was aborted") rather than Cancelled: a saturation run lost all its steps to one.
        }
    }
}

/// <summary>Frame period used when nothing else sets one (Kinect's 30 Hz).</summary>
internal static class SkeletonFrameDefaults
{
    public const long PeriodUs = Assl.Model.Skeletons.SkeletonSequence.DefaultFramePeriodMicros;
}
