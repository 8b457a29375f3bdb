namespace SessionKinds.PostgreSql;

/// <summary>The store's statements for one schema (names quoted once). Parameters are positional; <c>$1</c> is always the agent id.</summary>
internal sealed class StoreSql
{
    public StoreSql(string schema)
    {
        var s = PostgresNames.Quote(schema);

        ReadEntryForUpdate = $"SELECT entry FROM {s}.sessions WHERE agent_id = $1 AND session_key = $2";

        UpsertEntry = $"""
            INSERT INTO {s}.sessions AS e (agent_id, session_key, session_id, kind, updated_at, entry) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (agent_id, session_key) DO UPDATE
            SET session_id = excluded.session_id, kind = excluded.kind, updated_at = excluded.updated_at, entry = excluded.entry
            """;

        // $3: the header line then the message lines; the header is skipped when the transcript already has lines.
        AppendTranscript = $"""
            INSERT INTO {s}.transcript_events (agent_id, session_id, seq, line)
            SELECT $1, $2, t.last + l.n - CASE WHEN t.last = 0 THEN 0 ELSE 1 END, l.line
            FROM (SELECT coalesce(max(seq), 0) AS last FROM {s}.transcript_events WHERE agent_id = $1 AND session_id = $2) AS t,
                 unnest($3::text[]) WITH ORDINALITY AS l(line, n)
            WHERE l.n > 1 OR t.last = 0
            """;

        // Agent-wide row (task '') first, then the task's: every commit locks them in the same order.
        HeartbeatAck = $"""
            INSERT INTO {s}.heartbeat_state AS h (agent_id, task, last_ack, consecutive_oks) VALUES ($1, '', $3, 1), ($1, $2, $3, 1)
            ON CONFLICT (agent_id, task) DO UPDATE SET last_ack = excluded.last_ack, consecutive_oks = least(h.consecutive_oks, 2147483646) + 1
            """;

        HeartbeatAlert = $"""
            INSERT INTO {s}.heartbeat_state AS h (agent_id, task, consecutive_oks, last_alert, last_alert_summary) VALUES ($1, '', 0, $3, $4), ($1, $2, 0, $3, $4)
            ON CONFLICT (agent_id, task) DO UPDATE SET consecutive_oks = 0, last_alert = excluded.last_alert, last_alert_summary = excluded.last_alert_summary
            """;

        // Returns the owner of the ring's newest entry before the append; the append happens only when it is this task, or
        // '' (a ring imported without an owner: the first task to write it adopts it).
        AppendRing = $"""
            WITH newest AS (SELECT seq, owner FROM {s}.ring_entries WHERE agent_id = $1 AND ring = $2 ORDER BY seq DESC LIMIT 1),
            appended AS (
                INSERT INTO {s}.ring_entries (agent_id, ring, seq, owner, max_entries, ts, result, summary)
                SELECT $1, $2, coalesce((SELECT seq FROM newest), 0) + 1, $3, $4, $5, $6, $7
                WHERE NOT EXISTS (SELECT 1 FROM newest WHERE owner <> $3 AND owner <> '')
                RETURNING seq)
            SELECT (SELECT owner FROM newest), (SELECT seq FROM appended)
            """;

        // Runs after AppendRing (it sees its row): keeps the newest $3 entries.
        BoundRing = $"""
            DELETE FROM {s}.ring_entries
            WHERE agent_id = $1 AND ring = $2 AND seq <= (SELECT max(seq) FROM {s}.ring_entries WHERE agent_id = $1 AND ring = $2) - $3
            """;

        AppendCronRun = $"""
            INSERT INTO {s}.cron_runs (agent_id, task, ts, verdict, summary, duration_ms, max_entries) VALUES ($1, $2, $3, $4, $5, $6, $7)
            """;

        // Runs after AppendCronRun: keeps the task's newest $3 runs.
        BoundCronRuns = $"""
            DELETE FROM {s}.cron_runs
            WHERE agent_id = $1 AND task = $2
              AND id <= (SELECT id FROM {s}.cron_runs WHERE agent_id = $1 AND task = $2 ORDER BY id DESC OFFSET $3 LIMIT 1)
            """;

        // Returns one row when the occurrence was already done (claims due before $4 count as forgotten) with the claimant that
        // completed it: the commit then rolls back, so an occurrence is completed once. Runs under the task's claims lock.
        MarkOccurrenceDone = $"""
            WITH prior AS (
                SELECT claimant FROM {s}.occurrence_claims WHERE agent_id = $1 AND task = $2 AND scheduled_at = $3 AND scheduled_at >= $4 AND done),
            marked AS (
                INSERT INTO {s}.occurrence_claims (agent_id, task, scheduled_at, claimant, lease_until, attempt, done) VALUES ($1, $2, $3, NULL, $3, 0, true)
                ON CONFLICT (agent_id, task, scheduled_at) DO UPDATE SET done = true)
            SELECT claimant FROM prior
            """;

        ForgetOldClaims = $"DELETE FROM {s}.occurrence_claims WHERE agent_id = $1 AND scheduled_at < $2";

        // The occurrence's claim ($4), then a claim of another occurrence of the task whose lease holds ($3 now); claims of
        // occurrences due before $5 are as good as gone (they are deleted with the next write).
        ReadClaims = $"""
            SELECT 0, scheduled_at, claimant, lease_until, attempt, done FROM {s}.occurrence_claims
            WHERE agent_id = $1 AND task = $2 AND scheduled_at = $4 AND scheduled_at >= $5
            UNION ALL
            (SELECT 1, scheduled_at, claimant, lease_until, attempt, done FROM {s}.occurrence_claims
             WHERE agent_id = $1 AND task = $2 AND scheduled_at <> $4 AND scheduled_at >= $5 AND NOT done AND lease_until > $3 ORDER BY scheduled_at LIMIT 1)
            """;

        UpsertClaim = $"""
            INSERT INTO {s}.occurrence_claims AS c (agent_id, task, scheduled_at, claimant, lease_until, attempt, done) VALUES ($1, $2, $3, $4, $5, $6, false)
            ON CONFLICT (agent_id, task, scheduled_at) DO UPDATE SET claimant = excluded.claimant, lease_until = excluded.lease_until, attempt = excluded.attempt, done = false
            """;

        ReadSessions = $"SELECT session_key, entry FROM {s}.sessions WHERE agent_id = $1 ORDER BY session_key";
        FindSession = $"SELECT session_key, entry FROM {s}.sessions WHERE agent_id = $1 AND session_key = $2";
        ReadTranscript = $"SELECT line FROM {s}.transcript_events WHERE agent_id = $1 AND session_id = $2 ORDER BY seq";
        ReadHeartbeatState = $"SELECT task, last_ack, consecutive_oks, last_alert, last_alert_summary FROM {s}.heartbeat_state WHERE agent_id = $1";
        ReadRing = $"SELECT owner, max_entries, ts, result, summary FROM {s}.ring_entries WHERE agent_id = $1 AND ring = $2 ORDER BY seq";
        ReadCronRuns = $"SELECT task, ts, verdict, summary, duration_ms FROM {s}.cron_runs WHERE agent_id = $1 AND ($2::text IS NULL OR task = $2) ORDER BY id";
        ReadCronBound = $"SELECT max_entries FROM {s}.cron_runs WHERE agent_id = $1 ORDER BY id DESC LIMIT 1";
    }

    public string ReadEntryForUpdate { get; }

    public string UpsertEntry { get; }

    public string AppendTranscript { get; }

    public string HeartbeatAck { get; }

    public string HeartbeatAlert { get; }

    public string AppendRing { get; }

    public string BoundRing { get; }

    public string AppendCronRun { get; }

    public string BoundCronRuns { get; }

    public string MarkOccurrenceDone { get; }

    public string ForgetOldClaims { get; }

    public string ReadClaims { get; }

    public string UpsertClaim { get; }

    public string ReadSessions { get; }

    public string FindSession { get; }

    public string ReadTranscript { get; }

    public string ReadHeartbeatState { get; }

    public string ReadRing { get; }

    public string ReadCronRuns { get; }

    public string ReadCronBound { get; }
}
