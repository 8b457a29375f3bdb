using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using SessionKinds.Sqlite.Rows;
using SessionKinds.Sqlite.Storage;
using SessionKinds.Engines;

namespace SessionKinds;

/// <summary>
/// The embedded database store: one agent's sessions in a SQLite database file that many agents can share (every row
/// carries the agent id). A completion is one short transaction; a heartbeat ack writes a few rows of heartbeat state and
/// ring and never touches the sessions table, so its cost does not grow with the number of sessions.
/// </summary>
/// <remarks>
/// <para><b>Opening.</b> The database file (and its folder) is created when missing, owner-only on Unix. The store refuses a
/// file it detects on a network file system (NFS, SMB/CIFS and the like on Linux, UNC paths and network drives on Windows),
/// where SQLite's locking is unreliable; switches the file to write-ahead logging and verifies that it is (refusing a
/// database that cannot use it, e.g. in memory); creates or migrates the tables and refuses a database written by a
/// newer SessionKinds.Sqlite. Every connection has SQLite's busy timeout set to
/// <see cref="SqliteSessionStoreOptions.BusyTimeout"/> and commits with <c>synchronous = FULL</c>, so an acknowledged
/// completion survives a crash of the process and of the machine.</para>
/// <para><b>Writing.</b> Writers of one file in one process queue in turn; then each takes SQLite's write lock with
/// <c>BEGIN IMMEDIATE</c>, retried asynchronously while another process writes, until the busy timeout. Cancelling the
/// wait throws <see cref="OperationCanceledException"/> and writes nothing. Every part of a completion is written in that
/// one transaction; a process killed at any moment leaves all of it or none (SQLite rolls an unfinished transaction back).
/// A failure while committing that leaves the outcome unknown is a <see cref="SessionStoreCommitUnconfirmedException"/>.</para>
/// <para><b>Rows.</b> Entries are kept as the JSON text they were written with (fields other tools wrote survive); a
/// continued entry gets its <c>sessionId</c>, <c>kind</c> and <c>updatedAt</c> set in place. Transcript lines are
/// append-only rows in the transcript line format of every engine. Rings are trimmed to their size and cron runs to
/// <see cref="SessionStoreOptions.CronRunsToKeep"/> per task in the same transaction. Tables:
/// <c>schema_version</c>, <c>sessions</c>, <c>transcript_events</c>, <c>heartbeat_state</c>, <c>ring_entries</c>,
/// <c>cron_runs</c>, <c>occurrence_claims</c>.</para>
/// <para>Instances are thread-safe. Dispose the store to close its connections.</para>
/// </remarks>
public sealed partial class SqliteSessionStore : SessionStore
{
    private const string AgentWide = "";

    private readonly SqliteSessionStoreOptions _options;
    private readonly SqliteDatabase _database;

    /// <summary>Opens the agent <paramref name="agentId"/> in the database file <paramref name="databasePath"/> with default settings.</summary>
    /// <exception cref="ArgumentException">The path is empty or the agent id is not valid.</exception>
    /// <exception cref="SessionStoreException">The database cannot be opened or used; the message names the file and says what to do.</exception>
    public SqliteSessionStore(string databasePath, string agentId = SqliteSessionStoreOptions.DefaultAgentId)
        : this(new SqliteSessionStoreOptions { DatabasePath = databasePath, AgentId = agentId })
    {
    }

    /// <summary>Opens the store with <paramref name="options"/> (copied: later changes to them do not affect the store).</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range.</exception>
    /// <exception cref="SessionStoreException">The database cannot be opened or used; the message names the file and says what to do.</exception>
    public SqliteSessionStore(SqliteSessionStoreOptions options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Snapshot(), copied: true)
    {
    }

    private SqliteSessionStore(SqliteSessionStoreOptions options, bool copied)
        : base(options)
    {
        Debug.Assert(copied, "the options are a private copy");
        _options = options;
        AgentId = options.AgentId;
        var (path, connectionString) = SqliteFile.Resolve(options);
        DatabasePath = path;
        _database = new SqliteDatabase(path, connectionString, options.BusyTimeout);
        try
        {
            SqliteFile.Prepare(_database);
        }
        catch
        {
            _database.Dispose();
            throw;
        }
    }

    /// <summary>The database file's full path.</summary>
    public string DatabasePath { get; }

    /// <summary>The agent whose rows this store reads and writes.</summary>
    public string AgentId { get; }

    /// <inheritdoc />
    protected override async ValueTask<SessionCommitResult> CommitAsync(SessionCommit commit, CancellationToken cancellationToken)
    {
        using var transaction = await _database.BeginWriteAsync("Completing a session", cancellationToken).ConfigureAwait(false);
        SessionCommitResult result;
        try
        {
            result = Apply(transaction.Session, commit);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Wrap(DatabasePath, "Completing a session", ex);
        }

        transaction.Commit();
        return result;
    }

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<SessionEntry>> ReadSessionsCoreAsync(CancellationToken cancellationToken) =>
        Read("Reading the session entries", cancellationToken, session =>
        {
            var command = session.Command("SELECT session_key, entry FROM sessions WHERE agent_id = $agent ORDER BY rowid").With("$agent", AgentId);
            var entries = new List<SessionEntry>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                entries.Add(ParseEntry(reader.GetString(0), reader.GetString(1)));
            }

            return (IReadOnlyList<SessionEntry>)entries;
        });

    /// <inheritdoc />
    protected override ValueTask<SessionEntry?> FindSessionCoreAsync(string sessionKey, CancellationToken cancellationToken) =>
        Read("Reading a session entry", cancellationToken, session =>
        {
            var command = session.Command("SELECT entry FROM sessions WHERE agent_id = $agent AND session_key = $key").With("$agent", AgentId).With("$key", sessionKey);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ParseEntry(sessionKey, reader.GetString(0)) : null;
        });

    /// <inheritdoc />
    protected override ValueTask<Transcript?> ReadTranscriptCoreAsync(string sessionId, CancellationToken cancellationToken) =>
        Read("Reading a transcript", cancellationToken, session =>
        {
            var command = session.Command("SELECT line FROM transcript_events WHERE agent_id = $agent AND session_id = $id ORDER BY seq").With("$agent", AgentId).With("$id", sessionId);
            var lines = new List<ReadOnlyMemory<byte>>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    lines.Add(Encoding.UTF8.GetBytes(reader.GetString(0)));
                }
            }

            return lines.Count == 0 ? null : Transcript.Parse(sessionId, lines);
        });

    /// <inheritdoc />
    protected override ValueTask<HeartbeatState> ReadHeartbeatStateCoreAsync(CancellationToken cancellationToken) =>
        Read("Reading the heartbeat state", cancellationToken, session =>
        {
            var command = session.Command("SELECT task, last_ack, consecutive_oks, last_alert, last_alert_summary FROM heartbeat_state WHERE agent_id = $agent ORDER BY task").With("$agent", AgentId);
            var tasks = new Dictionary<string, HeartbeatTaskState>(StringComparer.Ordinal);
            var state = new HeartbeatState(null, 0, null, null, tasks);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var (lastAck, count, lastAlert) = (Milliseconds(reader.GetInt64OrNull(1)), (int)reader.GetInt64(2), Milliseconds(reader.GetInt64OrNull(3)));
                var task = reader.GetString(0);
                if (task == AgentWide)
                {
                    state = state with { LastAck = lastAck, ConsecutiveOks = count, LastAlert = lastAlert, LastAlertSummary = reader.GetStringOrNull(4) };
                }
                else
                {
                    tasks[task] = new HeartbeatTaskState(lastAck, count, lastAlert);
                }
            }

            return state;
        });

    /// <inheritdoc />
    protected override ValueTask<HeartbeatRing> ReadHeartbeatRingCoreAsync(string ringFile, CancellationToken cancellationToken) =>
        Read("Reading a heartbeat ring", cancellationToken, session =>
        {
            var command = session.Command("SELECT ts, result, summary, owner, max_entries FROM ring_entries WHERE agent_id = $agent AND ring = $ring ORDER BY seq").With("$agent", AgentId).With("$ring", ringFile);
            var entries = new List<HeartbeatRingEntry>();
            string? owner = null;
            var max = 0;
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    entries.Add(new HeartbeatRingEntry(
                        DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(0)),
                        reader.GetString(1) == "ok" ? HeartbeatResult.Ok : HeartbeatResult.Alert,
                        reader.GetString(2)));
                    owner = reader.GetStringOrNull(3);
                    max = (int)reader.GetInt64(4);
                }
            }

            if (entries.Count > max)
            {
                entries.RemoveRange(0, entries.Count - max);
            }

            return entries.Count == 0 ? new HeartbeatRing(ringFile, 0, null, []) : new HeartbeatRing(ringFile, max, owner, entries);
        });

    /// <inheritdoc />
    protected override ValueTask<CronRunLog> ReadCronRunsCoreAsync(string? task, CancellationToken cancellationToken) =>
        Read("Reading the cron run record", cancellationToken, session =>
        {
            var max = session.Command("SELECT max_entries FROM cron_runs WHERE agent_id = $agent ORDER BY seq DESC LIMIT 1").With("$agent", AgentId).ExecuteScalar();
            var command = task is null
                ? session.Command("SELECT ts, task, verdict, summary, duration_ms FROM cron_runs WHERE agent_id = $agent ORDER BY seq").With("$agent", AgentId)
                : session.Command("SELECT ts, task, verdict, summary, duration_ms FROM cron_runs WHERE agent_id = $agent AND task = $task ORDER BY seq").With("$agent", AgentId).With("$task", task);
            var runs = new List<CronRun>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                runs.Add(new CronRun(
                    DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(0)),
                    reader.GetString(1),
                    ParseVerdict(reader.GetString(2)),
                    reader.GetString(3),
                    TimeSpan.FromMilliseconds(reader.GetInt64(4))));
            }

            return new CronRunLog(max is long m ? (int)Math.Min(m, int.MaxValue) : 0, runs);
        });

    /// <inheritdoc />
    protected override async ValueTask<OccurrenceClaimResult> TryClaimOccurrenceCoreAsync(
        ScheduledOccurrence occurrence, string claimant, DateTimeOffset now, DateTimeOffset leaseUntil, DateTimeOffset retainSince, CancellationToken cancellationToken)
    {
        using var transaction = await _database.BeginWriteAsync("Claiming an occurrence", cancellationToken).ConfigureAwait(false);
        OccurrenceClaimResult result;
        try
        {
            result = OccurrenceClaims.Claim(transaction.Session, AgentId, occurrence, claimant, now, leaseUntil, retainSince);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Wrap(DatabasePath, "Claiming an occurrence", ex);
        }

        transaction.Commit();
        return result;
    }

    /// <inheritdoc />
    protected override ValueTask DisposeAsyncCore()
    {
        _database.Dispose();
        return default;
    }

    /// <summary>Writes every part of <paramref name="commit"/> inside the open transaction.</summary>
    private SessionCommitResult Apply(SqliteSession session, SessionCommit commit)
    {
        // Refuse a completed occurrence and a foreign ring before writing anything (the transaction would roll them back anyway).
        if (commit.CompletesOccurrence is { } completes)
        {
            OccurrenceClaims.ThrowIfDone(session, AgentId, completes, commit.CompletedAt - _options.OccurrenceRetention, $"{DatabasePath} (agent {AgentId}, occurrence_claims)");
        }

        var ringTail = commit.Ring is { } ring ? Rings.LoadTail(session, AgentId, ring, RingLocation(ring.RingFile)) : default;

        string? sessionId = null;
        var continued = false;
        if (commit.Session is { } write)
        {
            SqliteDatabase.WriteTransaction.Step("sessions");
            (sessionId, continued) = Sessions.Write(session, AgentId, write);
            SqliteDatabase.WriteTransaction.Step("transcript_events");
            Sessions.AppendTranscript(session, AgentId, write, sessionId);
        }

        if (commit.HeartbeatState is { } state)
        {
            SqliteDatabase.WriteTransaction.Step("heartbeat_state");
            HeartbeatStates.Apply(session, AgentId, state);
        }

        if (commit.Ring is { } append)
        {
            SqliteDatabase.WriteTransaction.Step("ring_entries");
            Rings.Append(session, AgentId, append, ringTail);
        }

        if (commit.CronRun is { } run)
        {
            SqliteDatabase.WriteTransaction.Step("cron_runs");
            CronRuns.Append(session, AgentId, run);
        }

        if (commit.CompletesOccurrence is { } occurrence)
        {
            SqliteDatabase.WriteTransaction.Step("occurrence_claims");
            OccurrenceClaims.MarkDone(session, AgentId, occurrence, commit.CompletedAt - _options.OccurrenceRetention);
        }

        return new SessionCommitResult(sessionId, continued);
    }

    private ValueTask<T> Read<T>(string what, CancellationToken cancellationToken, Func<SqliteSession, T> read)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var lease = _database.Read();
            return new(read(lease.Session));
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Wrap(DatabasePath, what, ex);
        }
    }

    private string RingLocation(string ringFile) => $"{DatabasePath} (agent {AgentId}, ring {ringFile})";

    private static SessionEntry ParseEntry(string key, string json) => SessionEntry.Parse(key, Encoding.UTF8.GetBytes(json));

    private static DateTimeOffset? Milliseconds(long? ms) => ms is long value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    internal static CronRunVerdict ParseVerdict(string name) => name switch
    {
        "output" => CronRunVerdict.Output,
        "silent" => CronRunVerdict.Silent,
        "failed" => CronRunVerdict.Failed,
        _ => CronRunVerdict.Skipped,
    };

    internal static string VerdictName(CronRunVerdict verdict) => verdict switch
    {
        CronRunVerdict.Output => "output",
        CronRunVerdict.Silent => "silent",
        CronRunVerdict.Failed => "failed",
        _ => "skipped",
    };
}
