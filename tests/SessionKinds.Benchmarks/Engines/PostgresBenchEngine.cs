using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using SessionKinds.Tests.Postgres;

namespace SessionKinds.Benchmarks.Engines;

/// <summary>
/// <see cref="PostgresSessionStore"/> on a throwaway, durable server of the benchmark process (fsync and synchronous commit
/// on, as in production; <see cref="PostgresTestServer.Start"/>, stopped when the process exits): a work folder is a schema
/// of its own, every agent of it in that schema. Seeding is an import when the store takes one
/// (<see cref="IAgentImportTarget"/>); until then the folder's content (<see cref="AgentFolderImport.ReadAsync"/>) is
/// copied into the tables with COPY, as an import would write it.
/// </summary>
internal sealed class PostgresBenchEngine : BenchEngine
{
    private static readonly Lazy<PostgresTestServer> Server = new(() => PostgresTestServer.Start(durable: true), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The catalog's line: this engine where a server may be had (installed, or installable as root); elsewhere the reports leave it out.</summary>
    public static IEnumerable<BenchEngine> WhereAServerCanRun => PostgresTestServer.CanTry ? [new PostgresBenchEngine()] : [];

    public override string Name => "postgres";

    public override string BytesNote => "the schema's tables with their indexes and TOAST (pg_total_relation_size) after VACUUM; the server's WAL and catalogs are not counted";

    public override async ValueTask<SessionStore> OpenAsync(string workFolder, string agentId) =>
        await PostgresSessionStore.OpenAsync(new PostgresSessionStoreOptions { ConnectionString = Server.Value.ConnectionString(), Schema = SchemaOf(workFolder), AgentId = agentId });

    public override async ValueTask SeedAsync(string workFolder, string agentId, string agentFolder)
    {
        await using var store = await OpenAsync(workFolder, agentId); // creates the schema
        if (store is IAgentImportTarget target)
        {
            await AgentFolderImport.ImportAsync(agentFolder, target);
            return;
        }

        var content = await AgentFolderImport.ReadAsync(agentFolder);
        var s = "\"" + SchemaOf(workFolder) + "\"";
        await using var connection = new NpgsqlConnection(Server.Value.ConnectionString());
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var copy = await connection.BeginBinaryImportAsync($"COPY {s}.sessions (agent_id, session_key, session_id, kind, updated_at, entry) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var entry in content.Entries)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(agentId, NpgsqlDbType.Text);
                await copy.WriteAsync(entry.Key, NpgsqlDbType.Text);
                await WriteOrNullAsync(copy, entry.SessionId, NpgsqlDbType.Text);
                await WriteOrNullAsync(copy, entry.Kind == SessionKind.Unspecified ? null : entry.Kind.ToString().ToLowerInvariant(), NpgsqlDbType.Text);
                if (entry.UpdatedAt is { } updatedAt)
                {
                    await copy.WriteAsync(updatedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                }
                else
                {
                    await copy.WriteNullAsync();
                }

                await copy.WriteAsync(entry.Json, NpgsqlDbType.Text);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY {s}.transcript_events (agent_id, session_id, seq, line) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var transcript in content.Transcripts)
            {
                var id = Guid.Parse(transcript.SessionId);
                for (var i = 0; i < transcript.Lines.Count; i++)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(agentId, NpgsqlDbType.Text);
                    await copy.WriteAsync(id, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(i + 1, NpgsqlDbType.Integer);
                    await copy.WriteAsync(transcript.Lines[i], NpgsqlDbType.Text);
                }
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY {s}.ring_entries (agent_id, ring, seq, owner, max_entries, ts, result, summary) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var ring in content.Rings)
            {
                for (var i = 0; i < ring.Entries.Count; i++)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(agentId, NpgsqlDbType.Text);
                    await copy.WriteAsync(ring.RingFile, NpgsqlDbType.Text);
                    await copy.WriteAsync((long)i + 1, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(ring.Task ?? "heartbeat", NpgsqlDbType.Text);
                    await copy.WriteAsync(Math.Clamp(ring.MaxEntries, 1, 10_000), NpgsqlDbType.Integer);
                    await copy.WriteAsync(ring.Entries[i].Timestamp.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(ring.Entries[i].Result == HeartbeatResult.Ok ? "ok" : "alert", NpgsqlDbType.Text);
                    await copy.WriteAsync(ring.Entries[i].Summary.Replace("\0", "\uFFFD", StringComparison.Ordinal), NpgsqlDbType.Text);
                }
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY {s}.cron_runs (agent_id, task, ts, verdict, summary, duration_ms, max_entries) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var run in content.CronRuns?.Runs ?? [])
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(agentId, NpgsqlDbType.Text);
                await copy.WriteAsync(run.Task, NpgsqlDbType.Text);
                await copy.WriteAsync(run.Timestamp.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(run.Verdict.ToString().ToLowerInvariant(), NpgsqlDbType.Text);
                await copy.WriteAsync(run.Summary.Replace("\0", "\uFFFD", StringComparison.Ordinal), NpgsqlDbType.Text);
                await copy.WriteAsync((long)run.Duration.TotalMilliseconds, NpgsqlDbType.Bigint);
                await copy.WriteAsync(Math.Max(1, content.CronRuns!.MaxEntries), NpgsqlDbType.Integer);
            }

            await copy.CompleteAsync();
        }

        if (content.HeartbeatState is { } state)
        {
            await using var command = new NpgsqlCommand(
                $"INSERT INTO {s}.heartbeat_state (agent_id, task, last_ack, consecutive_oks, last_alert, last_alert_summary) VALUES ($1, '', $2, $3, $4, $5)", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = agentId });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)state.LastAck?.ToUniversalTime() ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = state.ConsecutiveOks });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)state.LastAlert?.ToUniversalTime() ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)state.LastAlertSummary?.Replace("\0", "\uFFFD", StringComparison.Ordinal) ?? DBNull.Value });
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    public override long BytesOnDisk(string workFolder)
    {
        var schema = SchemaOf(workFolder);
        using var connection = new NpgsqlConnection(Server.Value.ConnectionString());
        connection.Open();
        var tables = new List<string>();
        using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = $1", connection))
        {
            list.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            using var vacuum = new NpgsqlCommand($"VACUUM \"{schema}\".\"{table}\"", connection);
            vacuum.ExecuteNonQuery();
        }

        using var size = new NpgsqlCommand(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
            connection);
        size.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        return (long)size.ExecuteScalar()!;
    }

    /// <summary>The schema of a work folder: the same folder always maps to the same schema.</summary>
    private static string SchemaOf(string workFolder) =>
        "bench_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(workFolder))))[..16];

    private static async Task WriteOrNullAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            await copy.WriteNullAsync();
        }
        else
        {
            await copy.WriteAsync(value, type);
        }
    }
}
