using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SessionKinds.PostgreSql;

namespace SessionKinds;

/// <summary>The engine side of <see cref="AgentFolderImport"/>: an agent folder's content as rows of this store's agent.</summary>
public sealed partial class PostgresSessionStore : IAgentImportTarget
{
    /// <inheritdoc />
    public string ImportDestination => $"PostgreSQL server {Server}, schema \"{Schema}\", agent {AgentFileNameRules.Printable(_agentId)}";

    /// <inheritdoc />
    /// <remarks>
    /// One transaction that holds the agent's write lock exclusively (the advisory lock every commit of the agent takes
    /// shared), so no node writes the agent meanwhile and two imports of one agent take turns; waiting for it is bounded by
    /// <see cref="PostgresSessionStoreOptions.LockTimeout"/>. Under it: a check that the agent holds no row in any table,
    /// then entries in file order (the entry column is text, so the JSON is kept exactly; the kind column holds
    /// <see cref="ImportedSessionEntry.Kind"/>, NULL when none), transcript lines numbered from 1 in order, the heartbeat
    /// figures (agent-wide under the task <c>''</c>), each ring's entries with its owner (<c>''</c> when the ring recorded
    /// none: the next task to write it adopts it) and size, and the cron runs in order with the record's size. Rows go in
    /// with COPY. A dry run rolls the transaction back. Text PostgreSQL cannot hold (U+0000, a lone surrogate) in a key, an
    /// entry, a transcript line or a name refuses the import before anything is sent; in a summary it becomes U+FFFD, as in
    /// a commit.
    /// </remarks>
    async ValueTask IAgentImportTarget.ImportAsync(AgentFolderContent content, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ThrowIfDisposed();
        ThrowIfNotImportable(content);
        const string Doing = "importing an agent folder";
        await using var connection = await OpenConnectionAsync(Doing, cancellationToken).ConfigureAwait(false);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var held = await LockAndCountHeldRowsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (held.Length > 0)
            {
                throw new SessionStoreException(
                    _server.Location,
                    $"The agent {AgentFileNameRules.Printable(_agentId)} in schema \"{Schema}\" on the PostgreSQL server {Server} already holds {held}, so {content.Folder} is not imported into it (an import never merges). " +
                    "Import into a new agent id (PostgresSessionStoreOptions.AgentId) or another schema (PostgresSessionStoreOptions.Schema). Nothing was written.");
            }

            await CopyEntriesAsync(connection, content.Entries, cancellationToken).ConfigureAwait(false);
            await CopyTranscriptsAsync(connection, content.Transcripts, cancellationToken).ConfigureAwait(false);
            if (content.HeartbeatState is { } state)
            {
                await CopyHeartbeatStateAsync(connection, state, cancellationToken).ConfigureAwait(false);
            }

            await CopyRingsAsync(connection, content.Rings, cancellationToken).ConfigureAwait(false);
            if (content.CronRuns is { Runs.Count: > 0 } log)
            {
                await CopyCronRunsAsync(connection, log, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (dryRun)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not SessionStoreException)
        {
            await RollBackQuietlyAsync(transaction).ConfigureAwait(false);
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            if (ex is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable })
            {
                throw new SessionStoreException(
                    _server.Location,
                    $"Timed out after {Seconds(_options.LockTimeout)} s waiting for the writers of agent {AgentFileNameRules.Printable(_agentId)} on the PostgreSQL server {Server} to finish before importing {content.Folder}; nothing was written. " +
                    "Import while no node runs this agent, or raise PostgresSessionStoreOptions.LockTimeout.",
                    ex);
            }

            if (ServerErrors.IsServerFailure(ex))
            {
                throw ServerErrors.Describe(_server, $"{Doing} ({content.Folder})", ex);
            }

            throw;
        }
        catch (SessionStoreException)
        {
            await RollBackQuietlyAsync(transaction).ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Takes the agent's write lock exclusively; returns what the agent already holds, e.g. "3 row(s) in sessions", or empty.</summary>
    private async Task<string> LockAndCountHeldRowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var s = PostgresNames.Quote(Schema);
        var counts = string.Join(
            " UNION ALL ",
            new[] { "sessions", "transcript_events", "heartbeat_state", "ring_entries", "cron_runs", "occurrence_claims" }
                .Select(table => $"SELECT '{table}', count(*) FROM {s}.{table} WHERE agent_id = $1"));
        var held = new List<string>();
        await using var batch = new CommandBatch(connection, transaction, _timeoutSeconds);
        batch.Statement(_setLockTimeout);
        batch.Query("SELECT pg_advisory_xact_lock($1)", CommandBatch.BigInt(_gate));
        var rows = batch.Query(counts, CommandBatch.Text(_agentId));
        await batch.ExecuteAsync(async (index, reader) =>
        {
            while (index == rows && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.GetInt64(1) is var count and > 0)
                {
                    held.Add($"{count.ToString(CultureInfo.InvariantCulture)} row(s) in {reader.GetString(0)}");
                }
            }
        }, cancellationToken).ConfigureAwait(false);
        return string.Join(", ", held);
    }

    private async Task CopyEntriesAsync(NpgsqlConnection connection, IReadOnlyList<ImportedSessionEntry> entries, CancellationToken cancellationToken)
    {
        await using var copy = await BeginCopyAsync(connection, "sessions (agent_id, session_key, session_id, kind, updated_at, entry)", cancellationToken).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(_agentId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(entry.Key, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteOrNullAsync(copy, entry.SessionId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteOrNullAsync(copy, KindColumn(entry.Kind), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteOrNullAsync(copy, entry.UpdatedAt, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(entry.Json, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyTranscriptsAsync(NpgsqlConnection connection, IReadOnlyList<ImportedTranscript> transcripts, CancellationToken cancellationToken)
    {
        await using var copy = await BeginCopyAsync(connection, "transcript_events (agent_id, session_id, seq, line)", cancellationToken).ConfigureAwait(false);
        foreach (var transcript in transcripts)
        {
            var id = Guid.Parse(transcript.SessionId);
            for (var i = 0; i < transcript.Lines.Count; i++)
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(_agentId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(i + 1, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(transcript.Lines[i], NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            }
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyHeartbeatStateAsync(NpgsqlConnection connection, HeartbeatState state, CancellationToken cancellationToken)
    {
        await using var copy = await BeginCopyAsync(connection, "heartbeat_state (agent_id, task, last_ack, consecutive_oks, last_alert, last_alert_summary)", cancellationToken).ConfigureAwait(false);
        if (state.LastAck is not null || state.LastAlert is not null || state.ConsecutiveOks > 0 || state.LastAlertSummary is not null)
        {
            await WriteStateRowAsync(copy, string.Empty, state.LastAck, state.ConsecutiveOks, state.LastAlert, state.LastAlertSummary, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (task, figures) in state.Tasks)
        {
            await WriteStateRowAsync(copy, task, figures.LastAck, figures.ConsecutiveOks, figures.LastAlert, null, cancellationToken).ConfigureAwait(false);
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteStateRowAsync(
        NpgsqlBinaryImporter copy, string task, DateTimeOffset? lastAck, int consecutiveOks, DateTimeOffset? lastAlert, string? summary, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
        await copy.WriteAsync(_agentId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await copy.WriteAsync(task, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await WriteOrNullAsync(copy, lastAck, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
        await copy.WriteAsync(Math.Max(0, consecutiveOks), NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
        await WriteOrNullAsync(copy, lastAlert, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
        await WriteOrNullAsync(copy, summary is null ? null : PostgresNames.DisplayText(summary), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyRingsAsync(NpgsqlConnection connection, IReadOnlyList<HeartbeatRing> rings, CancellationToken cancellationToken)
    {
        await using var copy = await BeginCopyAsync(connection, "ring_entries (agent_id, ring, seq, owner, max_entries, ts, result, summary)", cancellationToken).ConfigureAwait(false);
        foreach (var ring in rings)
        {
            var max = Math.Clamp(ring.MaxEntries, 1, 10_000);
            for (var i = 0; i < ring.Entries.Count; i++)
            {
                var entry = ring.Entries[i];
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(_agentId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(ring.RingFile, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync((long)(i + 1), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(ring.Task ?? string.Empty, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(max, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(entry.Timestamp.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(entry.Result == HeartbeatResult.Ok ? "ok" : "alert", NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(PostgresNames.DisplayText(entry.Summary), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            }
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyCronRunsAsync(NpgsqlConnection connection, CronRunLog log, CancellationToken cancellationToken)
    {
        // The record's size, or when it names none, enough for the task with the most runs (nothing imported is dropped).
        var keep = log.MaxEntries > 0 ? log.MaxEntries : Math.Max(1, log.Runs.GroupBy(r => r.Task).Max(g => g.Count()));
        await using var copy = await BeginCopyAsync(connection, "cron_runs (agent_id, task, ts, verdict, summary, duration_ms, max_entries)", cancellationToken).ConfigureAwait(false);
        foreach (var run in log.Runs)
        {
            await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(_agentId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(run.Task, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(run.Timestamp.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(VerdictName(run.Verdict), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(PostgresNames.DisplayText(run.Summary), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(Math.Max(0L, (long)run.Duration.TotalMilliseconds), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(keep, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A binary COPY into one of the schema's tables, inside the connection's transaction.</summary>
    private Task<NpgsqlBinaryImporter> BeginCopyAsync(NpgsqlConnection connection, string tableAndColumns, CancellationToken cancellationToken) =>
        connection.BeginBinaryImportAsync($"COPY {PostgresNames.Quote(Schema)}.{tableAndColumns} FROM STDIN (FORMAT BINARY)", cancellationToken);

    private static Task WriteOrNullAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, type, cancellationToken);

    private static Task WriteOrNullAsync(NpgsqlBinaryImporter copy, DateTimeOffset? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is { } at ? copy.WriteAsync(at.ToUniversalTime(), type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static string? KindColumn(SessionKind kind) => kind switch
    {
        SessionKind.User => "user",
        SessionKind.Heartbeat => "heartbeat",
        SessionKind.Cron => "cron",
        SessionKind.Subagent => "subagent",
        _ => null,
    };

    /// <summary>Refuses, before anything is sent, text that a PostgreSQL text column cannot hold, naming where it is.</summary>
    private void ThrowIfNotImportable(AgentFolderContent content)
    {
        foreach (var entry in content.Entries)
        {
            if (!PostgresNames.IsStorable(entry.Key) || !PostgresNames.IsStorable(entry.Json) || (entry.SessionId is { } id && !PostgresNames.IsStorable(id)))
            {
                throw NotImportable(content, $"the entry {AgentFileNameRules.Printable(entry.Key)} of sessions.json");
            }
        }

        foreach (var transcript in content.Transcripts)
        {
            for (var i = 0; i < transcript.Lines.Count; i++)
            {
                if (!PostgresNames.IsStorable(transcript.Lines[i]))
                {
                    throw NotImportable(content, $"line {(i + 1).ToString(CultureInfo.InvariantCulture)} of the transcript {transcript.SourceFile}");
                }
            }
        }

        var names = (content.HeartbeatState?.Tasks.Keys ?? Enumerable.Empty<string>())
            .Concat(content.Rings.SelectMany(r => new[] { r.RingFile, r.Task ?? string.Empty }))
            .Concat(content.CronRuns?.Runs.Select(r => r.Task) ?? []);
        foreach (var name in names)
        {
            if (!PostgresNames.IsStorable(name))
            {
                throw NotImportable(content, $"the task or ring name {AgentFileNameRules.Printable(name)}");
            }
        }
    }

    private SessionStoreException NotImportable(AgentFolderContent content, string what) => new(
        _server.Location,
        $"{content.Folder}: {what} contains U+0000 or a lone surrogate, which PostgreSQL text cannot hold, so the folder is not imported into schema \"{Schema}\" on the PostgreSQL server {Server}. " +
        "Nothing was written. Remove or repair it in a copy of the folder and import the copy (or import into SQLite, which keeps it).");
}
