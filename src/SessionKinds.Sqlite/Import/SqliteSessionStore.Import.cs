using Microsoft.Data.Sqlite;
using SessionKinds.Sqlite.Rows;
using SessionKinds.Sqlite.Storage;

namespace SessionKinds;

/// <summary>The engine side of <see cref="AgentFolderImport"/>: an agent folder's content as rows of this store's agent.</summary>
public sealed partial class SqliteSessionStore : IAgentImportTarget
{
    /// <inheritdoc />
    public string ImportDestination => $"SQLite database {DatabasePath}, agent {AgentId}";

    /// <inheritdoc />
    /// <remarks>
    /// One write transaction: entries in file order (their JSON exactly; the kind column holds
    /// <see cref="ImportedSessionEntry.Kind"/>, NULL when none), transcript lines numbered from 1 in order, the heartbeat
    /// figures (agent-wide under the task <c>''</c>), each ring's entries with its owner (NULL when the ring recorded none:
    /// the next task to write it adopts it) and size, and the cron runs in order with the record's size. A dry run rolls
    /// the transaction back.
    /// </remarks>
    async ValueTask IAgentImportTarget.ImportAsync(AgentFolderContent content, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ThrowIfDisposed();
        const string What = "Importing an agent folder";
        using var transaction = await _database.BeginWriteAsync(What, cancellationToken).ConfigureAwait(false);
        try
        {
            var session = transaction.Session;
            if (HeldRows(session) is { Length: > 0 } held)
            {
                throw new SessionStoreException(
                    DatabasePath,
                    $"The agent {AgentId} in the SQLite database {DatabasePath} already holds {held}, so {content.Folder} is not imported into it (an import never merges). " +
                    "Import into a new agent id (SqliteSessionStoreOptions.AgentId) or a new database file. Nothing was written.");
            }

            foreach (var entry in content.Entries)
            {
                Sessions.Upsert(session, AgentId, entry.Key, entry.SessionId, KindColumn(entry.Kind), entry.UpdatedAt?.ToUnixTimeMilliseconds(), entry.Json);
            }

            var line = session.Command("INSERT INTO transcript_events (agent_id, session_id, seq, line) VALUES ($agent, $id, $seq, $line)").With("$agent", AgentId);
            foreach (var transcript in content.Transcripts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                line.With("$id", transcript.SessionId);
                for (var i = 0; i < transcript.Lines.Count; i++)
                {
                    line.With("$seq", i + 1).With("$line", transcript.Lines[i]).ExecuteNonQuery();
                }
            }

            if (content.HeartbeatState is { } state)
            {
                ImportState(session, state);
            }

            foreach (var ring in content.Rings)
            {
                var insert = session.Command("""
                    INSERT INTO ring_entries (agent_id, ring, seq, owner, max_entries, ts, result, summary) VALUES ($agent, $ring, $seq, $owner, $max, $ts, $result, $summary)
                    """).With("$agent", AgentId).With("$ring", ring.RingFile).With("$owner", ring.Task).With("$max", Math.Clamp(ring.MaxEntries, 1, 10_000));
                for (var i = 0; i < ring.Entries.Count; i++)
                {
                    var entry = ring.Entries[i];
                    insert.With("$seq", i + 1).With("$ts", entry.Timestamp.ToUnixTimeSeconds()).With("$result", entry.Result == HeartbeatResult.Ok ? "ok" : "alert").With("$summary", entry.Summary).ExecuteNonQuery();
                }
            }

            if (content.CronRuns is { Runs.Count: > 0 } log)
            {
                var keep = log.MaxEntries > 0 ? log.MaxEntries : Math.Max(1, log.Runs.GroupBy(r => r.Task).Max(g => g.Count()));
                var insert = session.Command("""
                    INSERT INTO cron_runs (agent_id, seq, task, ts, verdict, summary, duration_ms, max_entries) VALUES ($agent, $seq, $task, $ts, $verdict, $summary, $duration, $max)
                    """).With("$agent", AgentId).With("$max", keep);
                for (var i = 0; i < log.Runs.Count; i++)
                {
                    var run = log.Runs[i];
                    insert.With("$seq", i + 1).With("$task", run.Task).With("$ts", run.Timestamp.ToUnixTimeSeconds()).With("$verdict", VerdictName(run.Verdict))
                        .With("$summary", run.Summary).With("$duration", (long)run.Duration.TotalMilliseconds).ExecuteNonQuery();
                }
            }
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Wrap(DatabasePath, What, ex);
        }

        if (!dryRun)
        {
            transaction.Commit();
        }
    }

    private void ImportState(SqliteSession session, HeartbeatState state)
    {
        var insert = session.Command("""
            INSERT INTO heartbeat_state (agent_id, task, last_ack, consecutive_oks, last_alert, last_alert_summary) VALUES ($agent, $task, $ack, $oks, $alert, $summary)
            """).With("$agent", AgentId);
        if (state.LastAck is not null || state.LastAlert is not null || state.ConsecutiveOks > 0 || state.LastAlertSummary is not null)
        {
            insert.With("$task", AgentWide).With("$ack", state.LastAck?.ToUnixTimeMilliseconds()).With("$oks", state.ConsecutiveOks)
                .With("$alert", state.LastAlert?.ToUnixTimeMilliseconds()).With("$summary", state.LastAlertSummary).ExecuteNonQuery();
        }

        foreach (var (task, figures) in state.Tasks)
        {
            insert.With("$task", task).With("$ack", figures.LastAck?.ToUnixTimeMilliseconds()).With("$oks", figures.ConsecutiveOks)
                .With("$alert", figures.LastAlert?.ToUnixTimeMilliseconds()).With("$summary", null).ExecuteNonQuery();
        }
    }

    /// <summary>What this agent already holds, e.g. "3 session entries, 1 ring entry", or empty.</summary>
    private string HeldRows(SqliteSession session)
    {
        var held = new List<string>();
        foreach (var table in SqliteSchema.Tables)
        {
            var count = (long)session.Command($"SELECT count(*) FROM {table} WHERE agent_id = $agent").With("$agent", AgentId).ExecuteScalar()!;
            if (count > 0)
            {
                held.Add($"{count} row(s) in {table}");
            }
        }

        return string.Join(", ", held);
    }

    internal static string? KindColumn(SessionKind kind) => kind switch
    {
        SessionKind.User => "user",
        SessionKind.Heartbeat => "heartbeat",
        SessionKind.Cron => "cron",
        SessionKind.Subagent => "subagent",
        _ => null,
    };
}
