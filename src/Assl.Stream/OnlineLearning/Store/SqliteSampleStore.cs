using Microsoft.Data.Sqlite;

namespace Assl.Stream.OnlineLearning.Store;

/// <summary>
/// <see cref="ISampleStore"/> in one SQLite file (Microsoft.Data.Sqlite), in WAL mode with
/// <c>synchronous=NORMAL</c>: a commit survives a killed process (it is in the WAL), and only a power
/// loss can lose the last few; readers never block the writer.
/// </summary>
/// <remarks>
/// Concurrency: every call opens its own pooled connection, so calls from several threads never share
/// one; SQLite serialises writers (transactions start IMMEDIATE, and Microsoft.Data.Sqlite retries a busy
/// database until the command timeout). The schema is created or migrated when the store is opened.
/// A read-only or full disk does not stop the store from opening: reads work when the schema is there,
/// writes throw <see cref="StoreUnavailableException"/>, and the status says so until a write succeeds.
/// </remarks>
public sealed partial class SqliteSampleStore : ISampleStore, IDisposable
{
    private const string WindowColumns =
        "w.seq, w.camera_id, w.body_id, w.start_us, w.end_us, w.layout_id, w.captured_unix_us, w.kind, w.label_class, w.label_confidence, w.label_model_version, w.positions";

    private readonly string _connectionString;
    private readonly string? _filePath;
    private readonly Lock _migrateLock = new();
    private volatile bool _ready;
    private volatile bool _writable;
    private volatile string? _lastError;

    /// <summary>Opens (creating and migrating when needed) the database of <paramref name="connectionString"/>.</summary>
    /// <exception cref="StoreSchemaException">The file holds a newer schema than this build knows.</exception>
    public SqliteSampleStore(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        bool memory = builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:";
        _filePath = memory ? null : Path.GetFullPath(builder.DataSource);
        _connectionString = builder.ToString();
        if (_filePath is not null && builder.Mode != SqliteOpenMode.ReadOnly)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_filePath)!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _lastError = $"Cannot create the folder of {_filePath}: {e.Message}";
            }
        }
        try
        {
            EnsureReady();
        }
        catch (StoreUnavailableException)
        {
            // Reported through the status; every later call tries to open again, so the store recovers once the disk does.
        }
    }

    /// <summary>Opens the store <paramref name="options"/> describe; a relative path is taken from <paramref name="contentRootPath"/>.</summary>
    public static SqliteSampleStore Open(StoreOptions options, string contentRootPath) =>
        new(options.ResolveConnectionString(contentRootPath));

    public Task<IReadOnlyList<long>> WriteAsync(IReadOnlyList<StoreCommand> commands, CancellationToken cancellationToken = default) =>
        RunAsync(() => Write(c => ApplyCommands(c, commands)), cancellationToken);

    public Task<IReadOnlyDictionary<int, long>> CountPseudoLabelledAsync(CancellationToken cancellationToken = default) =>
        RunAsync(() => Read(CountPerClass), cancellationToken);

    public Task<long> LatestSequenceAsync(CancellationToken cancellationToken = default) =>
        RunAsync(() => Read(c => Convert.ToInt64(Scalar(c, "SELECT COALESCE(MAX(seq), 0) FROM windows;"))), cancellationToken);

    public Task<SampleBatch> NewestPseudoLabelledAsync(int perClass, float minConfidence = 0f, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(perClass);
        // Rank on the covering index alone, then fetch only the chosen rows (and their BLOBs).
        const string sql = $"""
            WITH ranked AS (
                SELECT seq, ROW_NUMBER() OVER (PARTITION BY label_class ORDER BY seq DESC) AS rn
                FROM windows WHERE kind = 1 AND label_confidence >= $min)
            SELECT {WindowColumns} FROM ranked r JOIN windows w ON w.seq = r.seq
            WHERE r.rn <= $n ORDER BY w.label_class, w.seq DESC;
            """;
        return RunAsync(() => SampleBatch.From(Read(c => Query(c, sql, ("$min", minConfidence), ("$n", perClass)))), cancellationToken);
    }

    public Task<SampleBatch> RandomUnlabelledAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        const string sql = $"""
            SELECT {WindowColumns} FROM windows w
            WHERE w.seq IN (SELECT seq FROM windows WHERE kind = 2 ORDER BY random() LIMIT $n);
            """;
        return RunAsync(() => SampleBatch.From(Read(c => Query(c, sql, ("$n", count)))), cancellationToken);
    }

    public Task<IReadOnlyList<StoredSample>> WindowsSinceAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        const string sql = $"SELECT {WindowColumns} FROM windows w WHERE w.seq > $after ORDER BY w.seq LIMIT $n;";
        return RunAsync(() => Read(c => Query(c, sql, ("$after", afterSequence), ("$n", limit))), cancellationToken);
    }

    public Task SaveModelVersionAsync(ModelVersionRecord version, CancellationToken cancellationToken = default) =>
        RunAsync(() => Write(c => Execute(c, null, """
            INSERT INTO model_versions (version, checkpoint_path, metrics_json, created_unix_us, status)
            VALUES ($v, $path, $metrics, $created, $status)
            ON CONFLICT (version) DO UPDATE SET checkpoint_path = excluded.checkpoint_path,
                metrics_json = excluded.metrics_json, created_unix_us = excluded.created_unix_us, status = excluded.status;
            """, ("$v", version.Version), ("$path", version.CheckpointPath), ("$metrics", version.MetricsJson),
            ("$created", version.CreatedUnixUs), ("$status", StatusText(version.Status)))), cancellationToken);

    public Task<bool> SetModelStatusAsync(string version, ModelStatus status, CancellationToken cancellationToken = default) =>
        RunAsync(() => Write(c => Execute(c, null, "UPDATE model_versions SET status = $status WHERE version = $v;",
            ("$status", StatusText(status)), ("$v", version)) > 0), cancellationToken);

    public Task<IReadOnlyList<ModelVersionRecord>> GetModelVersionsAsync(CancellationToken cancellationToken = default) =>
        RunAsync(() => Read<IReadOnlyList<ModelVersionRecord>>(c =>
        {
            using var command = Command(c, null,
                "SELECT version, checkpoint_path, metrics_json, created_unix_us, status FROM model_versions ORDER BY created_unix_us, rowid;");
            using var reader = command.ExecuteReader();
            var versions = new List<ModelVersionRecord>();
            while (reader.Read())
                versions.Add(new ModelVersionRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                    Enum.Parse<ModelStatus>(reader.GetString(4), ignoreCase: true)));
            return versions;
        }), cancellationToken);

    public Task RecordPromotionAsync(PromotionRecord promotion, CancellationToken cancellationToken = default) =>
        RunAsync(() => Write(c =>
        {
            using var tx = c.BeginTransaction();
            Execute(c, tx, """
                INSERT INTO promotions (from_version, to_version, reason, accepted, decided_unix_us)
                VALUES ($from, $to, $reason, $accepted, $at);
                """, ("$from", promotion.FromVersion), ("$to", promotion.ToVersion), ("$reason", promotion.Reason),
                ("$accepted", promotion.Accepted), ("$at", promotion.DecidedUnixUs));
            const string setStatus = "UPDATE model_versions SET status = $status WHERE version = $v;";
            if (promotion.Accepted)
            {
                if (promotion.FromVersion is not null && promotion.FromVersion != promotion.ToVersion)
                    Execute(c, tx, setStatus, ("$status", StatusText(ModelStatus.Retired)), ("$v", promotion.FromVersion));
                Execute(c, tx, setStatus, ("$status", StatusText(ModelStatus.Serving)), ("$v", promotion.ToVersion));
            }
            else
            {
                Execute(c, tx, setStatus, ("$status", StatusText(ModelStatus.Refused)), ("$v", promotion.ToVersion));
            }
            tx.Commit();
            return 0;
        }), cancellationToken);

    public Task<IReadOnlyList<PromotionRecord>> GetPromotionsAsync(int limit = 1000, CancellationToken cancellationToken = default) =>
        RunAsync(() => Read<IReadOnlyList<PromotionRecord>>(c =>
        {
            // The latest `limit` decisions, returned oldest first.
            using var command = Command(c, null, """
                SELECT from_version, to_version, reason, accepted, decided_unix_us FROM
                    (SELECT * FROM promotions ORDER BY id DESC LIMIT $n) ORDER BY id;
                """, ("$n", limit));
            using var reader = command.ExecuteReader();
            var promotions = new List<PromotionRecord>();
            while (reader.Read())
                promotions.Add(new PromotionRecord(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1),
                    reader.GetString(2), reader.GetBoolean(3), reader.GetInt64(4)));
            return promotions;
        }), cancellationToken);

    public Task<RetentionResult> ApplyRetentionAsync(int maxWindows, long capturedBeforeUnixUs, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxWindows);
        return RunAsync(() => Write(c =>
        {
            using var tx = c.BeginTransaction();
            int byAge = Execute(c, tx, "DELETE FROM windows WHERE captured_unix_us < $cutoff;", ("$cutoff", capturedBeforeUnixUs));
            // Oldest first: everything at or below the sequence number of the (max+1)-th newest window. With
            // max or fewer windows the subquery is NULL and nothing matches.
            int byCount = Execute(c, tx, "DELETE FROM windows WHERE seq <= (SELECT seq FROM windows ORDER BY seq DESC LIMIT 1 OFFSET $max);",
                ("$max", maxWindows));
            tx.Commit();
            return new RetentionResult(byAge, byCount);
        }), cancellationToken);
    }

    public Task<StoreStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<StoreStatus>(cancellationToken);
        long windows = 0, unlabelled = 0;
        IReadOnlyDictionary<int, long> perClass = new Dictionary<int, long>();
        try
        {
            (windows, unlabelled, perClass) = Read(c => (
                (long)Scalar(c, "SELECT COUNT(*) FROM windows;")!,
                (long)Scalar(c, "SELECT COUNT(*) FROM windows WHERE kind = 2;")!,
                CountPerClass(c)));
        }
        catch (StoreUnavailableException)
        {
            // Counts stay 0; Writable and LastError below say why.
        }
        return Task.FromResult(new StoreStatus(windows, unlabelled, perClass, FileSize(), _writable, _lastError));
    }

    /// <summary>Releases the pooled connections, which closes the file.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private IReadOnlyList<long> ApplyCommands(SqliteConnection connection, IReadOnlyList<StoreCommand> commands)
    {
        var sequences = new List<long>();
        using var tx = connection.BeginTransaction();
        // One prepared statement per command shape, re-bound per command: the batch pays for parsing once.
        using var insert = Command(connection, tx, """
            INSERT INTO windows (camera_id, body_id, start_us, end_us, layout_id, captured_unix_us, kind, label_class, label_confidence, label_model_version, positions)
            VALUES ($camera, $body, $start, $end, $layout, $captured, $kind, $class, $confidence, $model, $positions) RETURNING seq;
            """, ("$camera", ""), ("$body", 0L), ("$start", 0L), ("$end", 0L), ("$layout", ""), ("$captured", 0L), ("$kind", 0),
            ("$class", null), ("$confidence", null), ("$model", null), ("$positions", Array.Empty<byte>()));
        using var label = Command(connection, tx, """
            UPDATE windows SET kind = $kind, label_class = $class, label_confidence = $confidence, label_model_version = $model
            WHERE seq = $seq;
            """, ("$kind", 0), ("$class", null), ("$confidence", null), ("$model", null), ("$seq", 0L));
        foreach (var command in commands)
        {
            switch (command)
            {
                case StoreCommand.AddWindow add:
                    var w = add.Window;
                    Bind(insert, ("$camera", w.CameraId), ("$body", unchecked((long)w.BodyId)), ("$start", w.StartUs), ("$end", w.EndUs),
                        ("$layout", w.LayoutId), ("$captured", w.CapturedUnixUs), ("$kind", (int)add.Kind), ("$class", add.Label?.ClassIndex),
                        ("$confidence", add.Label?.Confidence), ("$model", add.Label?.ModelVersion), ("$positions", ToBlob(w.Positions)));
                    sequences.Add((long)insert.ExecuteScalar()!);
                    break;
                case StoreCommand.SetPseudoLabel set:
                    // A window already deleted by retention matches nothing: the label is simply not kept.
                    Bind(label, ("$kind", (int)SampleKind.PseudoLabelled), ("$class", set.Label.ClassIndex),
                        ("$confidence", set.Label.Confidence), ("$model", set.Label.ModelVersion), ("$seq", set.Sequence));
                    label.ExecuteNonQuery();
                    break;
                case StoreCommand.MarkUnlabelled mark:
                    Bind(label, ("$kind", (int)SampleKind.Unlabelled), ("$class", null), ("$confidence", null), ("$model", null),
                        ("$seq", mark.Sequence));
                    label.ExecuteNonQuery();
                    break;
                default:
                    throw new ArgumentException($"Unknown store command {command.GetType().Name}.", nameof(commands));
            }
        }
        tx.Commit();
        return sequences;
    }

    private static IReadOnlyDictionary<int, long> CountPerClass(SqliteConnection connection)
    {
        using var command = Command(connection, null, "SELECT label_class, COUNT(*) FROM windows WHERE kind = 1 GROUP BY label_class;");
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<int, long>();
        while (reader.Read()) counts[reader.GetInt32(0)] = reader.GetInt64(1);
        return counts;
    }

    private static IReadOnlyList<StoredSample> Query(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, null, sql, parameters);
        using var reader = command.ExecuteReader();
        var samples = new List<StoredSample>();
        while (reader.Read())
        {
            var window = new SampleWindow(reader.GetString(1), unchecked((ulong)reader.GetInt64(2)), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetString(5), FromBlob(reader.GetFieldValue<byte[]>(11)), reader.GetInt64(6));
            var kind = (SampleKind)reader.GetInt32(7);
            var label = kind == SampleKind.PseudoLabelled
                ? new PseudoLabel(reader.GetInt32(8), reader.GetFloat(9), reader.GetString(10))
                : null;
            samples.Add(new StoredSample(reader.GetInt64(0), window, kind, label));
        }
        return samples;
    }

    private static string StatusText(ModelStatus status) => status.ToString().ToLowerInvariant();

    // Native byte order both ways; every platform .NET runs Assl on is little-endian, which the schema documents.
    private static byte[] ToBlob(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static float[] FromBlob(byte[] bytes)
    {
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, values.Length * sizeof(float));
        return values;
    }

    private long FileSize()
    {
        if (_filePath is null) return -1;
        try
        {
            var main = new FileInfo(_filePath);
            var wal = new FileInfo(_filePath + "-wal");
            return (main.Exists ? main.Length : 0) + (wal.Exists ? wal.Length : 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    // SQLite is synchronous underneath; the Task surface is for implementations that talk to a server.
    private static Task<T> RunAsync<T>(Func<T> action, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<T>(cancellationToken);
        try
        {
            return Task.FromResult(action());
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }
}
