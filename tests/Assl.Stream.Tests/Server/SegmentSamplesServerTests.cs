using System.Text;
using Assl.Model.Preprocessing;
using Assl.Proto.V1;
using Assl.Stream.OnlineLearning.Store;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Assl.Stream.Tests.Server;

/// <summary>
/// PseudoLabels:Samples=Segments in a real server: a replayed N-UCLA sequence that the model recognises
/// confidently ends up in the store once, whole, resampled to T, not as one sample per window.
/// </summary>
[Collection("Server")]
public sealed class SegmentSamplesServerTests(ServerTests.Data data) : IClassFixture<ServerTests.Data>
{
    [SkippableFact]
    public async Task AConfidentlyRecognisedBodyIsStoredOnceAsItsWholeTrackWhenItsStreamEnds()
    {
        Skip.If(data.Confident.Count == 0, "no confident sequence");
        var sample = data.Confident[0];
        var logs = new StringBuilder();
        await using var app = AsslServerFixture.BuildServer(logs,
            "--PseudoLabels:Threshold=0.8", "--PseudoLabels:ConsecutiveWindows=2", "--PseudoLabels:Samples=Segments", "--PseudoLabels:UnlabelledShare=0");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
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
            stored = (await store.WindowsSinceAsync(0, 1000)).Where(s => s.Kind == SampleKind.PseudoLabelled).ToArray();
        }

        var segment = Assert.Single(stored);
        Assert.Equal(sample.ClassIndex, segment.Label!.ClassIndex);
        Assert.Equal(("cam-seg", 5UL), (segment.Window.CameraId, segment.Window.BodyId));
        // The whole track: from the first frame's grid time to the last's, resampled to the model's 50 frames.
        Assert.Equal(1_000_000, segment.Window.StartUs);
        Assert.InRange(segment.Window.EndUs, 1_000_000 + (sample.Sequence.FrameCount - 1) * 33_333L - 20_000, 1_000_000 + (sample.Sequence.FrameCount - 1) * 33_334L);
        Assert.Equal(50 * 20 * 3, segment.Window.Positions.Length);
        // Its first frame is the sequence's first frame, as sent.
        Assert.Equal(sample.Sequence.Frame(0).ToArray(), segment.Window.Positions.AsSpan(0, 60).ToArray());
        await app.StopAsync();
    }
}
