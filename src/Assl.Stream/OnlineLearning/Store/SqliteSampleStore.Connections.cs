using Microsoft.Data.Sqlite;

namespace Assl.Stream.OnlineLearning.Store;

// Connections, schema migration and the mapping of storage failures to StoreUnavailableException.
public sealed partial class SqliteSampleStore
{
    // Primary SQLite result codes that mean "storage cannot be written now", not "this code is wrong".
    private const int SqlitePerm = 3, SqliteBusy = 5, SqliteLocked = 6, SqliteReadOnly = 8, SqliteIoErr = 10,
        SqliteCorrupt = 11, SqliteFull = 13, SqliteCantOpen = 14, SqliteNotADb = 26;

    private T Read<T>(Func<SqliteConnection, T> action) => Use(action, write: false);

    private T Write<T>(Func<SqliteConnection, T> action)
    {
        var result = Use(action, write: true);
        _writable = true;
        return result;
    }

    private T Use<T>(Func<SqliteConnection, T> action, bool write)
    {
        EnsureReady();
        SqliteConnection? connection = null;
        try
        {
            connection = Open();
            return action(connection);
        }
        catch (SqliteException e) when (IsUnavailable(e))
        {
            // The pooled handles may be stuck in the failed state (e.g. opened read-only): the next call reopens.
            if (connection is not null) SqliteConnection.ClearPool(connection);
            throw Unavailable(e, write);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable(e, write);
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            // Per connection, not stored in the file: with WAL, NORMAL syncs at checkpoints only, and a commit
            // still survives a killed process.
            Execute(connection, null, "PRAGMA synchronous = NORMAL;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Creates or migrates the schema once; until that has succeeded every call tries again.</summary>
    private void EnsureReady()
    {
        if (_ready) return;
        lock (_migrateLock)
        {
            if (_ready) return;
            SqliteConnection? connection = null;
            try
            {
                connection = Open();
                Migrate(connection);
            }
            catch (SqliteException e) when (IsUnavailable(e))
            {
                if (connection is not null) SqliteConnection.ClearPool(connection);
                throw Unavailable(e, write: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Unavailable(e, write: true);
            }
            finally
            {
                connection?.Dispose();
            }
            _ready = true;
        }
    }

    private void Migrate(SqliteConnection connection)
    {
        // Opened read-only either on request (Mode=ReadOnly) or because the OS refuses writes to the file.
        bool readOnly = SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1;
        int version = SchemaVersion(connection, null);
        CheckNotNewer(version);
        if (version < SqliteMigrations.Latest)
        {
            if (readOnly)
                throw new StoreUnavailableException(
                    $"The sample store {_filePath} is read-only and at schema version {version}; this build needs {SqliteMigrations.Latest}.");
            // Journal mode cannot change inside a transaction; it is stored in the file, so this is done once.
            Scalar(connection, "PRAGMA journal_mode = WAL;");
            using var tx = connection.BeginTransaction();
            Execute(connection, tx, SqliteMigrations.CreateVersionTable);
            // Read again under the write lock: another process may have migrated in between.
            version = SchemaVersion(connection, tx);
            CheckNotNewer(version);
            for (int step = version; step < SqliteMigrations.Latest; step++)
            {
                Execute(connection, tx, SqliteMigrations.Steps[step]);
                Execute(connection, tx, "INSERT INTO schema_version (version, applied_unix_ms) VALUES ($v, $at);",
                    ("$v", step + 1), ("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            }
            tx.Commit();
        }
        else if (!readOnly && !string.Equals((string?)Scalar(connection, "PRAGMA journal_mode;"), "wal", StringComparison.OrdinalIgnoreCase))
        {
            Scalar(connection, "PRAGMA journal_mode = WAL;");
        }
        _writable = !readOnly;
        if (readOnly) _lastError = $"The sample store {_filePath} was opened read-only.";
    }

    private static int SchemaVersion(SqliteConnection connection, SqliteTransaction? tx)
    {
        bool exists = Convert.ToInt64(Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';", tx)) > 0;
        return exists ? Convert.ToInt32(Scalar(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_version;", tx)) : 0;
    }

    private void CheckNotNewer(int version)
    {
        if (version > SqliteMigrations.Latest)
            throw new StoreSchemaException(
                $"The sample store {_filePath} has schema version {version}, but this build knows only up to {SqliteMigrations.Latest}: " +
                "it was written by a newer Assl. Upgrade, or point Store:Path at another file.");
    }

    private static bool IsUnavailable(SqliteException e) => (e.SqliteErrorCode & 0xFF) is
        SqlitePerm or SqliteBusy or SqliteLocked or SqliteReadOnly or SqliteIoErr or SqliteCorrupt or SqliteFull or SqliteCantOpen or SqliteNotADb;

    private StoreUnavailableException Unavailable(Exception e, bool write)
    {
        string why = e is SqliteException sqlite
            ? (sqlite.SqliteErrorCode & 0xFF) switch
            {
                SqlitePerm or SqliteReadOnly => "the file or its folder is read-only",
                SqliteFull => "the disk is full",
                SqliteBusy or SqliteLocked => "it is locked by another writer",
                SqliteCantOpen => "it cannot be opened (missing folder or no permission)",
                SqliteCorrupt or SqliteNotADb => "the file is corrupt or not a database",
                _ => "an I/O error",
            }
            : "the file system refused";
        string message = $"The sample store {_filePath ?? "(memory)"} cannot be {(write ? "written" : "read")}: {why}. {e.Message}";
        _lastError = message;
        if (write) _writable = false;
        return new StoreUnavailableException(message, e);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static void Bind(SqliteCommand command, params (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters) command.Parameters[name].Value = value ?? DBNull.Value;
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = Command(connection, tx, sql);
        return command.ExecuteScalar();
    }
}
