using Assl.Proto.V1;
using Assl.Stream.OnlineLearning.Promotion;
using Assl.Stream.OnlineLearning.Store;
using Assl.Stream.Tests.Server;
using Assl.Tests;
using Microsoft.Data.Sqlite;

namespace Assl.Stream.Tests.OnlineLearning;

/// <summary>
/// The server killed with SIGKILL in the middle of fine-tuning and in the middle of a promotion
/// (checkpoint and pointer writes), then started again on the same files.
/// </summary>
[Collection("Sequential")]
public sealed class ProcessFaultTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string StorePath => _folder.File("assl.db");
    private string ModelsPath => _folder.File("models");

    private string[] Args(int steps, bool acceptAnything) =>
        LoopTestArgs.For(StorePath, ModelsPath, steps, ["--Inference:ModelPath=" + AsslServerFixture.ShippedModel, .. acceptAnything ? LoopTestArgs.AcceptAnything : []]);

    private long StoredWindows()
    {
        using var connection = new SqliteConnection($"Data Source={StorePath};Pooling=False");
        connection.Open();
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", (string?)check.ExecuteScalar());
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM windows;";
        return (long)count.ExecuteScalar()!;
    }

    [SkippableFact]
    public async Task KilledWhileFineTuning_RestartsOnTheSameModel_WithEverySampleKept()
    {
        _ = RealData.NuclaDirectory;
        await StoreSeeds.SeedAsync(StorePath, pseudo: 40, unlabelled: 40);
        string original;
        await using (var server = await ChildServer.StartAsync(Args(steps: 100_000, acceptAnything: true)))
        {
            original = await server.ServedVersionAsync();
            var reply = await server.Admin.TriggerFineTuneAsync(new TriggerFineTuneRequest { Reason = "fault test" }, server.AdminHeaders);
            Assert.True(reply.Accepted, reply.Message);
            await server.WaitForAsync(s => s.State == LoopState.Training, TimeSpan.FromSeconds(60));
            await Task.Delay(1000);
            server.Kill();
        }

        Assert.Equal(80, StoredWindows());
        await using (var restarted = await ChildServer.StartAsync(Args(steps: 8, acceptAnything: true)))
        {
            Assert.Equal(original, await restarted.ServedVersionAsync());
            var status = await restarted.StatusAsync();
            Assert.True(status.StoreWritable);
            Assert.Equal(LoopState.Idle, status.State);
        }
        Assert.Null(new ModelRegistry(ModelsPath, 5, new ListLogger()).ReadPointer());
    }

    [SkippableFact]
    public async Task KilledDuringPromotion_RestartsOnALoadableVersion_ThePointerNames()
    {
        _ = RealData.NuclaDirectory;
        await StoreSeeds.SeedAsync(StorePath, pseudo: 40, unlabelled: 40);
        var random = new Random(7);
        string? lastServed = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            await using (var server = await ChildServer.StartAsync(Args(steps: 6, acceptAnything: true)))
            {
                if (lastServed is not null) Assert.Equal(lastServed, await server.ServedVersionAsync());
                var before = (await server.StatusAsync()).LastRun?.CandidateVersion;
                var reply = await server.Admin.TriggerFineTuneAsync(new TriggerFineTuneRequest { Reason = "fault test" }, server.AdminHeaders);
                Assert.True(reply.Accepted, reply.Message);
                // Evaluating is the phase that writes the checkpoint, then the pointer, then swaps: kill somewhere in it.
                await server.WaitForAsync(s => s.State == LoopState.Evaluating || s.LastRun?.CandidateVersion != before, TimeSpan.FromSeconds(90));
                await Task.Delay(random.Next(0, 400));
                server.Kill();
            }
            Assert.DoesNotContain(Directory.Exists(ModelsPath) ? Directory.GetFiles(ModelsPath) : [], f => f.EndsWith(".assl", StringComparison.Ordinal) && new FileInfo(f).Length == 0);
            var pointer = new ModelRegistry(ModelsPath, 5, new ListLogger()).ReadPointer();
            await using (var restarted = await ChildServer.StartAsync(Args(steps: 6, acceptAnything: true)))
            {
                lastServed = await restarted.ServedVersionAsync();
                if (pointer is not null) Assert.Equal(pointer.Version, lastServed);
                Assert.DoesNotContain("Refusing checkpoint", restarted.Output);
            }
            Assert.Equal(80, StoredWindows());
        }
    }
}
