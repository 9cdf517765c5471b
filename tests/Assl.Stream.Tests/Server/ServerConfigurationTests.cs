using System.Text;
using Assl.Proto.V1;
using Assl.Stream.Hosting;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Assl.Stream.Tests.Server;

/// <summary>Start-up validation, API keys and the health probe, each on a server of its own.</summary>
[Collection("Server")]
public sealed class ServerConfigurationTests
{
    private static async Task<(Microsoft.AspNetCore.Builder.WebApplication App, string Address)> Start(params string[] args)
    {
        var app = AsslServerFixture.BuildServer(new StringBuilder(), args);
        await app.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        var address = AsslServerFixture.AddressOf(app);
        return (app, address);
    }

    [Theory]
    [InlineData("--Windowing:Stride=0", "Stride")]
    [InlineData("--Batching:MaxBatchSize=0", "MaxBatchSize")]
    [InlineData("--Batching:HelperBacklog=0", "HelperBacklog")]
    [InlineData("--Events:EndThreshold=0.9", "EndThreshold")]
    [InlineData("--Inference:Device=tpu", "Device")]
    [InlineData("--PseudoLabels:MaxSegmentFrames=0", "MaxSegmentFrames")]
    [InlineData("--OnlineLearning:Promotion:MinAgreementWithoutGain=1.5", "MinAgreementWithoutGain")]
    public async Task BadConfigurationStopsTheServerAtStartWithTheSettingNamed(string setting, string named)
    {
        var app = AsslServerFixture.BuildServer(new StringBuilder(), setting);
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(named, e.Message);
        await app.DisposeAsync();
    }

    [Theory]
    [InlineData("Samples")]
    [InlineData("UnlabelledSamples")]
    public async Task AnUnknownPseudoLabelSampleKindStopsTheServerAtStartWithTheSettingNamed(string key)
    {
        // The binder, not a validator, refuses a value outside the enum: a different exception, as clear a message.
        var app = AsslServerFixture.BuildServer(new StringBuilder(), $"--PseudoLabels:{key}=Clips");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains($"'Clips' at 'PseudoLabels:{key}'", e.Message);
        await app.DisposeAsync();
    }

    [SkippableFact]
    public async Task AskingForCudaOnTheCpuBuildFailsClearly()
    {
        Skip.If(TorchSharp.torch.cuda.is_available(), "this machine has CUDA");
        var app = AsslServerFixture.BuildServer(new StringBuilder(), "--Inference:Device=cuda");
        var e = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        Assert.Contains("CUDA", e.ToString());
        await app.DisposeAsync();
    }

    [Fact]
    public async Task ApiKeyIsRequiredOnEveryCallButHealthStaysOpen()
    {
        var (app, address) = await Start("--Server:ApiKey=s3cret");
        try
        {
            using var channel = GrpcChannel.ForAddress(address);
            var client = new ActionRecognition.ActionRecognitionClient(channel);
            var e = await Assert.ThrowsAsync<RpcException>(async () => await client.GetModelAsync(new GetModelRequest()));
            Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
            e = await Assert.ThrowsAsync<RpcException>(async () => await client.GetModelAsync(new GetModelRequest(), new Metadata { { "x-api-key", "wrong" } }));
            Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);

            var model = await client.GetModelAsync(new GetModelRequest(), new Metadata { { "x-api-key", "s3cret" } });
            Assert.Equal(10, model.ClassNames.Count);
            Assert.Equal(0, await HealthProbe.RunAsync(address));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task ServerCreatesAndMigratesItsSampleStoreAtStart()
    {
        var path = Path.Combine(Path.GetTempPath(), $"assl-start-{Guid.NewGuid():N}.db");
        var (app, _) = await Start("--Store:Path=" + path);
        try
        {
            Assert.True(File.Exists(path), "the SQLite store is created when the server starts");
            var store = app.Services.GetRequiredService<Assl.Stream.OnlineLearning.Store.ISampleStore>();
            var status = await store.GetStatusAsync();
            Assert.True(status.Writable);
            Assert.Equal(0, status.Windows);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*")) File.Delete(f);
        }
    }

    [Fact]
    public async Task HealthProbeFailsWhenNothingListens() =>
        Assert.Equal(1, await HealthProbe.RunAsync("http://127.0.0.1:1"));
}
