using System.Runtime.InteropServices;
using Assl.Stream.OnlineLearning.Store;
using Microsoft.Data.Sqlite;

namespace Assl.Stream.Tests.OnlineLearning;

public sealed class SqliteSampleStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<SqliteSampleStore> _stores = [];

    public void Dispose()
    {
        foreach (var store in _stores) store.Dispose();
        _folder.Dispose();
    }

    private string DbPath => _folder.File("data/assl.db");

    private SqliteSampleStore Open(string? connectionString = null)
    {
        var store = connectionString is null
            ? SqliteSampleStore.Open(new StoreOptions { Path = "data/assl.db" }, _folder.Path)
            : new SqliteSampleStore(connectionString);
        _stores.Add(store);
        return store;
    }

    private object? Raw(string sql)
    {
        // Pooling off: a connection of its own, closed at once, so it never keeps the file open.
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public async Task AFreshFileIsCreatedAndMigrated_AndReopeningKeepsTheData()
    {
        var store = Open();
        Assert.True(File.Exists(DbPath), "the folder and the file are created relative to the content root");
        Assert.Equal(1L, Raw("SELECT MAX(version) FROM schema_version;"));
        var sequences = await store.WriteAsync([StoreCommand.AddPseudoLabelled(Samples.Window(1), Samples.Label(3))]);
        store.Dispose();

        var reopened = Open();
        var samples = await reopened.WindowsSinceAsync(0, 10);
        Assert.Equal(sequences, samples.Select(s => s.Sequence));
        Assert.Equal(3, samples[0].Label!.ClassIndex);
        Assert.Equal(1L, Raw("SELECT COUNT(*) FROM schema_version;")); // migrations are not applied twice
    }

    [Fact]
    public void WalModeIsOn()
    {
        Open();
        Assert.Equal("wal", Raw("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task WindowsAndLabelsRoundTripBitExact()
    {
        var store = Open();
        var special = Samples.Window(7) with { BodyId = ulong.MaxValue, CameraId = "cam-ü" };
        float[] edge = [float.NaN, -0f, float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity, 1e-42f, BitConverter.Int32BitsToSingle(0x7FC00123)];
        edge.CopyTo(special.Positions, 0);
        var seq = await store.WriteAsync([StoreCommand.Add(special), StoreCommand.Add(Samples.Window(8)), StoreCommand.Add(Samples.Window(9))]);
        await store.WriteAsync([
            new StoreCommand.SetPseudoLabel(seq[0], new PseudoLabel(5, 0.875f, "v7")),
            new StoreCommand.MarkUnlabelled(seq[1]),
        ]);

        var samples = await store.WindowsSinceAsync(0, 10);
        Assert.Equal(3, samples.Count);
        var read = samples[0].Window;
        Assert.Equal(MemoryMarshal.AsBytes(special.Positions.AsSpan()).ToArray(), MemoryMarshal.AsBytes(read.Positions.AsSpan()).ToArray());
        Assert.Equal(special with { Positions = read.Positions }, read); // every other field too
        Assert.Equal(SampleKind.PseudoLabelled, samples[0].Kind);
        Assert.Equal(new PseudoLabel(5, 0.875f, "v7"), samples[0].Label);
        Assert.Equal(SampleKind.Unlabelled, samples[1].Kind);
        Assert.Null(samples[1].Label);
        Assert.Equal(SampleKind.Pending, samples[2].Kind);
        Assert.Equal([seq[2]], (await store.WindowsSinceAsync(seq[1], 10)).Select(s => s.Sequence));
    }

    [Fact]
    public async Task CountsPerClassNewestPerClassAndRandomUnlabelled()
    {
        var store = Open();
        var commands = new List<StoreCommand>();
        for (int i = 0; i < 5; i++) commands.Add(StoreCommand.AddPseudoLabelled(Samples.Window(i), Samples.Label(0, 0.5f + i * 0.1f)));
        for (int i = 5; i < 7; i++) commands.Add(StoreCommand.AddPseudoLabelled(Samples.Window(i), Samples.Label(2)));
        for (int i = 7; i < 10; i++) commands.Add(StoreCommand.AddUnlabelled(Samples.Window(i)));
        commands.Add(StoreCommand.Add(Samples.Window(10)));
        var seq = await store.WriteAsync(commands);

        var counts = await store.CountPseudoLabelledAsync();
        Assert.Equal(new Dictionary<int, long> { [0] = 5, [2] = 2 }, counts);

        var newest = await store.NewestPseudoLabelledAsync(perClass: 3);
        Assert.Equal([seq[4], seq[3], seq[2], seq[6], seq[5]], newest.Sequences);
        Assert.Equal([0, 0, 0, 2, 2], newest.Labels);
        Assert.Equal(Samples.Window(4).Positions, newest.Positions[0]);
        Assert.All(newest.LayoutIds, id => Assert.Equal("kinect_v2", id));

        var confident = await store.NewestPseudoLabelledAsync(perClass: 10, minConfidence: 0.75f);
        Assert.Equal([seq[4], seq[3], seq[6], seq[5]], confident.Sequences);

        var unlabelled = await store.RandomUnlabelledAsync(2);
        Assert.Equal(2, unlabelled.Count);
        Assert.Equal(2, unlabelled.Sequences.Distinct().Count());
        Assert.All(unlabelled.Sequences, s => Assert.Contains(s, seq.Skip(7).Take(3)));
        Assert.All(unlabelled.Labels, l => Assert.Equal(-1, l));
        Assert.Equal(3, (await store.RandomUnlabelledAsync(100)).Count);

        var status = await store.GetStatusAsync();
        Assert.Equal(11, status.Windows);
        Assert.Equal(3, status.UnlabelledWindows);
        Assert.Equal(counts, status.PseudoLabelledPerClass);
        Assert.True(status.Writable);
        Assert.True(status.FileSizeBytes > 0);
    }

    [Fact]
    public async Task RetentionDeletesOldestBeyondTheCount()
    {
        var store = Open();
        var seq = await store.WriteAsync(Enumerable.Range(0, 10).Select(i => (StoreCommand)StoreCommand.Add(Samples.Window(i))).ToArray());

        var result = await store.ApplyRetentionAsync(maxWindows: 4, capturedBeforeUnixUs: 0);
        Assert.Equal(new RetentionResult(0, 6), result);
        Assert.Equal(seq.Skip(6), (await store.WindowsSinceAsync(0, 100)).Select(s => s.Sequence));
        Assert.Equal(0, (await store.ApplyRetentionAsync(4, 0)).Total);

        // Sequence numbers are not reused after deletes, so "since n" stays exact.
        var next = await store.WriteAsync([StoreCommand.Add(Samples.Window(99))]);
        Assert.True(next[0] > seq[^1]);
    }

    [Fact]
    public async Task RetentionDeletesWindowsOlderThanTheCutoff()
    {
        var store = Open();
        long day = 86_400_000_000;
        var seq = await store.WriteAsync(Enumerable.Range(0, 6).Select(i => (StoreCommand)StoreCommand.Add(Samples.Window(i, capturedUnixUs: i * day))).ToArray());

        var result = await store.ApplyRetentionAsync(maxWindows: 1000, capturedBeforeUnixUs: 3 * day);
        Assert.Equal(new RetentionResult(3, 0), result);
        Assert.Equal(seq.Skip(3), (await store.WindowsSinceAsync(0, 100)).Select(s => s.Sequence));
        Assert.Equal(3, (await store.GetStatusAsync()).Windows);
    }

    [Fact]
    public async Task ModelVersionsAndPromotionHistoryRoundTrip()
    {
        var store = Open();
        var v1 = new ModelVersionRecord("v1", "/models/v1.assl", """{"top1":0.81}""", 1_000, ModelStatus.Serving);
        var v2 = new ModelVersionRecord("v2", "/models/v2.assl", """{"top1":0.84}""", 2_000, ModelStatus.Candidate);
        var v3 = new ModelVersionRecord("v3", "/models/v3.assl", """{"top1":0.70}""", 3_000, ModelStatus.Candidate);
        await store.SaveModelVersionAsync(v1);
        await store.SaveModelVersionAsync(v2);
        await store.SaveModelVersionAsync(v3);
        Assert.Equal([v1, v2, v3], await store.GetModelVersionsAsync());

        var accepted = new PromotionRecord("v1", "v2", "val top1 0.84 > 0.81", true, 2_500);
        var refused = new PromotionRecord("v2", "v3", "val top1 0.70 < 0.84", false, 3_500);
        await store.RecordPromotionAsync(accepted);
        await store.RecordPromotionAsync(refused);
        Assert.Equal([accepted, refused], await store.GetPromotionsAsync());
        Assert.Equal([refused], await store.GetPromotionsAsync(limit: 1));
        Assert.Equal([ModelStatus.Retired, ModelStatus.Serving, ModelStatus.Refused], (await store.GetModelVersionsAsync()).Select(v => v.Status));

        Assert.True(await store.SetModelStatusAsync("v2", ModelStatus.Retired));
        Assert.False(await store.SetModelStatusAsync("nope", ModelStatus.Retired));
        var first = new PromotionRecord(null, "v1", "initial", true, 10);
        await store.RecordPromotionAsync(first);
        Assert.Null((await store.GetPromotionsAsync())[^1].FromVersion);
    }

    [Fact]
    public async Task AReadOnlyDatabaseRefusesWritesWithoutCrashing()
    {
        var writable = Open();
        await writable.WriteAsync([StoreCommand.AddPseudoLabelled(Samples.Window(1), Samples.Label(1))]);
        writable.Dispose();

        // Mode=ReadOnly: the tests may run as root, where chmod 0444 does not stop writes.
        var store = Open($"Data Source={DbPath};Mode=ReadOnly");
        Assert.Single(await store.WindowsSinceAsync(0, 10)); // reads still work
        Assert.False((await store.GetStatusAsync()).Writable);

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.WriteAsync([StoreCommand.Add(Samples.Window(2))]));
        Assert.Contains("read-only", e.Message);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ApplyRetentionAsync(0, long.MaxValue));
        var status = await store.GetStatusAsync();
        Assert.False(status.Writable);
        Assert.Contains("read-only", status.LastError);
        Assert.Equal(1, status.Windows);
    }

    [Fact]
    public async Task AStoreThatCannotBeCreatedOpensUnwritable()
    {
        // A folder that cannot exist (a file stands in its way) fails even for root, like a read-only mount.
        File.WriteAllText(_folder.File("blocker"), "");
        var store = Open(new SqliteConnectionStringBuilder { DataSource = _folder.File("blocker/sub/assl.db") }.ToString());

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.WriteAsync([StoreCommand.Add(Samples.Window(1))]));
        var status = await store.GetStatusAsync();
        Assert.False(status.Writable);
        Assert.NotNull(status.LastError);
    }

    [Fact]
    public void ANewerSchemaRefusesToOpen()
    {
        Open().Dispose();
        Raw("INSERT INTO schema_version (version, applied_unix_ms) VALUES (99, 0);");

        var e = Assert.Throws<StoreSchemaException>(() => Open());
        Assert.Contains("schema version 99", e.Message);
        Assert.Contains("newer", e.Message);
    }

    [Fact]
    public async Task CommittedWritesSurviveAProcessThatNeverClosed()
    {
        var first = Open();
        var seq = await first.WriteAsync(Enumerable.Range(0, 20).Select(i => (StoreCommand)StoreCommand.AddPseudoLabelled(Samples.Window(i), Samples.Label(i % 3))).ToArray());
        // `first` is neither disposed nor checkpointed: the commits are in the WAL, as a killed process leaves them.
        Assert.True(new FileInfo(DbPath + "-wal").Length > 0);

        var second = Open($"Data Source={DbPath};Pooling=False");
        Assert.Equal(seq, (await second.WindowsSinceAsync(0, 100)).Select(s => s.Sequence));

        // The files alone, as left on disk (no shared memory index, nothing closed), recover the same data.
        var copy = _folder.File("copy/assl.db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(DbPath, copy);
        File.Copy(DbPath + "-wal", copy + "-wal");
        var recovered = Open($"Data Source={copy};Pooling=False");
        var samples = await recovered.WindowsSinceAsync(0, 100);
        Assert.Equal(seq, samples.Select(s => s.Sequence));
        Assert.Equal(Samples.Window(19).Positions, samples[^1].Window.Positions);
    }
}
