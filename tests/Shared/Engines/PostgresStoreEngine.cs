using System.Text.Json;
using Npgsql;
using SessionKinds.PostgreSql;
using SessionKinds.Tests.Postgres;

namespace SessionKinds.Tests.Engines;

/// <summary>
/// The PostgreSQL engine, <see cref="PostgresSessionStore"/>, on the throwaway server of this test process
/// (<see cref="PostgresTestServer.Shared"/>): an agent is a schema of its own (named after the test's work folder) holding
/// one agent id, so a snapshot of the schema also shows anything written beside the agent.
/// </summary>
public sealed class PostgresStoreEngine : StoreEngine
{
    internal static readonly StoragePart SessionsStep = new(SessionKinds.PostgreSql.CommitSteps.Sessions, PersistTargets.SessionEntry);
    internal static readonly StoragePart TranscriptStep = new(SessionKinds.PostgreSql.CommitSteps.TranscriptEvents, PersistTargets.Transcript);
    internal static readonly StoragePart StateStep = new(SessionKinds.PostgreSql.CommitSteps.HeartbeatState, PersistTargets.HeartbeatState);
    internal static readonly StoragePart RingStep = new(SessionKinds.PostgreSql.CommitSteps.RingEntries, PersistTargets.HeartbeatRing);
    internal static readonly StoragePart CronRunsStep = new(SessionKinds.PostgreSql.CommitSteps.CronRuns, PersistTargets.CronRun);

    /// <summary>
    /// The catalog's line: this engine wherever a server may be had (<see cref="PostgresTestServer.CanTry"/>: installed, or
    /// installable as root, or CI, where a missing server fails the tests). Elsewhere the conformance suite runs without
    /// it and the PostgreSQL tests skip with <see cref="PostgresTestServer.Unavailable"/>, which says how to run them.
    /// </summary>
    public static IEnumerable<StoreEngine> WhereAServerCanRun => PostgresTestServer.CanTry ? [new PostgresStoreEngine()] : [];

    /// <inheritdoc />
    public override string Name => "postgres";

    /// <inheritdoc />
    /// <remarks>Each table a commit writes: the server raises an error (SQLSTATE disk_full) right before its statement, inside the transaction.</remarks>
    public override IReadOnlyList<StoragePart> CommitSteps { get; } = [SessionsStep, TranscriptStep, StateStep, RingStep, CronRunsStep];

    /// <inheritdoc />
    public override StoreAgent CreateAgent(string workFolder)
    {
        var server = PostgresTestServer.Shared;
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(workFolder)));
        var schema = "sk_" + (name.Length is > 0 and <= 40 ? name : Guid.NewGuid().ToString("N")).ToLowerInvariant();
        return new PostgresStoreAgent(this, server.ConnectionString(), schema, "agent-" + name, ownsSchema: true);
    }

    /// <inheritdoc />
    public override StoreAgent OpenAgent(IReadOnlyList<string> arguments)
    {
        if (arguments.Count != 3)
        {
            throw new ArgumentException($"The postgres engine takes three arguments, the connection string, the schema and the agent id; got {arguments.Count}.", nameof(arguments));
        }

        return new PostgresStoreAgent(this, arguments[0], arguments[1], arguments[2], ownsSchema: false);
    }

    /// <inheritdoc />
    public override string? Lacks(StoreCapability capability) => capability switch
    {
        StoreCapability.CorruptStorage =>
            "its data lives in typed, constrained PostgreSQL columns that the server checks and writes transactionally, so no part can be left torn or unparseable for the store to find; " +
            "a foreign entry's JSON is read leniently as on every engine (UnknownFieldsTests)",
        StoreCapability.CommitFaults => null,
        _ => $"{capability} is not known to this engine harness yet",
    };
}

/// <summary>One agent in a schema of the test server.</summary>
public sealed class PostgresStoreAgent : StoreAgent
{
    private static readonly string[] Tables = ["schema_version", "sessions", "transcript_events", "heartbeat_state", "ring_entries", "cron_runs", "occurrence_claims"];

    private readonly PostgresStoreEngine _engine;
    private readonly bool _ownsSchema;
    private readonly NpgsqlDataSource _dataSource;

    internal PostgresStoreAgent(PostgresStoreEngine engine, string connectionString, string schema, string agentId, bool ownsSchema)
    {
        _engine = engine;
        ConnectionString = connectionString;
        Schema = schema;
        AgentId = agentId;
        _ownsSchema = ownsSchema;
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "sessionkinds-harness" });
    }

    /// <summary>The server's connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>The agent's schema.</summary>
    public string Schema { get; }

    /// <summary>The agent id.</summary>
    public string AgentId { get; }

    /// <inheritdoc />
    public override StoreEngine Engine => _engine;

    /// <inheritdoc />
    public override IReadOnlyList<string> Arguments => [ConnectionString, Schema, AgentId];

    /// <summary>The schema, quoted for SQL.</summary>
    public string QuotedSchema => PostgresNames.Quote(Schema);

    /// <inheritdoc />
    public override SessionStore Open(StoreSettings settings) => OpenAsync(settings).AsTask().GetAwaiter().GetResult();

    /// <summary>Opens a store with PostgreSQL settings on top of <paramref name="settings"/>.</summary>
    public ValueTask<PostgresSessionStore> OpenAsync(StoreSettings settings, Action<PostgresSessionStoreOptions>? configure = null)
    {
        var options = new PostgresSessionStoreOptions
        {
            ConnectionString = ConnectionString,
            Schema = Schema,
            AgentId = AgentId,
            Time = settings.Time,
            CronRunsToKeep = settings.CronRunsToKeep,
            LockTimeout = settings.WaitTimeout,
        };
        foreach (var (name, _) in settings.EngineSettings)
        {
            throw new ArgumentException($"The postgres engine has no setting \"{name}\".", nameof(settings));
        }

        configure?.Invoke(options);
        return PostgresSessionStore.OpenAsync(options);
    }

    /// <summary>A connection to the server (pooled); the caller disposes it.</summary>
    public ValueTask<NpgsqlConnection> ConnectAsync(CancellationToken cancellationToken = default) => _dataSource.OpenConnectionAsync(cancellationToken);

    /// <inheritdoc />
    public override async ValueTask<IAsyncDisposable> HoldWriteLockAsync(CancellationToken cancellationToken = default)
    {
        var connection = await NewConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection) { CommandTimeout = 0 };
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = AdvisoryLocks.AgentGate(Schema, AgentId) });
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new Release(connection, AdvisoryLocks.AgentGate(Schema, AgentId));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public override async ValueTask<IAsyncDisposable?> TryHoldWriteLockNowAsync()
    {
        var connection = await NewConnectionAsync(default);
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = AdvisoryLocks.AgentGate(Schema, AgentId) });
        if (await command.ExecuteScalarAsync() is true)
        {
            return new Release(connection, AdvisoryLocks.AgentGate(Schema, AgentId));
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <inheritdoc />
    public override async ValueTask SeedEntryAsync(string key, string entryJson)
    {
        // As an import tool would write it: the entry's text exactly, its fields repeated in their columns.
        await using (await OpenAsync(new StoreSettings(TimeProvider.System)))
        {
            // The store creates the schema.
        }

        var parsed = SessionEntry.Parse(key, System.Text.Encoding.UTF8.GetBytes(entryJson));
        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO {QuotedSchema}.sessions (agent_id, session_key, session_id, kind, updated_at, entry) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (agent_id, session_key) DO UPDATE SET session_id = excluded.session_id, kind = excluded.kind, updated_at = excluded.updated_at, entry = excluded.entry
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = AgentId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)parsed.SessionId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = parsed.Kind == SessionKind.Unspecified ? DBNull.Value : SessionKindNames.ToName(parsed.Kind) });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz, Value = parsed.UpdatedAt is { } at ? at : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entryJson });
        await command.ExecuteNonQueryAsync();
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<KeyValuePair<string, string>>> ReadRawEntriesAsync()
    {
        var entries = new List<KeyValuePair<string, string>>();
        if (!await SchemaExistsAsync())
        {
            return entries;
        }

        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand($"SELECT session_key, entry FROM {QuotedSchema}.sessions WHERE agent_id = $1 ORDER BY session_key", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = AgentId });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add(new(reader.GetString(0), reader.GetString(1)));
        }

        return entries;
    }

    /// <inheritdoc />
    public override async ValueTask<(int MaxEntries, int Entries)?> CountStoredRingEntriesAsync(string ring)
    {
        if (!await SchemaExistsAsync())
        {
            return null;
        }

        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT count(*)::int, (SELECT max_entries FROM {QuotedSchema}.ring_entries WHERE agent_id = $1 AND ring = $2 ORDER BY seq DESC LIMIT 1) FROM {QuotedSchema}.ring_entries WHERE agent_id = $1 AND ring = $2",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = AgentId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ring });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var count = reader.GetInt32(0);
        return count == 0 ? null : (reader.GetInt32(1), count);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Checked with SQL and System.Text.Json, not the store's code: every transcript numbered 1..n, starting with its
    /// header, every line one JSON object; an entry's columns agree with its JSON; no ring or task's run record above
    /// its bound, one owner per ring; the agent's write lock free.
    /// </remarks>
    public override async ValueTask<IReadOnlyList<string>> FindIntegrityProblemsAsync()
    {
        var problems = new List<string>();
        if (!await SchemaExistsAsync())
        {
            return problems;
        }

        await using var connection = await ConnectAsync();
        var s = QuotedSchema;
        await ForEachRowAsync(connection, $"SELECT session_key, session_id, kind, entry FROM {s}.sessions WHERE agent_id = $1", reader =>
        {
            var key = reader.GetString(0);
            try
            {
                using var entry = JsonDocument.Parse(reader.GetString(3));
                if (entry.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return;
                }

                var id = entry.RootElement.TryGetProperty("sessionId", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
                if (id != (reader.IsDBNull(1) ? null : reader.GetString(1)))
                {
                    problems.Add($"entry {key}: its session_id column says {(reader.IsDBNull(1) ? "null" : reader.GetString(1))}, its JSON {id ?? "nothing"}");
                }

                var kind = entry.RootElement.TryGetProperty("kind", out var kindValue) && kindValue.ValueKind == JsonValueKind.String ? kindValue.GetString() : null;
                if (!reader.IsDBNull(2) && kind != reader.GetString(2))
                {
                    problems.Add($"entry {key}: its kind column says {reader.GetString(2)}, its JSON {kind ?? "nothing"}");
                }
            }
            catch (JsonException ex)
            {
                problems.Add($"entry {key} is not JSON: {ex.Message}");
            }
        });

        var transcripts = new Dictionary<Guid, List<(int Seq, string Line)>>();
        await ForEachRowAsync(connection, $"SELECT session_id, seq, line FROM {s}.transcript_events WHERE agent_id = $1 ORDER BY session_id, seq", reader =>
        {
            var id = reader.GetGuid(0);
            if (!transcripts.TryGetValue(id, out var lines))
            {
                transcripts[id] = lines = [];
            }

            lines.Add((reader.GetInt32(1), reader.GetString(2)));
        });
        foreach (var (id, lines) in transcripts)
        {
            if (!lines.Select(l => l.Seq).SequenceEqual(Enumerable.Range(1, lines.Count)))
            {
                problems.Add($"transcript {id}: its lines are numbered {string.Join(",", lines.Select(l => l.Seq).Take(10))}…, not 1..{lines.Count}");
            }

            foreach (var (seq, line) in lines)
            {
                try
                {
                    using var json = JsonDocument.Parse(line);
                    var type = json.RootElement.GetProperty("type").GetString();
                    if ((seq == 1) != (type == "session") || (seq == 1 && json.RootElement.GetProperty("sessionId").GetString() != id.ToString("D")))
                    {
                        problems.Add($"transcript {id}: line {seq} is a {type} line");
                    }
                }
                catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    problems.Add($"transcript {id}: line {seq} is not a transcript line: {ex.Message}");
                }
            }
        }

        await ForEachRowAsync(connection,
            $"""
            SELECT ring, count(*), count(DISTINCT NULLIF(owner, '')), (SELECT max_entries FROM {s}.ring_entries n WHERE n.agent_id = r.agent_id AND n.ring = r.ring ORDER BY seq DESC LIMIT 1)
            FROM {s}.ring_entries r WHERE agent_id = $1 GROUP BY agent_id, ring
            """,
            reader =>
            {
                if (reader.GetInt64(1) > reader.GetInt32(3) || reader.GetInt64(2) > 1)
                {
                    problems.Add($"ring {reader.GetString(0)}: {reader.GetInt64(1)} entries for a bound of {reader.GetInt32(3)}, {reader.GetInt64(2)} owners");
                }
            });
        await ForEachRowAsync(connection,
            $"""
            SELECT task, count(*), (SELECT max_entries FROM {s}.cron_runs n WHERE n.agent_id = r.agent_id ORDER BY id DESC LIMIT 1)
            FROM {s}.cron_runs r WHERE agent_id = $1 GROUP BY agent_id, task
            """,
            reader =>
            {
                if (reader.GetInt64(1) > reader.GetInt32(2))
                {
                    problems.Add($"cron task {reader.GetString(0)}: {reader.GetInt64(1)} runs for a bound of {reader.GetInt32(2)}");
                }
            });

        // A left-over of an interrupted write: the agent's write lock still held.
        var gate = AdvisoryLocks.AgentGate(Schema, AgentId);
        await using (var locks = new NpgsqlCommand(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 AND classid::bigint = $1 AND objid::bigint = $2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            connection))
        {
            locks.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)((ulong)gate >> 32) });
            locks.Parameters.Add(new NpgsqlParameter<long> { TypedValue = gate & 0xFFFF_FFFFL });
            await using var reader = await locks.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                problems.Add($"the agent's write lock is held by backend {reader.GetInt32(0)}");
            }
        }

        return problems;
    }

    /// <inheritdoc />
    /// <remarks>Every row of every table of the agent's schema (all agents in it), by table and key.</remarks>
    public override async ValueTask<StorageSnapshot> SnapshotAsync()
    {
        var items = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (!await SchemaExistsAsync())
        {
            return new StorageSnapshot(items);
        }

        await using var connection = await ConnectAsync();
        foreach (var table in Tables)
        {
            await using var command = new NpgsqlCommand($"SELECT t::text FROM {QuotedSchema}.{table} t", connection);
            await using var reader = await command.ExecuteReaderAsync();
            var row = 0;
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }

            // Rows in a stable order (the row's text begins with its key columns).
            foreach (var text in rows.Order(StringComparer.Ordinal))
            {
                items[$"{table}/{row++:D6}"] = System.Text.Encoding.UTF8.GetBytes(text);
            }
        }

        return new StorageSnapshot(items);
    }

    /// <inheritdoc />
    public override IDisposable FailAt(StoragePart step, Action? instead = null)
    {
        var previous = CommitHooks.Current.Value;
        CommitHooks.Current.Value = new CommitHooks
        {
            FailStep = name =>
            {
                if (name != step.Name)
                {
                    return false;
                }

                if (instead is null)
                {
                    return true;
                }

                instead();
                return false;
            },
            BeforeCommit = previous?.BeforeCommit,
        };
        return new Restore(() => CommitHooks.Current.Value = previous);
    }

    /// <summary>Runs <paramref name="beforeCommit"/> just before COMMIT in commits started on the calling async flow, until disposed.</summary>
    public IDisposable BeforeCommit(Func<int, ValueTask> beforeCommit)
    {
        var previous = CommitHooks.Current.Value;
        CommitHooks.Current.Value = new CommitHooks { FailStep = previous?.FailStep, BeforeCommit = beforeCommit };
        return new Restore(() => CommitHooks.Current.Value = previous);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_ownsSchema)
        {
            try
            {
                await using var connection = await ConnectAsync();
                await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {QuotedSchema} CASCADE", connection);
                await drop.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // The server is gone (a test stopped it): its folder goes with it.
            }
        }

        await _dataSource.DisposeAsync();
        await base.DisposeAsync();
    }

    private async ValueTask<bool> SchemaExistsAsync()
    {
        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"{QuotedSchema}.sessions" });
        return await command.ExecuteScalarAsync() is true;
    }

    private async Task ForEachRowAsync(NpgsqlConnection connection, string sql, Action<NpgsqlDataReader> row)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = AgentId });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            row(reader);
        }
    }

    /// <summary>A connection of its own (not pooled), for a lock that lives as long as it does.</summary>
    private async ValueTask<NpgsqlConnection> NewConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, ApplicationName = "sessionkinds-harness" }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private sealed class Release(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
                unlock.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
                await unlock.ExecuteNonQueryAsync();
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
