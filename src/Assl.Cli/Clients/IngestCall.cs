using Assl.Proto.V1;
using Grpc.Core;

namespace Assl.Cli.Clients;

/// <summary>
/// The request side of one camera's call: Ingest (a message per frame) or IngestBatched (several frames
/// per message), so a replayer sends frames the same way whichever the server is asked for.
/// </summary>
internal abstract class IngestCall : IDisposable
{
    /// <summary>Opens Ingest when <paramref name="framesPerMessage"/> is 1, IngestBatched otherwise.</summary>
    public static IngestCall Open(ActionRecognition.ActionRecognitionClient client, int framesPerMessage, CancellationToken abort)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(framesPerMessage, 1);
        return framesPerMessage == 1
            ? new PerFrame(client.Ingest(cancellationToken: abort))
            : new Batched(client.IngestBatched(cancellationToken: abort));
    }

    public abstract IAsyncStreamReader<IngestReply> Replies { get; }

    /// <summary>Writes <paramref name="frames"/> (in order) as one message, or as one message each on Ingest.</summary>
    public abstract Task WriteAsync(IReadOnlyList<SkeletonFrame> frames);

    public abstract Task CompleteAsync();

    public abstract void Dispose();

    private sealed class PerFrame(AsyncDuplexStreamingCall<SkeletonFrame, IngestReply> call) : IngestCall
    {
        public override IAsyncStreamReader<IngestReply> Replies => call.ResponseStream;

        public override async Task WriteAsync(IReadOnlyList<SkeletonFrame> frames)
        {
            foreach (var frame in frames) await call.RequestStream.WriteAsync(frame);
        }

        public override Task CompleteAsync() => call.RequestStream.CompleteAsync();

        public override void Dispose() => call.Dispose();
    }

    private sealed class Batched(AsyncDuplexStreamingCall<FrameBatch, IngestReply> call) : IngestCall
    {
        public override IAsyncStreamReader<IngestReply> Replies => call.ResponseStream;

        public override Task WriteAsync(IReadOnlyList<SkeletonFrame> frames) => call.RequestStream.WriteAsync(new FrameBatch { Frames = { frames } });

        public override Task CompleteAsync() => call.RequestStream.CompleteAsync();

        public override void Dispose() => call.Dispose();
    }
}
