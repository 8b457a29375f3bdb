using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SessionKinds.Sqlite.Storage;

/// <summary>
/// The database's tables, created or migrated when a store opens, under a write transaction so that stores opening the
/// same new file at once create it once. The version is the one row of <c>schema_version</c>; a database written by a
/// newer SessionKinds.Sqlite (a higher version) is refused, never changed.
/// </summary>
/// <remarks>
/// <para>Tables (every row carries <c>agent_id</c>; timestamps are epoch milliseconds unless named otherwise):</para>
/// <list type="bullet">
/// <item><c>sessions</c>: one row per (agent, session key): the <c>session_id</c>, the <c>kind</c> and <c>updated_at</c> read
/// from the entry (an imported entry without a <c>kind</c> field has the kind decided from its key), and the whole entry as
/// JSON text exactly as stored, so fields other tools wrote survive. Row order (rowid) is insertion order. Indexed by
/// (agent, kind, updated_at).</item>
/// <item><c>transcript_events</c>: one row per transcript line, (agent, session id, seq) from 1, the line's JSON text;
/// append-only (a trigger refuses updates); clustered by that key (no rowid), so a transcript is read in one range scan
/// and its key is stored once.</item>
/// <item><c>heartbeat_state</c>: per (agent, task) the last ack, consecutive OKs, last alert and its summary; the task
/// <c>''</c> holds the agent-wide figures.</item>
/// <item><c>ring_entries</c>: per (agent, ring, seq) one entry (<c>ts</c> in epoch seconds), with the owner task and the ring
/// size recorded by the writer; the newest row's owner owns the ring, and a ring holds at most its newest row's
/// <c>max_entries</c> rows (trimmed in the same transaction).</item>
/// <item><c>cron_runs</c>: per (agent, seq) one run (<c>ts</c> in epoch seconds), bounded per task to <c>max_entries</c> in the
/// same transaction; indexed by (agent, task, seq).</item>
/// <item><c>occurrence_claims</c>: per (agent, task, scheduled_at) the claimant, its lease, the attempt and whether the
/// occurrence is done.</item>
/// </list>
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>The schema version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Every table, in the order snapshots and integrity checks list them.</summary>
    public static readonly string[] Tables = ["sessions", "transcript_events", "heartbeat_state", "ring_entries", "cron_runs", "occurrence_claims"];

    private const string Version1 = """
        CREATE TABLE schema_version (
            version    INTEGER NOT NULL,
            written_by TEXT NOT NULL
        ) STRICT;

        CREATE TABLE sessions (
            agent_id    TEXT NOT NULL,
            session_key TEXT NOT NULL,
            session_id  TEXT,
            kind        TEXT CHECK (kind IN ('user', 'heartbeat', 'cron', 'subagent')),
            updated_at  INTEGER,
            entry       TEXT NOT NULL,
            UNIQUE (agent_id, session_key)
        ) STRICT;
        CREATE INDEX sessions_by_kind ON sessions (agent_id, kind, updated_at);

        CREATE TABLE transcript_events (
            agent_id   TEXT NOT NULL,
            session_id TEXT NOT NULL,
            seq        INTEGER NOT NULL CHECK (seq >= 1),
            line       TEXT NOT NULL,
            PRIMARY KEY (agent_id, session_id, seq)
        ) STRICT, WITHOUT ROWID;
        CREATE TRIGGER transcript_events_append_only BEFORE UPDATE ON transcript_events
        BEGIN
            SELECT RAISE(ABORT, 'transcript_events is append-only');
        END;

        CREATE TABLE heartbeat_state (
            agent_id           TEXT NOT NULL,
            task               TEXT NOT NULL,
            last_ack           INTEGER,
            consecutive_oks    INTEGER NOT NULL CHECK (consecutive_oks BETWEEN 0 AND 2147483647),
            last_alert         INTEGER,
            last_alert_summary TEXT,
            PRIMARY KEY (agent_id, task)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE ring_entries (
            agent_id    TEXT NOT NULL,
            ring        TEXT NOT NULL,
            seq         INTEGER NOT NULL,
            owner       TEXT,
            max_entries INTEGER NOT NULL CHECK (max_entries BETWEEN 1 AND 10000),
            ts          INTEGER NOT NULL,
            result      TEXT NOT NULL CHECK (result IN ('ok', 'alert')),
            summary     TEXT NOT NULL,
            PRIMARY KEY (agent_id, ring, seq)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE cron_runs (
            agent_id    TEXT NOT NULL,
            seq         INTEGER NOT NULL,
            task        TEXT NOT NULL,
            ts          INTEGER NOT NULL,
            verdict     TEXT NOT NULL CHECK (verdict IN ('output', 'silent', 'failed', 'skipped')),
            summary     TEXT NOT NULL,
            duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
            max_entries INTEGER NOT NULL CHECK (max_entries >= 1),
            PRIMARY KEY (agent_id, seq)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX cron_runs_by_task ON cron_runs (agent_id, task, seq);

        CREATE TABLE occurrence_claims (
            agent_id     TEXT NOT NULL,
            task         TEXT NOT NULL,
            scheduled_at INTEGER NOT NULL,
            claimant     TEXT,
            lease_until  INTEGER NOT NULL,
            attempt      INTEGER NOT NULL CHECK (attempt >= 0),
            done         INTEGER NOT NULL CHECK (done IN (0, 1)),
            PRIMARY KEY (agent_id, task, scheduled_at)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX occurrence_claims_by_time ON occurrence_claims (agent_id, scheduled_at);
        """;

    /// <summary>The statements that bring a database from version <c>i</c> to <c>i + 1</c> (index 0: an empty database to 1).</summary>
    private static readonly string[] Migrations = [Version1];

    /// <summary>
    /// Creates the tables in an empty database or migrates an older one, inside the caller's write transaction. Returns
    /// the version found before (0 for an empty database).
    /// </summary>
    /// <exception cref="SessionStoreException">The database is newer than this code, or holds other tables but no version.</exception>
    public static int EnsureCurrent(SqliteConnection connection, string databasePath)
    {
        var found = ReadVersion(connection, databasePath);
        if (found > CurrentVersion)
        {
            throw new SessionStoreException(
                databasePath,
                $"The SQLite database {databasePath} has schema version {found}, but this SessionKinds.Sqlite ({WrittenBy}) knows versions up to {CurrentVersion}. " +
                "A newer SessionKinds.Sqlite wrote it: upgrade the package in this application (nothing was changed in the database).");
        }

        for (var version = found; version < CurrentVersion; version++)
        {
            Execute(connection, Migrations[version]);
        }

        if (found == 0)
        {
            Execute(connection, $"INSERT INTO schema_version (version, written_by) VALUES ({CurrentVersion}, '{WrittenBy}')");
        }
        else if (found < CurrentVersion)
        {
            Execute(connection, $"UPDATE schema_version SET version = {CurrentVersion}, written_by = '{WrittenBy}'");
        }

        return found;
    }

    /// <summary>The schema version of the database: 0 when it has no tables at all.</summary>
    public static int ReadVersion(SqliteConnection connection, string databasePath)
    {
        using var tables = connection.CreateCommand();
        tables.CommandText = "SELECT count(*), sum(name = 'schema_version') FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        using (var reader = tables.ExecuteReader())
        {
            reader.Read();
            var count = reader.GetInt64(0);
            if (count == 0)
            {
                return 0;
            }

            if (reader.IsDBNull(1) || reader.GetInt64(1) == 0)
            {
                throw new SessionStoreException(
                    databasePath,
                    $"The SQLite database {databasePath} holds {count} table(s) but no schema_version table, so it is not a SessionKinds database. " +
                    "Give SqliteSessionStoreOptions.DatabasePath a new file or one that SessionKinds.Sqlite created (nothing was changed).");
            }
        }

        using var version = connection.CreateCommand();
        version.CommandText = "SELECT max(version), count(*) FROM schema_version";
        using var rows = version.ExecuteReader();
        rows.Read();
        if (rows.IsDBNull(0) || rows.GetInt64(1) != 1 || rows.GetInt64(0) < 1 || rows.GetInt64(0) > int.MaxValue)
        {
            throw new SessionStoreException(
                databasePath,
                $"The schema_version table of the SQLite database {databasePath} does not hold one valid version row, so its tables cannot be trusted. " +
                "Restore the database from a backup (nothing was changed).");
        }

        return (int)rows.GetInt64(0);
    }

    internal static string WrittenBy { get; } = "SessionKinds.Sqlite " +
        (typeof(SqliteSchema).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
