using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SessionKinds.Sqlite.Storage;

namespace SessionKinds.Tests.Engines;

/// <summary>
/// The embedded database engine, <see cref="SqliteSessionStore"/>: an agent is the agent id <c>main</c> in the database
/// file <c>&lt;work folder&gt;/sessions.db</c>. The harness reaches behind the store with its own connections, as another
/// process or the <c>sqlite3</c> shell would.
/// </summary>
public sealed class SqliteStoreEngine : StoreEngine
{
    /// <summary>The database file's name in a test's work folder.</summary>
    public const string DatabaseFile = "sessions.db";

    /// <summary>The agent id the conformance suite's agents use.</summary>
    public const string AgentId = "main";

    /// <inheritdoc />
    public override string Name => "sqlite";

    /// <inheritdoc />
    /// <remarks>Each part's rows are written in turn inside the commit's transaction; a failure at any of them rolls back all.</remarks>
    public override IReadOnlyList<StoragePart> CommitSteps { get; } =
    [
        new("sessions", PersistTargets.SessionEntry),
        new("transcript_events", PersistTargets.Transcript),
        new("heartbeat_state", PersistTargets.HeartbeatState),
        new("ring_entries", PersistTargets.HeartbeatRing),
        new("cron_runs", PersistTargets.CronRun),
    ];

    /// <inheritdoc />
    public override StoreAgent CreateAgent(string workFolder) => new SqliteStoreAgent(this, Path.Combine(workFolder, DatabaseFile), AgentId);

    /// <inheritdoc />
    public override StoreAgent OpenAgent(IReadOnlyList<string> arguments)
    {
        if (arguments.Count != 2)
        {
            throw new ArgumentException($"The sqlite engine takes two arguments, the database file and the agent id; got {arguments.Count}.", nameof(arguments));
        }

        return new SqliteStoreAgent(this, arguments[0], arguments[1]);
    }

    /// <inheritdoc />
    public override string? Lacks(StoreCapability capability) => capability switch
    {
        StoreCapability.CommitFaults => null,
        StoreCapability.CorruptStorage =>
            "a database has no part that can be damaged on its own: its rows are typed and checked by SQLite (STRICT tables, CHECK constraints), " +
            "and damage below them is damage to the whole file, which the engine's own tests cover (PRAGMA integrity_check after SIGKILLs, a damaged file refused with its path)",
        _ => $"{capability} is not known to this engine harness yet",
    };
}

/// <summary>One agent id in one database file.</summary>
public sealed class SqliteStoreAgent : StoreAgent
{
    private readonly SqliteStoreEngine _engine;

    internal SqliteStoreAgent(SqliteStoreEngine engine, string databasePath, string agentId)
    {
        _engine = engine;
        DatabasePath = Path.GetFullPath(databasePath);
        AgentId = agentId;
    }

    /// <summary>The database file's full path.</summary>
    public string DatabasePath { get; }

    /// <summary>The agent id.</summary>
    public string AgentId { get; }

    /// <summary>The folder holding the database (the test's work folder).</summary>
    public string Folder => Path.GetDirectoryName(DatabasePath)!;

    /// <inheritdoc />
    public override StoreEngine Engine => _engine;

    /// <inheritdoc />
    public override IReadOnlyList<string> Arguments => [DatabasePath, AgentId];

    /// <inheritdoc />
    public override SessionStore Open(StoreSettings settings) => Open(settings, configure: null);

    /// <summary>Opens a store with SQLite settings on top of <paramref name="settings"/>.</summary>
    public SqliteSessionStore Open(StoreSettings settings, Action<SqliteSessionStoreOptions>? configure)
    {
        var options = new SqliteSessionStoreOptions
        {
            DatabasePath = DatabasePath,
            AgentId = AgentId,
            Time = settings.Time,
            CronRunsToKeep = settings.CronRunsToKeep,
            BusyTimeout = settings.WaitTimeout,
        };
        foreach (var (name, value) in settings.EngineSettings)
        {
            switch (name)
            {
                case "busyTimeoutMs": options.BusyTimeout = TimeSpan.FromMilliseconds(double.Parse(value, CultureInfo.InvariantCulture)); break;
                default: throw new ArgumentException($"The sqlite engine has no setting \"{name}\".", nameof(settings));
            }
        }

        configure?.Invoke(options);
        return new SqliteSessionStore(options);
    }

    /// <summary>A connection of the test's own (no pooling), as another tool would open the file.</summary>
    public SqliteConnection Connect(bool readOnly = false)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 60,
        }.ConnectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 60000";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <inheritdoc />
    public override async ValueTask<IAsyncDisposable> HoldWriteLockAsync(CancellationToken cancellationToken = default)
    {
        EnsureSchema();
        var connection = Connect();
        var session = new SqliteSession(connection, 60_000);
        try
        {
            var database = new SqliteDatabase(DatabasePath, connection.ConnectionString, TimeSpan.FromDays(1));
            await database.BeginImmediateAsync(session, "Holding the write lock", System.Diagnostics.Stopwatch.StartNew(), cancellationToken);
            return new Release(session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override ValueTask<IAsyncDisposable?> TryHoldWriteLockNowAsync()
    {
        EnsureSchema();
        var session = new SqliteSession(Connect(), 60_000);
        if (session.TryBeginImmediate() == 0)
        {
            return new(new Release(session));
        }

        session.Dispose();
        return new((IAsyncDisposable?)null);
    }

    /// <inheritdoc />
    public override ValueTask SeedEntryAsync(string key, string entryJson)
    {
        EnsureSchema();
        using var connection = Connect();
        var entry = SessionEntry.Parse(key, Encoding.UTF8.GetBytes(entryJson));
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO sessions (agent_id, session_key, session_id, kind, updated_at, entry) VALUES ($agent, $key, $id, $kind, $updated, $entry)
            ON CONFLICT (agent_id, session_key) DO UPDATE SET session_id = excluded.session_id, kind = excluded.kind, updated_at = excluded.updated_at, entry = excluded.entry
            """;
        command.Parameters.AddWithValue("$agent", AgentId);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$id", (object?)entry.SessionId ?? DBNull.Value);
        command.Parameters.AddWithValue("$kind", entry.Kind == SessionKind.Unspecified ? DBNull.Value : entry.Kind.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue("$updated", entry.UpdatedAt is { } at ? at.ToUnixTimeMilliseconds() : DBNull.Value);
        command.Parameters.AddWithValue("$entry", entryJson);
        command.ExecuteNonQuery();
        return default;
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<KeyValuePair<string, string>>> ReadRawEntriesAsync()
    {
        var entries = new List<KeyValuePair<string, string>>();
        if (!File.Exists(DatabasePath))
        {
            return new(entries);
        }

        using var connection = Connect(readOnly: true);
        if (!HasSchema(connection))
        {
            return new(entries);
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT session_key, entry FROM sessions WHERE agent_id = $agent ORDER BY rowid";
        command.Parameters.AddWithValue("$agent", AgentId);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            entries.Add(new(reader.GetString(0), reader.GetString(1)));
        }

        return new(entries);
    }

    /// <inheritdoc />
    public override ValueTask<(int MaxEntries, int Entries)?> CountStoredRingEntriesAsync(string ring)
    {
        if (!File.Exists(DatabasePath))
        {
            return new(((int, int)?)null);
        }

        using var connection = Connect(readOnly: true);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT count(*), (SELECT max_entries FROM ring_entries WHERE agent_id = $agent AND ring = $ring ORDER BY seq DESC LIMIT 1)
            FROM ring_entries WHERE agent_id = $agent AND ring = $ring
            """;
        command.Parameters.AddWithValue("$agent", AgentId);
        command.Parameters.AddWithValue("$ring", ring);
        using var reader = command.ExecuteReader();
        reader.Read();
        var count = reader.GetInt32(0);
        return new(count == 0 ? null : (reader.GetInt32(1), count));
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>PRAGMA integrity_check</c> and <c>foreign_key_check</c>; the journal mode is WAL; no rollback journal is left;
    /// every transcript line is one JSON object; no ring holds more rows than its newest row's size; the database files are
    /// owner-only on Unix.
    /// </remarks>
    public override ValueTask<IReadOnlyList<string>> FindIntegrityProblemsAsync()
    {
        var problems = new List<string>();
        if (!File.Exists(DatabasePath))
        {
            return new(problems);
        }

        using (var connection = Connect())
        {
            problems.AddRange(Strings(connection, "PRAGMA integrity_check").Where(r => r != "ok").Select(r => $"integrity_check: {r}"));
            problems.AddRange(Strings(connection, "PRAGMA foreign_key_check").Select(r => $"foreign_key_check: {r}"));
            var mode = Strings(connection, "PRAGMA journal_mode").Single();
            if (mode != "wal")
            {
                problems.Add($"journal mode is {mode}, not wal");
            }

            if (HasSchema(connection))
            {
                problems.AddRange(Strings(connection, $"SELECT 'transcript line not JSON: ' || session_id || ' #' || seq FROM transcript_events WHERE agent_id = {Quote(AgentId)} AND (json_valid(line) = 0 OR json_type(line) <> 'object')"));
                problems.AddRange(Strings(connection, $"""
                    SELECT 'ring ' || ring || ' holds ' || count(*) || ' rows, more than ' || (SELECT max_entries FROM ring_entries r2 WHERE r2.agent_id = r.agent_id AND r2.ring = r.ring ORDER BY seq DESC LIMIT 1)
                    FROM ring_entries r WHERE agent_id = {Quote(AgentId)} GROUP BY ring
                    HAVING count(*) > (SELECT max_entries FROM ring_entries r2 WHERE r2.agent_id = r.agent_id AND r2.ring = r.ring ORDER BY seq DESC LIMIT 1)
                    """));
            }
        }

        if (File.Exists(DatabasePath + "-journal"))
        {
            problems.Add("a rollback journal was left beside the database");
        }

        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" }.Where(File.Exists))
            {
                var mode = File.GetUnixFileMode(file);
                if ((mode & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)) != 0)
                {
                    problems.Add($"{Path.GetFileName(file)} is not owner-only: {mode}");
                }
            }
        }

        return new(problems);
    }

    /// <inheritdoc />
    /// <remarks>Every row of this agent in every table, and the names of other files in the work folder (not the database's own files).</remarks>
    public override ValueTask<StorageSnapshot> SnapshotAsync()
    {
        var items = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (Directory.Exists(Folder))
        {
            foreach (var file in Directory.EnumerateFileSystemEntries(Folder, "*", SearchOption.AllDirectories))
            {
                var name = Path.GetRelativePath(Folder, file).Replace('\\', '/');
                if (name is not (SqliteStoreEngine.DatabaseFile or SqliteStoreEngine.DatabaseFile + "-wal" or SqliteStoreEngine.DatabaseFile + "-shm"))
                {
                    items["file " + name] = File.Exists(file) ? File.ReadAllBytes(file) : [];
                }
            }
        }

        if (File.Exists(DatabasePath))
        {
            using var connection = Connect(readOnly: true);
            if (HasSchema(connection))
            {
                foreach (var table in SqliteSchema.Tables)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = $"SELECT * FROM {table} WHERE agent_id = $agent ORDER BY 1, 2, 3";
                    command.Parameters.AddWithValue("$agent", AgentId);
                    using var reader = command.ExecuteReader();
                    var row = 0;
                    while (reader.Read())
                    {
                        var text = new StringBuilder();
                        for (var i = 0; i < reader.FieldCount; i++)
                        {
                            text.Append(reader.GetName(i)).Append('=').Append(reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('\u001F');
                        }

                        items[$"{table} {row++:D6}"] = Encoding.UTF8.GetBytes(text.ToString());
                    }
                }
            }
        }

        return new(new StorageSnapshot(items));
    }

    /// <inheritdoc />
    public override IDisposable FailAt(StoragePart step, Action? instead = null)
    {
        var previous = SqliteDatabase.BeforeStep.Value;
        SqliteDatabase.BeforeStep.Value = table =>
        {
            previous?.Invoke(table);
            if (table != step.Name)
            {
                return;
            }

            if (instead is not null)
            {
                instead();
                return;
            }

            throw new SqliteException($"disk I/O error (simulated failure writing {table})", 10);
        };
        return new Restore(() => SqliteDatabase.BeforeStep.Value = previous);
    }

    /// <summary>Creates the schema as a store's open does, so the harness can write rows before any store opened.</summary>
    private void EnsureSchema()
    {
        if (File.Exists(DatabasePath))
        {
            using var connection = Connect(readOnly: true);
            if (HasSchema(connection))
            {
                return;
            }
        }

        new SqliteSessionStore(new SqliteSessionStoreOptions { DatabasePath = DatabasePath, AgentId = AgentId }).DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static bool HasSchema(SqliteConnection connection) =>
        Strings(connection, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'").Count == 1;

    private static List<string> Strings(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
            }

            result.Add(string.Join(" ", values));
        }

        return result;
    }

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private sealed class Release(SqliteSession session) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            session.RollbackQuietly();
            session.Dispose();
            return default;
        }
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
