using System.Text;
using Assl.Proto.V1;
using Assl.Stream.OnlineLearning.Loop;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Assl.Stream.Tests.Server;

/// <summary>The ModelAdmin service on the real server (loopback Kestrel, shipped model) over an in-memory loop.</summary>
[Collection("Server")]
public sealed class AdminServiceTests
{
    private const string AdminKey = "adm1n-s3cret";
    private static readonly Metadata WithAdminKey = new() { { "x-admin-key", AdminKey } };

    /// <summary>Every ModelAdmin RPC, called with the given headers.</summary>
    private static readonly (string Name, Func<ModelAdmin.ModelAdminClient, Metadata?, Task> Call)[] EveryRpc =
    [
        ("GetStatus", async (c, h) => await c.GetStatusAsync(new GetStatusRequest(), h)),
        ("ListVersions", async (c, h) => await c.ListVersionsAsync(new ListVersionsRequest(), h)),
        ("Promote", async (c, h) => await c.PromoteAsync(new PromoteRequest { Version = "nucla-v3" }, h)),
        ("Rollback", async (c, h) => await c.RollbackAsync(new RollbackRequest(), h)),
        ("TriggerFineTune", async (c, h) => await c.TriggerFineTuneAsync(new TriggerFineTuneRequest(), h)),
        ("Pause", async (c, h) => await c.PauseAsync(new PauseRequest(), h)),
        ("Resume", async (c, h) => await c.ResumeAsync(new ResumeRequest(), h)),
    ];

    [Fact]
    public async Task EveryAdminCallWithoutTheKeyOrWithAWrongOneIsUnauthenticatedAndNeverReachesTheLoop()
    {
        var loop = new FakeOnlineLearningControl();
        await using var server = await TestServer.StartAsync(loop, "--Server:AdminApiKey=" + AdminKey);
        foreach (var (name, call) in EveryRpc)
        {
            foreach (var headers in new Metadata?[] { null, new() { { "x-admin-key", "wrong" } }, new() { { "x-admin-key", AdminKey + "x" } } })
            {
                var e = await Assert.ThrowsAsync<RpcException>(() => call(server.Admin, headers));
                Assert.True(e.StatusCode == StatusCode.Unauthenticated, $"{name}: {e.Status}");
                Assert.Contains("x-admin-key", e.Status.Detail);
            }
        }
        Assert.Empty(loop.Calls);
        Assert.Equal(["nucla-v2"], (await loop.ListVersionsAsync()).Where(v => v.Status == "serving").Select(v => v.Version));
    }

    [Fact]
    public async Task TheIngestKeyIsNotTheAdminKeyAndTheAdminKeyOpensNothingElse()
    {
        await using var server = await TestServer.StartAsync(new FakeOnlineLearningControl(), "--Server:ApiKey=ingest-key",
            "--Server:AdminApiKey=" + AdminKey);

        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await server.Admin.GetStatusAsync(new GetStatusRequest(), new Metadata { { "x-api-key", "ingest-key" } }));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        e = await Assert.ThrowsAsync<RpcException>(async () =>
            await server.Admin.GetStatusAsync(new GetStatusRequest(), new Metadata { { "x-api-key", AdminKey } }));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        e = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.GetModelAsync(new GetModelRequest(), WithAdminKey));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);

        // Each key opens its own service, whatever the other header carries.
        Assert.Equal("nucla-v2", (await server.Admin.GetStatusAsync(new GetStatusRequest(), WithAdminKey)).ServingVersion);
        Assert.Equal(10, (await server.Client.GetModelAsync(new GetModelRequest(), new Metadata { { "x-api-key", "ingest-key" } })).ClassNames.Count);
    }

    [Fact]
    public async Task WithoutAnAdminKeyConfiguredAdminCallsAreRefusedWhileIngestStaysOpen()
    {
        var loop = new FakeOnlineLearningControl();
        await using var server = await TestServer.StartAsync(loop);
        foreach (var (name, call) in EveryRpc)
        {
            foreach (var headers in new Metadata?[] { null, WithAdminKey, new() { { "x-admin-key", "" } } })
            {
                var e = await Assert.ThrowsAsync<RpcException>(() => call(server.Admin, headers));
                Assert.True(e.StatusCode == StatusCode.PermissionDenied, $"{name}: {e.Status}");
                Assert.Contains("Server:AdminApiKey", e.Status.Detail);
            }
        }
        Assert.Empty(loop.Calls);

        Assert.Equal(10, (await server.Client.GetModelAsync(new GetModelRequest())).ClassNames.Count);
        using var ingest = server.Client.Ingest();
        await ingest.RequestStream.WriteAsync(new SkeletonFrame { CameraId = "cam-open", TimestampUs = 1 });
        await ingest.RequestStream.CompleteAsync();
        while (await ingest.ResponseStream.MoveNext(CancellationToken.None)) { }
        Assert.Equal(StatusCode.OK, ingest.GetStatus().StatusCode);
    }

    [Fact]
    public async Task WithTheKeyStatusAndVersionsComeBackFieldByField()
    {
        await using var server = await TestServer.StartAsync(new FakeOnlineLearningControl(), "--Server:AdminApiKey=" + AdminKey);

        var status = await server.Admin.GetStatusAsync(new GetStatusRequest(), WithAdminKey);
        Assert.Equal(LoopState.Idle, status.State);
        Assert.False(status.Paused);
        Assert.Equal("nucla-v2", status.ServingVersion);
        Assert.Equal(1234, status.NewSamples);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), status.NextRunDue.ToDateTime());
        Assert.True(status.StoreWritable);
        Assert.Equal("waiting for 2000 new samples", status.Detail);
        Assert.Equal("nucla-v3", status.LastRun.CandidateVersion);
        Assert.False(status.LastRun.Promoted);
        Assert.Equal("top-1 0.830 < 0.845 serving", status.LastRun.Reason);
        Assert.Equal(95.5, status.LastRun.Seconds);
        Assert.True(status.LastRun.HasCandidateTop1);
        Assert.Equal(0.83, status.LastRun.CandidateTop1);
        Assert.False(status.LastRun.HasServingTop1); // not measured is not 0 %
        Assert.Equal(new DateTime(2025, 3, 1, 1, 0, 0, DateTimeKind.Utc), status.LastRun.Finished.ToDateTime());

        var versions = (await server.Admin.ListVersionsAsync(new ListVersionsRequest(), WithAdminKey)).Versions;
        Assert.Equal(["nucla-v1", "nucla-v2", "nucla-v3"], versions.Select(v => v.Version));
        Assert.Equal([ModelVersionStatus.Retired, ModelVersionStatus.Serving, ModelVersionStatus.Refused], versions.Select(v => v.Status));
        Assert.Equal(new DateTime(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc), versions[1].Created.ToDateTime());
        Assert.Equal(new Dictionary<string, double> { ["val_top1"] = 0.845, ["agreement"] = 0.97, ["entropy"] = 0.41 }, versions[1].Metrics);
        Assert.Equal("/models/nucla-v2.assl", versions[1].CheckpointPath);
    }

    [Fact]
    public async Task WithTheKeyOperatorActionsReachTheLoop()
    {
        var loop = new FakeOnlineLearningControl();
        var logs = new StringBuilder();
        await using var server = await TestServer.StartAsync(loop, logs, "--Server:AdminApiKey=" + AdminKey);

        var serving = await server.Admin.PromoteAsync(new PromoteRequest { Version = "nucla-v3", Reason = "field test" }, WithAdminKey);
        Assert.Equal("nucla-v3", serving.Version);
        Assert.Equal(ModelVersionStatus.Serving, serving.Status);

        serving = await server.Admin.RollbackAsync(new RollbackRequest(), WithAdminKey);
        Assert.Equal("nucla-v2", serving.Version);
        serving = await server.Admin.RollbackAsync(new RollbackRequest { Version = "nucla-v1", Reason = "v2 drifts" }, WithAdminKey);
        Assert.Equal("nucla-v1", serving.Version);

        var first = await server.Admin.TriggerFineTuneAsync(new TriggerFineTuneRequest { Reason = "new camera" }, WithAdminKey);
        var second = await server.Admin.TriggerFineTuneAsync(new TriggerFineTuneRequest(), WithAdminKey);
        Assert.True(first.Accepted);
        Assert.False(second.Accepted);
        Assert.NotEmpty(second.Message);

        Assert.True((await server.Admin.PauseAsync(new PauseRequest(), WithAdminKey)).Paused);
        Assert.False((await server.Admin.ResumeAsync(new ResumeRequest(), WithAdminKey)).Paused);

        Assert.Equal(["promote nucla-v3 (field test)", "rollback (previous)", "rollback nucla-v1", "finetune (new camera)", "finetune (no reason given)",
            "pause", "resume"], loop.Calls);
        // Every operator action leaves an audit line with its caller.
        lock (logs)
        {
            Assert.Contains("promoting nucla-v3 (field test), asked by", logs.ToString());
            Assert.Contains("rolling back to nucla-v1 (v2 drifts)", logs.ToString());
            Assert.Contains("online learning paused", logs.ToString());
        }
    }

    [Fact]
    public async Task TheLoopsRefusalsAndUnknownVersionsMapToStatusesWithTheirMessages()
    {
        var loop = new FakeOnlineLearningControl();
        await using var server = await TestServer.StartAsync(loop, "--Server:AdminApiKey=" + AdminKey);

        loop.RefuseNextWith = "The checkpoint of nucla-v3 is unreadable: truncated file.";
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await server.Admin.PromoteAsync(new PromoteRequest { Version = "nucla-v3" }, WithAdminKey));
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Equal("The checkpoint of nucla-v3 is unreadable: truncated file.", e.Status.Detail);

        loop.RefuseNextWith = "The loop is disabled: no labelled validation data.";
        e = await Assert.ThrowsAsync<RpcException>(async () => await server.Admin.PauseAsync(new PauseRequest(), WithAdminKey));
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Equal("The loop is disabled: no labelled validation data.", e.Status.Detail);

        e = await Assert.ThrowsAsync<RpcException>(async () =>
            await server.Admin.PromoteAsync(new PromoteRequest { Version = "nucla-v9" }, WithAdminKey));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains("nucla-v9", e.Status.Detail);
        e = await Assert.ThrowsAsync<RpcException>(async () =>
            await server.Admin.RollbackAsync(new RollbackRequest { Version = "nucla-v9" }, WithAdminKey));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);

        e = await Assert.ThrowsAsync<RpcException>(async () => await server.Admin.PromoteAsync(new PromoteRequest(), WithAdminKey));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.DoesNotContain(loop.Calls, c => c.StartsWith("promote", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheRealLoopAnswersThroughTheAdminService()
    {
        await using var server = await TestServer.StartAsync(loop: null, "--Server:AdminApiKey=" + AdminKey);
        var status = await server.Admin.GetStatusAsync(new GetStatusRequest(), WithAdminKey);
        Assert.Equal((await server.Client.GetModelAsync(new GetModelRequest())).Version, status.ServingVersion);
        Assert.Equal(LoopState.Idle, status.State);
        var paused = await server.Admin.PauseAsync(new PauseRequest(), WithAdminKey);
        Assert.True(paused.Paused);
        var versions = await server.Admin.ListVersionsAsync(new ListVersionsRequest(), WithAdminKey);
        Assert.Equal(ModelVersionStatus.Serving, versions.Versions.Single(v => v.Version == status.ServingVersion).Status);
    }

    /// <summary>A server of its own per test, with the fake loop registered after the server's own services.</summary>
    private sealed class TestServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly GrpcChannel _channel;

        private TestServer(WebApplication app, string address)
        {
            _app = app;
            _channel = GrpcChannel.ForAddress(address);
            Admin = new ModelAdmin.ModelAdminClient(_channel);
            Client = new ActionRecognition.ActionRecognitionClient(_channel);
        }

        public ModelAdmin.ModelAdminClient Admin { get; }
        public ActionRecognition.ActionRecognitionClient Client { get; }

        public static Task<TestServer> StartAsync(IOnlineLearningControl? loop, params string[] args) => StartAsync(loop, new StringBuilder(), args);

        public static async Task<TestServer> StartAsync(IOnlineLearningControl? loop, StringBuilder logs, params string[] args)
        {
            var app = AsslServerFixture.BuildServer(logs, builder =>
            {
                if (loop is not null) builder.Services.AddSingleton(loop);
            }, args);
            await app.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            var address = AsslServerFixture.AddressOf(app);
            return new TestServer(app, address);
        }

        public async ValueTask DisposeAsync()
        {
            _channel.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
