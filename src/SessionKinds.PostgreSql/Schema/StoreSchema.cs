using System.Globalization;
using Npgsql;

namespace SessionKinds.PostgreSql;

/// <summary>
/// The store's tables in one schema, created or migrated when a store opens. The <c>schema_version</c> row says which
/// version the tables are; nodes opening at the same moment take turns on an advisory lock, so exactly one creates or
/// migrates and the others find it done. A schema newer than this code is refused, never written.
/// </summary>
internal static class StoreSchema
{
    /// <summary>The version this code creates and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The oldest server version the store runs on (<c>server_version_num</c>).</summary>
    public const int MinimumServerVersion = 120000;

    /// <summary>Checks the server and brings the schema to <see cref="CurrentVersion"/>.</summary>
    public static async Task EnsureAsync(NpgsqlConnection connection, ServerAddress server, CancellationToken cancellationToken)
    {
        var schema = PostgresNames.Quote(server.Schema);
        string encoding;
        int version;
        bool hasVersionTable;
        await using (var check = new NpgsqlCommand("SELECT current_setting('server_encoding'), current_setting('server_version_num')::int, to_regclass($1) IS NOT NULL", connection))
        {
            check.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"{schema}.schema_version" });
            await using var reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            (encoding, version, hasVersionTable) = (reader.GetString(0), reader.GetInt32(1), reader.GetBoolean(2));
        }

        if (!string.Equals(encoding, "UTF8", StringComparison.OrdinalIgnoreCase))
        {
            throw new SessionStoreException(server.Location,
                $"Database \"{server.Database}\" on the PostgreSQL server {server.Server} uses the encoding {encoding}; the session store needs UTF8 to keep every character of every session. " +
                "Use a database created with ENCODING 'UTF8'.");
        }

        if (version < MinimumServerVersion)
        {
            throw new SessionStoreException(server.Location,
                $"The PostgreSQL server {server.Server} is version {version.ToString(CultureInfo.InvariantCulture)}; the session store needs PostgreSQL 12 or later.");
        }

        if (hasVersionTable && await ReadVersionAsync(connection, schema, cancellationToken).ConfigureAwait(false) == CurrentVersion)
        {
            return; // the common case: no lock, no write
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var migrationLock = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            migrationLock.Parameters.Add(new NpgsqlParameter<long> { TypedValue = AdvisoryLocks.Migration(server.Schema) });
            await migrationLock.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Under the lock: another node may have created or migrated it meanwhile.
        var found = await ReadVersionIfAnyAsync(connection, transaction, schema, server.Schema, cancellationToken).ConfigureAwait(false);
        if (found > CurrentVersion)
        {
            throw new SessionStoreException(server.Location,
                $"Schema \"{server.Schema}\" on the PostgreSQL server {server.Server} is at store schema version {found.ToString(CultureInfo.InvariantCulture)}, " +
                $"newer than this SessionKinds.PostgreSql knows ({CurrentVersion.ToString(CultureInfo.InvariantCulture)}); a newer node migrated it. " +
                "Upgrade SessionKinds.PostgreSql on this node (nothing was written), or point it at another schema.");
        }

        if (found < CurrentVersion)
        {
            try
            {
                await using var create = new NpgsqlCommand(Migrations(schema, found), connection, transaction);
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateTable)
            {
                throw new SessionStoreException(server.Location,
                    $"Schema \"{server.Schema}\" on the PostgreSQL server {server.Server} already holds a table the session store would create ({ex.MessageText}) but has no store schema_version: " +
                    "it belongs to something else. Choose another schema with PostgresSessionStoreOptions.Schema (nothing was written).", ex);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var read = new NpgsqlCommand($"SELECT version FROM {schema}.schema_version", connection);
        return await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int version ? version : 0;
    }

    private static async Task<int> ReadVersionIfAnyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, string unquotedSchema, CancellationToken cancellationToken)
    {
        // Read from pg_class with this statement's snapshot, taken after the lock: to_regclass may answer from a catalog
        // cache that has not seen the schema another node just committed.
        await using var exists = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = 'schema_version')",
            connection,
            transaction);
        exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = unquotedSchema });
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
        {
            return 0;
        }

        await using var read = new NpgsqlCommand($"SELECT version FROM {schema}.schema_version", connection, transaction);
        return await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int version ? version : 0;
    }

    /// <summary>The statements that bring a schema from <paramref name="from"/> to <see cref="CurrentVersion"/>.</summary>
    private static string Migrations(string s, int from) => from switch
    {
        0 => $"""
            CREATE SCHEMA IF NOT EXISTS {s};

            CREATE TABLE {s}.schema_version (
                only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
                version integer NOT NULL,
                migrated_at timestamptz NOT NULL DEFAULT now()
            );

            -- One row per session key of each agent. entry is the entry's JSON exactly as stored (fields other tools wrote
            -- are kept byte for byte; text, not jsonb, which would reorder keys, respell numbers and refuse \u0000 or a lone
            -- surrogate escape); session_id, kind and updated_at repeat its fields for queries.
            CREATE TABLE {s}.sessions (
                agent_id text NOT NULL,
                session_key text NOT NULL,
                session_id text,
                kind text CHECK (kind IN ('user', 'heartbeat', 'cron', 'subagent')),
                updated_at timestamptz,
                entry text NOT NULL,
                PRIMARY KEY (agent_id, session_key)
            );
            CREATE INDEX sessions_by_kind ON {s}.sessions (agent_id, kind, updated_at);

            -- Transcript lines, append-only: seq 1 is the header, then one message per row, each line exactly as written.
            CREATE TABLE {s}.transcript_events (
                agent_id text NOT NULL,
                session_id uuid NOT NULL,
                seq integer NOT NULL CHECK (seq > 0),
                line text NOT NULL,
                PRIMARY KEY (agent_id, session_id, seq)
            );

            -- Heartbeat figures: task '' holds the agent-wide ones, every other row a heartbeat task's.
            CREATE TABLE {s}.heartbeat_state (
                agent_id text NOT NULL,
                task text NOT NULL,
                last_ack timestamptz,
                consecutive_oks integer NOT NULL DEFAULT 0 CHECK (consecutive_oks >= 0),
                last_alert timestamptz,
                last_alert_summary text,
                PRIMARY KEY (agent_id, task)
            );

            -- Heartbeat rings: seq counts up per ring; the newest row says the ring's owner and bound (max_entries), and no
            -- ring ever holds more rows than that.
            CREATE TABLE {s}.ring_entries (
                agent_id text NOT NULL,
                ring text NOT NULL,
                seq bigint NOT NULL,
                owner text NOT NULL,
                max_entries integer NOT NULL CHECK (max_entries BETWEEN 1 AND 10000),
                ts timestamptz NOT NULL,
                result text NOT NULL CHECK (result IN ('ok', 'alert')),
                summary text NOT NULL,
                PRIMARY KEY (agent_id, ring, seq)
            );

            -- Cron run records, oldest first by id, at most max_entries of the newest row per task.
            CREATE TABLE {s}.cron_runs (
                agent_id text NOT NULL,
                task text NOT NULL,
                id bigint GENERATED ALWAYS AS IDENTITY,
                ts timestamptz NOT NULL,
                verdict text NOT NULL CHECK (verdict IN ('output', 'silent', 'failed', 'skipped')),
                summary text NOT NULL,
                duration_ms bigint NOT NULL CHECK (duration_ms >= 0),
                max_entries integer NOT NULL CHECK (max_entries >= 1),
                PRIMARY KEY (agent_id, task, id)
            );

            -- Scheduled occurrences claimed by hosts; claimant is null for one marked done without a claim.
            CREATE TABLE {s}.occurrence_claims (
                agent_id text NOT NULL,
                task text NOT NULL,
                scheduled_at timestamptz NOT NULL,
                claimant text,
                lease_until timestamptz NOT NULL,
                attempt integer NOT NULL CHECK (attempt >= 0),
                done boolean NOT NULL,
                PRIMARY KEY (agent_id, task, scheduled_at)
            );
            CREATE INDEX occurrence_claims_by_time ON {s}.occurrence_claims (agent_id, scheduled_at);

            INSERT INTO {s}.schema_version (version) VALUES ({CurrentVersion});
            """,
        _ => throw new InvalidOperationException($"No migration from store schema version {from}."),
    };
}
