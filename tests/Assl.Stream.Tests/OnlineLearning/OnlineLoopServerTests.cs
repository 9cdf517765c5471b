using System.Text;
using Assl.Proto.V1;
using Assl.Stream.Observability;
using Assl.Stream.OnlineLearning.Loop;
using Assl.Stream.OnlineLearning.Promotion;
using Assl.Stream.OnlineLearning.Store;
using Assl.Stream.Tests.Server;
using Assl.Tests;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Assl.Stream.Tests.OnlineLearning;

/// <summary>
/// The loop inside a real server: real store, real N-UCLA labelled and validation data, real
/// TorchSharp fine-tuning (a few small steps), real promotion, restart and rollback.
/// </summary>
[Collection("Sequential")]
public sealed class OnlineLoopServerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string StorePath => _folder.File("assl.db");
    private string ModelsPath => _folder.File("models");

    private string[] LoopArgs(params string[] extra) => LoopTestArgs.For(StorePath, ModelsPath, steps: 8, extra);

    private static readonly string[] AcceptAnything = LoopTestArgs.AcceptAnything;

    private sealed class Running(WebApplication app, StringBuilder logs) : IAsyncDisposable
    {
        public WebApplication App => app;
        public string Logs { get { lock (logs) return logs.ToString(); } }
        public IOnlineLearningControl Control => app.Services.GetRequiredService<IOnlineLearningControl>();

        public async Task<string> ServedVersionAsync()
        {
            var address = AsslServerFixture.AddressOf(app);
            using var channel = GrpcChannel.ForAddress(address);
            return (await new ActionRecognition.ActionRecognitionClient(channel).GetModelAsync(new GetModelRequest())).Version;
        }

        public async Task<FineTuneRunSummary> RunOnceAsync()
        {
            Assert.True(Control.TriggerFineTune("test"), "the loop should accept a trigger when idle");
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (DateTime.UtcNow < deadline)
            {
                var last = Control.GetStatus().LastRun;
                if (last is not null) return last;
                await Task.Delay(100);
            }
            throw new TimeoutException($"No fine-tuning run finished. Status: {Control.GetStatus()}\nLogs:\n{Logs}");
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>The counter's value as a scrape of /metrics would show it (the thread times are read just before).</summary>
    private static async Task<double> ScrapedAsync(Prometheus.Counter counter)
    {
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(System.IO.Stream.Null);
        return counter.Value;
    }

    private static async Task<Running> StartAsync(params string[] args)
    {
        var logs = new StringBuilder();
        var app = AsslServerFixture.BuildServer(logs, args);
        await app.StartAsync();
        return new Running(app, logs);
    }

    [SkippableFact]
    public async Task APromotedCandidateServesAtOnce_SurvivesARestart_AndCanBeRolledBack()
    {
        _ = RealData.NuclaDirectory;
        await StoreSeeds.SeedAsync(StorePath, pseudo: 40, unlabelled: 40);
        string original, promoted;
        await using (var server = await StartAsync(LoopArgs(AcceptAnything)))
        {
            original = await server.ServedVersionAsync();
            var metrics = server.App.Services.GetRequiredService<AsslMetrics>();
            var steps = metrics.FineTuneSteps;
            double stepsBefore = steps.Value, cpuBefore = await ScrapedAsync(metrics.FineTuneCpuSeconds);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var run = await server.RunOnceAsync();
            Assert.True(run.Promoted, $"{run.Reason}\n{server.Logs}");
            Assert.True(steps.Value - stepsBefore >= 8, $"assl_finetune_steps_total rose by {steps.Value - stepsBefore}, not the run's 8 steps");
            if (NamedThreadsCpuTime.IsSupported)
            {
                // The run's training and evaluation are on the fine-tuning thread; serving's threads are not.
                double cpu = await ScrapedAsync(metrics.FineTuneCpuSeconds) - cpuBefore;
                Assert.InRange(cpu, 0.05, clock.Elapsed.TotalSeconds * Environment.ProcessorCount);
            }
            promoted = run.CandidateVersion;
            Assert.NotEqual(original, promoted);
            Assert.Equal(promoted, await server.ServedVersionAsync());
            Assert.Equal(promoted, server.Control.GetStatus().ServingVersion);
            Assert.NotNull(run.CandidateTop1);

            var versions = await server.Control.ListVersionsAsync();
            Assert.Equal("serving", versions.Single(v => v.Version == promoted).Status);
            Assert.True(versions.Single(v => v.Version == promoted).Metrics.ContainsKey("validation_top1"));
        }

        var registry = new ModelRegistry(ModelsPath, 5, new ListLogger());
        Assert.Equal(promoted, registry.ReadPointer()!.Version);
        await using (var restarted = await StartAsync(LoopArgs(AcceptAnything)))
        {
            Assert.Equal(promoted, await restarted.ServedVersionAsync());
            var back = await restarted.Control.RollbackAsync(null);
            Assert.Equal(original, back.Version);
            Assert.Equal(original, await restarted.ServedVersionAsync());
            await Assert.ThrowsAsync<OnlineLearningException>(() => restarted.Control.PromoteAsync("no-such-version", "test"));
            var again = await restarted.Control.PromoteAsync(promoted, "operator says so");
            Assert.Equal(promoted, await restarted.ServedVersionAsync());
            Assert.Equal(promoted, again.Version);
        }

        using var store = SqliteSampleStore.Open(new StoreOptions { Path = StorePath }, Path.GetTempPath());
        var promotions = await store.GetPromotionsAsync();
        Assert.Equal(3, promotions.Count(p => p.Accepted));
        Assert.Equal(80, (await store.GetStatusAsync()).Windows);
    }

    [SkippableFact]
    public async Task ACandidateTrainedOnOneClassIsRefused_AndTheServingModelStays()
    {
        _ = RealData.NuclaDirectory;
        await StoreSeeds.SeedAsync(StorePath, pseudo: 40, unlabelled: 40);
        await using var server = await StartAsync(LoopArgs(
            "--OnlineLearning:CorruptPseudoLabels=constant", "--OnlineLearning:FineTune:PseudoLabelWeight=20",
            "--OnlineLearning:FineTune:LearningRate=0.01", "--OnlineLearning:FineTune:EmaDecay=0.5", "--OnlineLearning:FineTune:Steps=15"));
        var original = await server.ServedVersionAsync();

        var run = await server.RunOnceAsync();

        Assert.False(run.Promoted, $"a collapsed candidate was promoted: {run.Reason}");
        Assert.Equal(original, await server.ServedVersionAsync());
        Assert.Contains("Refused", server.Logs);
        Assert.Null(new ModelRegistry(ModelsPath, 5, new ListLogger()).ReadPointer());
    }

    [SkippableFact]
    public async Task WithoutLabelledDataTheLoopSwitchesOffVisibly_AndServingGoesOn()
    {
        await StoreSeeds.SeedAsync(StorePath, pseudo: 20, unlabelled: 0);
        await using var server = await StartAsync(LoopArgs("--OnlineLearning:DataPath=" + _folder.File("missing")));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (server.Control.GetStatus().State != OnlineLoopState.Disabled && DateTime.UtcNow < deadline) await Task.Delay(50);

        var status = server.Control.GetStatus();
        Assert.Equal(OnlineLoopState.Disabled, status.State);
        Assert.Contains("does not exist", status.Detail);
        Assert.Throws<OnlineLearningException>(() => server.Control.TriggerFineTune("again"));
        Assert.False(string.IsNullOrEmpty(await server.ServedVersionAsync()));
    }
}
