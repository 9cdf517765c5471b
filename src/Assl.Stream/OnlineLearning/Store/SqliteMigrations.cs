namespace Assl.Stream.OnlineLearning.Store;

/// <summary>
/// The SQLite schema, as ordered steps: step i (0-based) takes the schema from version i to i + 1.
/// Append new steps; never edit a shipped one, since files in the field already ran it.
/// </summary>
internal static class SqliteMigrations
{
    public const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_unix_ms INTEGER NOT NULL);";

    public static IReadOnlyList<string> Steps { get; } =
    [
        // 1: windows, model versions, promotions.
        """
        -- AUTOINCREMENT: sequence numbers are never reused after retention deletes, so "windows since n" stays exact.
        -- positions is the last column: SQLite reads a row's columns in order, and anything after a
        -- large BLOB would need its overflow pages read.
        CREATE TABLE windows (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            camera_id TEXT NOT NULL,
            body_id INTEGER NOT NULL,            -- ulong stored bit for bit as a signed 64-bit integer
            start_us INTEGER NOT NULL,
            end_us INTEGER NOT NULL,
            layout_id TEXT NOT NULL,
            captured_unix_us INTEGER NOT NULL,
            kind INTEGER NOT NULL,               -- SampleKind: 0 pending, 1 pseudo-labelled, 2 unlabelled
            label_class INTEGER NULL,
            label_confidence REAL NULL,
            label_model_version TEXT NULL,
            positions BLOB NOT NULL              -- float32, native (little-endian) order, T x J x 3
        );
        -- Covers per-class counts, newest-N per class and the random unlabelled pick without touching rows.
        CREATE INDEX ix_windows_kind_class ON windows (kind, label_class, seq, label_confidence);
        CREATE INDEX ix_windows_captured ON windows (captured_unix_us);

        CREATE TABLE model_versions (
            version TEXT PRIMARY KEY,
            checkpoint_path TEXT NOT NULL,
            metrics_json TEXT NOT NULL,
            created_unix_us INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('candidate', 'serving', 'refused', 'retired'))
        );

        CREATE TABLE promotions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            from_version TEXT NULL,
            to_version TEXT NOT NULL,
            reason TEXT NOT NULL,
            accepted INTEGER NOT NULL,
            decided_unix_us INTEGER NOT NULL
        );
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int Latest => Steps.Count;
}
