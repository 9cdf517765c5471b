using System.Text;
using Assl.Model.Datasets;
using Assl.Model.Preprocessing;
using Assl.Proto.V1;
using Assl.Stream.OnlineLearning.Store;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Assl.Stream.Tests.Server;

/// <summary>
/// Segment samples in a real server: a replayed N-UCLA sequence ends up in the store once, whole, resampled to T,
/// not as one sample per window: pseudo-labelled (PseudoLabels:Samples=Segments) when the model recognises it
/// confidently, unlabelled (PseudoLabels:UnlabelledSamples=Segments) in any case.
/// </summary>
[Collection("Server")]
public sealed class SegmentSamplesServerTests(ServerTests.Data data) : IClassFixture<ServerTests.Data>
{
    [SkippableFact]
    public async Task AConfidentlyRecognisedBodyIsStoredOnceAsItsWholeTrackWhenItsStreamEnds()
    {
        Skip.If(data.Confident.Count == 0, "no confident sequence");
        var sample = data.Confident[0];
        var stored = await ReplayAndReadAsync(sample, SampleKind.PseudoLabelled,
            "--PseudoLabels:Threshold=0.8", "--PseudoLabels:ConsecutiveWindows=2", "--PseudoLabels:Samples=Segments", "--PseudoLabels:UnlabelledShare=0");

        var segment = Assert.Single(stored);
        Assert.Equal(sample.ClassIndex, segment.Label!.ClassIndex);
        AssertWholeTrack(sample, segment);
    }

    [SkippableFact]
    public async Task WithUnlabelledSegmentsABodyIsKeptUnlabelledOnceAsItsWholeTrackAndNoWindowIs()
    {
        Skip.If(data.Confident.Count == 0, "no confident sequence");
        var sample = data.Confident[0];
        // A share of 1 would keep every window unlabelled; with segments it keeps none.
        var stored = await ReplayAndReadAsync(sample, SampleKind.Unlabelled,
            "--PseudoLabels:UnlabelledSamples=Segments", "--PseudoLabels:UnlabelledShare=1");

        var segment = Assert.Single(stored);
        Assert.Null(segment.Label);
        AssertWholeTrack(sample, segment);
    }

    /// <summary>Streams the sequence as body 5 of camera cam-seg to a server with these settings; returns what the store kept of that kind.</summary>
    private static async Task<IReadOnlyList<StoredSample>> ReplayAndReadAsync(SkeletonSample sample, SampleKind kind, params string[] settings)
    {
        var logs = new StringBuilder();
        await using var app = AsslServerFixture.BuildServer(logs, settings);
        await app.StartAsync();
        var address = AsslServerFixture.AddressOf(app);
        using var channel = GrpcChannel.ForAddress(address);
        var client = new ActionRecognition.ActionRecognitionClient(channel);

        using (var call = client.Ingest())
        {
            var reader = Task.Run(async () => { await foreach (var _ in call.ResponseStream.ReadAllAsync()) { } });
            foreach (var frame in Replay.Frames(sample.Sequence, "cam-seg", 5)) await call.RequestStream.WriteAsync(frame);
            await call.RequestStream.CompleteAsync();
            await reader.WaitAsync(TimeSpan.FromSeconds(60));
        }

        var store = app.Services.GetRequiredService<ISampleStore>();
        IReadOnlyList<StoredSample> stored = [];
        for (int i = 0; i < 50 && stored.Count == 0; i++)
        {
            await Task.Delay(100);
            stored = (await store.WindowsSinceAsync(0, 1000)).Where(s => s.Kind == kind).ToArray();
        }
        await app.StopAsync();
        return stored;
    }

    private static void AssertWholeTrack(SkeletonSample sample, StoredSample segment)
    {
        Assert.Equal(("cam-seg", 5UL), (segment.Window.CameraId, segment.Window.BodyId));
        // The whole track: from the first frame's grid time to the last's, resampled to the model's 50 frames.
        Assert.Equal(1_000_000, segment.Window.StartUs);
        Assert.InRange(segment.Window.EndUs, 1_000_000 + (sample.Sequence.FrameCount - 1) * 33_333L - 20_000, 1_000_000 + (sample.Sequence.FrameCount - 1) * 33_334L);
        Assert.Equal(50 * 20 * 3, segment.Window.Positions.Length);
        // Its first frame is the sequence's first frame, as sent.
        Assert.Equal(sample.Sequence.Frame(0).ToArray(), segment.Window.Positions.AsSpan(0, 60).ToArray());
    }
}
