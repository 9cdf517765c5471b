using System.Text;
using Assl.Proto.V1;
using Assl.Stream.Observability;
using Assl.Stream.OnlineLearning.Loop;
using Assl.Stream.OnlineLearning.Store;
using Assl.Stream.Tests.Server;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Assl.Stream.Tests.OnlineLearning;

/// <summary>A full disk or a read-only store: the server serves on without learning, and says so.</summary>
[Collection("Sequential")]
public sealed class UnwritableStoreTests
{
    [Fact]
    public async Task ServingGoesOnWithoutLearning_VisiblyInStatusHealthAndMetrics()
    {
        var store = new GatedStore { Unwritable = true };
        // Any existing folder will do: the loop checks at start that its data folder exists, and this test is about the store.
        var app = AsslServerFixture.BuildServer(new StringBuilder(), b => b.Services.AddSingleton<ISampleStore>(store),
            "--OnlineLearning:PollSeconds=0.05", "--OnlineLearning:DataPath=" + Path.GetTempPath());
        await app.StartAsync();
        try
        {
            var loop = app.Services.GetRequiredService<IOnlineLearningControl>();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (loop.GetStatus().StoreWritable && DateTime.UtcNow < deadline) await Task.Delay(20);

            var status = loop.GetStatus();
            Assert.False(status.StoreWritable);
            Assert.Contains("not writable", status.Detail);
            var ex = Assert.Throws<OnlineLearningException>(() => loop.TriggerFineTune("test"));
            Assert.Contains("store is not writable", ex.Message);

            var health = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            Assert.Equal(HealthStatus.Degraded, health.Entries["online-learning"].Status);
            Assert.Equal(0, app.Services.GetRequiredService<AsslMetrics>().OnlineLearningActive.Value);

            var address = AsslServerFixture.AddressOf(app);
            using var channel = GrpcChannel.ForAddress(address);
            var model = await new ActionRecognition.ActionRecognitionClient(channel).GetModelAsync(new GetModelRequest());
            Assert.Equal(status.ServingVersion, model.Version);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
