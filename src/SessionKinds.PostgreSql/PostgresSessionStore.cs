using System.Globalization;
using System.Text;
using Npgsql;
using SessionKinds.PostgreSql;
using SessionKinds.Engines;

namespace SessionKinds;

/// <summary>
/// One agent's sessions in a PostgreSQL database that several gateway nodes share. Many agents live in one schema (every
/// row carries its agent id); the schema and its tables are created, or migrated, when a store opens.
/// </summary>
/// <remarks>
/// <para>Every completion is one transaction: the entry, the transcript lines, the heartbeat state, the ring entry and the
/// cron run record commit together or not at all, rings and run records bounded inside it. An acknowledgement writes the
/// heartbeat state and one ring entry (and deletes the one that falls out), never a session.</para>
/// <para>Writers of one session take turns across nodes on a transaction-level advisory lock of (Agent(), session key), held
/// while the entry is read, merged and written; different sessions commit side by side. Waiting is bounded by
/// <see cref="PostgresSessionStoreOptions.LockTimeout"/> and cancellable; a cancelled or failed completion rolls back and
/// leaves nothing written.</para>
/// <para>When the connection drops while COMMIT is under way, the store asks the server what became of the transaction
/// (<c>txid_status</c>): committed is a success, rolled back an error with nothing written; when the server cannot be
/// asked, <see cref="SessionStoreCommitUnconfirmedException"/>.</para>
/// <para>Entries and transcript lines are stored as the exact JSON text the store writes, so unknown entry fields survive
/// byte for byte. PostgreSQL text cannot hold U+0000: in JSON it is kept as the escape <c>\u0000</c>; a summary stores it
/// as U+FFFD; task and claimant names with control characters are refused.</para>
/// </remarks>
public sealed partial class PostgresSessionStore : SessionStore
{
    private readonly PostgresSessionStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly ServerAddress _server;
    private readonly StoreSql _sql;
    private readonly string _agentId;
    private readonly long _gate;
    private readonly int _timeoutSeconds;
    private readonly string _setLockTimeout;

    // The options are a private copy (Snapshot), validated by the base constructor before anything else runs.
    private PostgresSessionStore(PostgresSessionStoreOptions options)
        : base(options)
    {
        _options = options;
        _agentId = options.AgentId!;
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "SessionKinds";
        }

        _server = new ServerAddress(builder, options.Schema, _agentId);
        _sql = new StoreSql(options.Schema);
        _gate = AdvisoryLocks.AgentGate(options.Schema, _agentId);
        var lockTimeoutMs = (long)options.LockTimeout.TotalMilliseconds;

        // Client-side, a statement may wait for a lock as long as the server lets it, plus the usual command timeout.
        _timeoutSeconds = builder.CommandTimeout <= 0 ? 0 : (int)Math.Min(int.MaxValue, builder.CommandTimeout + (lockTimeoutMs / 1000) + 1);
        _setLockTimeout = string.Create(CultureInfo.InvariantCulture, $"SET LOCAL lock_timeout = {Math.Max(1, lockTimeoutMs)}");
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>The agent whose sessions this store holds.</summary>
    public string AgentId => _agentId;

    /// <summary>The schema holding the store's tables.</summary>
    public string Schema => _options.Schema;

    /// <summary>The server as errors name it: <c>host:port/database</c> (never the password).</summary>
    public string Server => _server.Server;

    /// <summary>
    /// Opens the store: connects, checks the server (PostgreSQL 12 or later, a UTF8 database), and creates the schema and
    /// its tables, or migrates them, when needed (nodes opening at once take turns; one does it).
    /// </summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it.</exception>
    /// <exception cref="SessionStoreException">
    /// The server cannot be reached or refused the login, the database is unusable, or the schema was created by a newer
    /// version of this package; the message names the server (<c>host:port/database</c>) and what to check.
    /// </exception>
    public static async ValueTask<PostgresSessionStore> OpenAsync(PostgresSessionStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new PostgresSessionStore(options.Snapshot());
        try
        {
            await using var connection = await store.OpenConnectionAsync("opening the session store", cancellationToken).ConfigureAwait(false);
            try
            {
                await StoreSchema.EnsureAsync(connection, store._server, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ServerErrors.IsServerFailure(ex) && !cancellationToken.IsCancellationRequested)
            {
                throw ServerErrors.Describe(store._server, $"creating or checking schema \"{store.Schema}\"", ex);
            }
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return store;
    }

    /// <inheritdoc />
    protected override async ValueTask<SessionCommitResult> CommitAsync(SessionCommit commit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        const string Doing = "committing a completion";
        await using var connection = await OpenConnectionAsync(Doing, cancellationToken).ConfigureAwait(false);
        NpgsqlTransaction? transaction = null;
        SessionCommitResult result;
        long transactionId;
        try
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            (result, transactionId) = await WriteAsync(connection, transaction, commit, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (CommitHooks.Current.Value?.BeforeCommit is { } beforeCommit)
            {
                await beforeCommit(connection.ProcessID).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            await RollBackQuietlyAsync(transaction).ConfigureAwait(false);
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            if (ex is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable })
            {
                throw LockTimeout(commit, ex);
            }

            if (ServerErrors.IsServerFailure(ex))
            {
                throw ServerErrors.Describe(_server, Doing, ex);
            }

            throw;
        }

        try
        {
            // Past this point the completion is not cancelled: it is applied or it fails.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ServerErrors.IsServerFailure(ex))
        {
            var connectionLost = connection.FullState is System.Data.ConnectionState.Broken or System.Data.ConnectionState.Closed;
            if (!connectionLost)
            {
                // The server answered COMMIT with an error: it rolled the transaction back.
                throw ServerErrors.Describe(_server, Doing, ex);
            }

            switch (await AskWhatBecameOfAsync(transactionId).ConfigureAwait(false))
            {
                case "committed":
                    return result;
                case "aborted":
                    throw new SessionStoreException(_server.Location,
                        $"The connection to the PostgreSQL server {_server.Server} was lost while committing a completion ({ex.Message}); the server reports the transaction rolled back, so nothing was written and the session can be completed again. " +
                        "Check the server's log and the network.", ex);
                case var status:
                    throw new SessionStoreCommitUnconfirmedException(_server.Location,
                        $"The connection to the PostgreSQL server {_server.Server} was lost while committing a completion ({ex.Message}), and the server could not tell whether it landed " +
                        $"(transaction {transactionId.ToString(CultureInfo.InvariantCulture)}: {status ?? "unknown"}). The session counts as completed so it is never written twice; " +
                        "read the store once the server is reachable to see what landed.", ex);
            }
        }
        finally
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
        }

        return result;
    }

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyList<SessionEntry>> ReadSessionsCoreAsync(CancellationToken cancellationToken) =>
        await ReadAsync("reading the sessions", _sql.ReadSessions, [CommandBatch.Text(_agentId)], static async (reader, ct) =>
        {
            var entries = new List<SessionEntry>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                entries.Add(SessionEntry.Parse(reader.GetString(0), Encoding.UTF8.GetBytes(reader.GetString(1))));
            }

            return entries;
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async ValueTask<SessionEntry?> FindSessionCoreAsync(string sessionKey, CancellationToken cancellationToken)
    {
        if (!PostgresNames.IsStorable(sessionKey))
        {
            return null; // a key that cannot be stored (U+0000, a lone surrogate) is simply not found
        }

        return await ReadAsync("reading a session", _sql.FindSession, [CommandBatch.Text(_agentId), CommandBatch.Text(sessionKey)], static async (reader, ct) =>
            await reader.ReadAsync(ct).ConfigureAwait(false) ? SessionEntry.Parse(reader.GetString(0), Encoding.UTF8.GetBytes(reader.GetString(1))) : null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async ValueTask<Transcript?> ReadTranscriptCoreAsync(string sessionId, CancellationToken cancellationToken)
    {
        var lines = await ReadAsync("reading a transcript", _sql.ReadTranscript, [CommandBatch.Text(_agentId), CommandBatch.Uuid(Guid.Parse(sessionId))], static async (reader, ct) =>
        {
            var lines = new List<ReadOnlyMemory<byte>>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                lines.Add(Encoding.UTF8.GetBytes(reader.GetString(0)));
            }

            return lines;
        }, cancellationToken).ConfigureAwait(false);
        return lines.Count == 0 ? null : Transcript.Parse(sessionId, lines);
    }

    /// <inheritdoc />
    protected override async ValueTask<HeartbeatState> ReadHeartbeatStateCoreAsync(CancellationToken cancellationToken) =>
        await ReadAsync("reading the heartbeat state", _sql.ReadHeartbeatState, [CommandBatch.Text(_agentId)], static async (reader, ct) =>
        {
            var tasks = new Dictionary<string, HeartbeatTaskState>(StringComparer.Ordinal);
            var state = new HeartbeatState(null, 0, null, null, tasks);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var lastAck = reader.IsDBNull(1) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(1);
                var count = reader.GetInt32(2);
                var lastAlert = reader.IsDBNull(3) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(3);
                var task = reader.GetString(0);
                if (task.Length == 0)
                {
                    state = new HeartbeatState(lastAck, count, lastAlert, reader.IsDBNull(4) ? null : reader.GetString(4), tasks);
                }
                else
                {
                    tasks[task] = new HeartbeatTaskState(lastAck, count, lastAlert);
                }
            }

            return state;
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async ValueTask<HeartbeatRing> ReadHeartbeatRingCoreAsync(string ringFile, CancellationToken cancellationToken) =>
        await ReadAsync("reading a heartbeat ring", _sql.ReadRing, [CommandBatch.Text(_agentId), CommandBatch.Text(ringFile)], async (reader, ct) =>
        {
            var entries = new List<HeartbeatRingEntry>();
            string? owner = null;
            var max = 0;
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                // '' marks a ring imported without an owner, read as none (as the other engines do).
                owner = reader.GetString(0) is { Length: > 0 } recorded ? recorded : null;
                max = reader.GetInt32(1);
                entries.Add(new HeartbeatRingEntry(
                    reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3) == "ok" ? HeartbeatResult.Ok : HeartbeatResult.Alert, reader.GetString(4)));
            }

            // The newest entry records the ring's bound; a reader never returns more than it.
            if (entries.Count > max)
            {
                entries.RemoveRange(0, entries.Count - max);
            }

            // An empty ring reads as the shared empty list, as on every engine.
            return entries.Count == 0 ? new HeartbeatRing(ringFile, 0, null, []) : new HeartbeatRing(ringFile, max, owner, entries);
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async ValueTask<CronRunLog> ReadCronRunsCoreAsync(string? task, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenConnectionAsync("reading the cron run record", cancellationToken).ConfigureAwait(false);
            await using var batch = new CommandBatch(connection, null, _timeoutSeconds);
            var bound = batch.Query(_sql.ReadCronBound, CommandBatch.Text(_agentId));
            batch.Query(_sql.ReadCronRuns, CommandBatch.Text(_agentId), CommandBatch.Text(task));
            var max = 0;
            var runs = new List<CronRun>();
            await batch.ExecuteAsync(async (index, reader) =>
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (index == bound)
                    {
                        max = reader.GetInt32(0);
                    }
                    else
                    {
                        runs.Add(new CronRun(
                            reader.GetFieldValue<DateTimeOffset>(1),
                            reader.GetString(0),
                            VerdictOf(reader.GetString(2)),
                            reader.GetString(3),
                            TimeSpan.FromMilliseconds(reader.GetInt64(4))));
                    }
                }
            }, cancellationToken).ConfigureAwait(false);
            return max == 0 ? new CronRunLog(0, []) : new CronRunLog(max, runs);
        }
        catch (Exception ex) when (ServerErrors.IsServerFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw ServerErrors.Describe(_server, "reading the cron run record", ex);
        }
    }

    /// <inheritdoc />
    protected override async ValueTask<OccurrenceClaimResult> TryClaimOccurrenceCoreAsync(
        ScheduledOccurrence occurrence, string claimant, DateTimeOffset now, DateTimeOffset leaseUntil, DateTimeOffset retainSince, CancellationToken cancellationToken)
    {
        ThrowIfNotStorable(occurrence.Task, "task");
        ThrowIfNotStorable(claimant, nameof(claimant));
        const string Doing = "claiming an occurrence";
        await using var connection = await OpenConnectionAsync(Doing, cancellationToken).ConfigureAwait(false);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            ClaimRow? existing = null;
            ClaimRow? busy = null;
            await using (var read = new CommandBatch(connection, transaction, _timeoutSeconds))
            {
                read.Statement(_setLockTimeout);
                read.Query("SELECT pg_advisory_xact_lock_shared($1)", CommandBatch.BigInt(_gate));
                read.Query("SELECT pg_advisory_xact_lock($1)", CommandBatch.BigInt(AdvisoryLocks.Claims(Schema, _agentId, occurrence.Task)));
                var claims = read.Query(
                    _sql.ReadClaims,
                    CommandBatch.Text(_agentId), CommandBatch.Text(occurrence.Task), CommandBatch.Time(now), CommandBatch.Time(occurrence.ScheduledAt), CommandBatch.Time(retainSince));
                await read.ExecuteAsync(async (index, reader) =>
                {
                    while (index == claims && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var row = new ClaimRow(
                            occurrence.Task,
                            reader.GetFieldValue<DateTimeOffset>(1),
                            reader.IsDBNull(2) ? null : reader.GetString(2),
                            reader.GetFieldValue<DateTimeOffset>(3),
                            reader.GetInt32(4),
                            reader.GetBoolean(5));
                        if (reader.GetInt32(0) == 0)
                        {
                            existing = row;
                        }
                        else
                        {
                            busy = row;
                        }
                    }
                }, cancellationToken).ConfigureAwait(false);
            }

            // The rules of TryClaimOccurrenceAsync, as every engine applies them.
            if (existing is { Done: true })
            {
                return new OccurrenceClaimResult(OccurrenceClaimStatus.Done, existing.ToPublic());
            }

            if (existing is not null && existing.Claimant != claimant && existing.LeaseUntil > now)
            {
                return new OccurrenceClaimResult(OccurrenceClaimStatus.Held, existing.ToPublic());
            }

            if (existing?.Claimant != claimant && busy is not null)
            {
                return new OccurrenceClaimResult(OccurrenceClaimStatus.TaskBusy, busy.ToPublic());
            }

            var attempt = existing is null ? 1 : existing.Claimant == claimant ? existing.Attempt : existing.Attempt + 1;
            await using (var write = new CommandBatch(connection, transaction, _timeoutSeconds))
            {
                write.Statement(_sql.ForgetOldClaims, CommandBatch.Text(_agentId), CommandBatch.Time(retainSince));
                write.Statement(
                    _sql.UpsertClaim,
                    CommandBatch.Text(_agentId), CommandBatch.Text(occurrence.Task), CommandBatch.Time(occurrence.ScheduledAt), CommandBatch.Text(claimant),
                    CommandBatch.Time(leaseUntil), CommandBatch.Integer(attempt));
                await write.ExecuteAsync(null, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return new OccurrenceClaimResult(OccurrenceClaimStatus.Claimed, new OccurrenceClaim(occurrence.Task, occurrence.ScheduledAt, claimant, leaseUntil, attempt));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RollBackQuietlyAsync(transaction).ConfigureAwait(false);
            if (ex is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable })
            {
                throw new SessionStoreException(_server.Location,
                    $"Timed out after {Seconds(_options.LockTimeout)} s waiting for another host claiming occurrences of task {occurrence.Task} on the PostgreSQL server {_server.Server}; nothing was written. " +
                    "Retry, or raise PostgresSessionStoreOptions.LockTimeout.", ex);
            }

            if (ServerErrors.IsServerFailure(ex))
            {
                throw ServerErrors.Describe(_server, Doing, ex);
            }

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

    /// <inheritdoc />
    protected override ValueTask DisposeAsyncCore() => _dataSource.DisposeAsync();

    /// <summary>Adds every statement of <paramref name="commit"/> to the transaction; returns the result and the transaction's id.</summary>
    private async Task<(SessionCommitResult Result, long TransactionId)> WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, SessionCommit commit, CancellationToken cancellationToken)
    {
        var hooks = CommitHooks.Current.Value;
        var batch = new CommandBatch(connection, transaction, _timeoutSeconds);
        try
        {
            batch.Statement(_setLockTimeout);
            batch.Query("SELECT pg_advisory_xact_lock_shared($1)", CommandBatch.BigInt(_gate));

            string? sessionId = null;
            var continued = false;
            if (commit.Session is { } write)
            {
                // Round trip 1: this key's lock, then its entry as it is now.
                batch.Query("SELECT pg_advisory_xact_lock($1)", CommandBatch.BigInt(AdvisoryLocks.SessionKey(Schema, _agentId, write.Key)));
                var read = batch.Query(_sql.ReadEntryForUpdate, Agent(), CommandBatch.Text(write.Key));
                string? existing = null;
                await batch.ExecuteAsync(async (index, reader) =>
                {
                    if (index == read && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        existing = reader.GetString(0);
                    }
                }, cancellationToken).ConfigureAwait(false);
                await batch.DisposeAsync().ConfigureAwait(false);
                batch = new CommandBatch(connection, transaction, _timeoutSeconds);

                var existingJson = existing is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(existing);
                var existingId = existing is null ? null : SessionWrite.ExistingSessionId(existingJson);
                continued = existingId is not null;
                sessionId = existingId ?? write.ProposedSessionId;
                var entry = write.CreateEntry(existingJson, sessionId);
                var lines = new string[write.MessageLines.Count + 1];
                lines[0] = Encoding.UTF8.GetString(write.CreateHeaderLine(sessionId));
                for (var i = 0; i < write.MessageLines.Count; i++)
                {
                    lines[i + 1] = Encoding.UTF8.GetString(write.MessageLines[i].Span);
                }

                // Round trip 2 starts: the transcript's lock, the entry, the lines.
                batch.Query("SELECT pg_advisory_xact_lock($1)", CommandBatch.BigInt(AdvisoryLocks.Transcript(Schema, _agentId, sessionId.ToLowerInvariant())));
                FailIf(hooks, batch, CommitSteps.Sessions);
                batch.Statement(
                    _sql.UpsertEntry,
                    Agent(), CommandBatch.Text(write.Key), CommandBatch.Text(sessionId), CommandBatch.Text(write.KindName),
                    CommandBatch.Time(WholeMilliseconds(write.UpdatedAt)), CommandBatch.Text(Encoding.UTF8.GetString(entry)));
                FailIf(hooks, batch, CommitSteps.TranscriptEvents);
                batch.Statement(_sql.AppendTranscript, Agent(), CommandBatch.Uuid(Guid.Parse(sessionId)), CommandBatch.TextArray(lines));
            }

            if (commit.HeartbeatState is { } state)
            {
                FailIf(hooks, batch, CommitSteps.HeartbeatState);
                var at = CommandBatch.Time(WholeMilliseconds(state.At));
                if (state.IsAck)
                {
                    batch.Statement(_sql.HeartbeatAck, Agent(), CommandBatch.Text(state.Task), at);
                }
                else
                {
                    batch.Statement(_sql.HeartbeatAlert, Agent(), CommandBatch.Text(state.Task), at, CommandBatch.Text(PostgresNames.DisplayText(state.AlertSummary ?? string.Empty)));
                }
            }

            var ringResult = -1;
            if (commit.Ring is { } ring)
            {
                batch.Query("SELECT pg_advisory_xact_lock($1)", CommandBatch.BigInt(AdvisoryLocks.Ring(Schema, _agentId, ring.RingFile)));
                FailIf(hooks, batch, CommitSteps.RingEntries);
                ringResult = batch.Query(
                    _sql.AppendRing,
                    Agent(), CommandBatch.Text(ring.RingFile), CommandBatch.Text(ring.Owner), CommandBatch.Integer(ring.RingSize), CommandBatch.Time(ring.Entry.Timestamp),
                    CommandBatch.Text(ring.Entry.Result == HeartbeatResult.Ok ? "ok" : "alert"), CommandBatch.Text(PostgresNames.DisplayText(ring.Entry.Summary)));
                batch.Statement(_sql.BoundRing, Agent(), CommandBatch.Text(ring.RingFile), CommandBatch.BigInt(ring.RingSize));
            }

            if (commit.CronRun is { } cron)
            {
                var run = cron.Run;
                batch.Query("SELECT pg_advisory_xact_lock($1)", CommandBatch.BigInt(AdvisoryLocks.CronTask(Schema, _agentId, run.Task)));
                FailIf(hooks, batch, CommitSteps.CronRuns);
                batch.Statement(
                    _sql.AppendCronRun,
                    Agent(), CommandBatch.Text(run.Task), CommandBatch.Time(run.Timestamp), CommandBatch.Text(VerdictName(run.Verdict)),
                    CommandBatch.Text(PostgresNames.DisplayText(run.Summary)), CommandBatch.BigInt((long)run.Duration.TotalMilliseconds), CommandBatch.Integer(cron.RunsToKeep));
                batch.Statement(_sql.BoundCronRuns, Agent(), CommandBatch.Text(run.Task), CommandBatch.BigInt(cron.RunsToKeep));
            }

            var doneResult = -1;
            if (commit.CompletesOccurrence is { } occurrence)
            {
                ThrowIfNotStorable(occurrence.Task, "task");
                batch.Query("SELECT pg_advisory_xact_lock($1)", CommandBatch.BigInt(AdvisoryLocks.Claims(Schema, _agentId, occurrence.Task)));
                FailIf(hooks, batch, CommitSteps.OccurrenceClaims);
                var retainSince = commit.CompletedAt - _options.OccurrenceRetention;
                doneResult = batch.Query(_sql.MarkOccurrenceDone, Agent(), CommandBatch.Text(occurrence.Task), CommandBatch.Time(occurrence.ScheduledAt), CommandBatch.Time(retainSince));
                batch.Statement(_sql.ForgetOldClaims, Agent(), CommandBatch.Time(retainSince));
            }

            var transactionIdResult = batch.Query("SELECT txid_current()");
            string? otherOwner = null;
            var alreadyDone = false;
            string? completedBy = null;
            long transactionId = 0;
            await batch.ExecuteAsync(async (index, reader) =>
            {
                if (index == ringResult && await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.IsDBNull(1))
                {
                    otherOwner = reader.GetString(0);
                }
                else if (index == doneResult && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    alreadyDone = true;
                    completedBy = reader.IsDBNull(0) ? null : reader.GetString(0);
                }
                else if (index == transactionIdResult && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    transactionId = reader.GetInt64(0);
                }
            }, cancellationToken).ConfigureAwait(false);

            if (otherOwner is not null)
            {
                var append = commit.Ring!;
                throw new HeartbeatRingOwnershipException(
                    $"{append.RingFile} (agent \"{AgentFileNameRules.Printable(_agentId)}\" in {_server.Server}, schema \"{Schema}\")", otherOwner, append.Owner);
            }

            if (alreadyDone)
            {
                // Another host completed the occurrence first; the caller rolls the whole transaction back.
                throw new OccurrenceAlreadyDoneException(_server.Location, commit.CompletesOccurrence!, completedBy);
            }

            return (new SessionCommitResult(sessionId, continued), transactionId);
        }
        finally
        {
            await batch.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>After the connection dropped during COMMIT: the server's word on the transaction, or <see langword="null"/> when it cannot be asked.</summary>
    private async Task<string?> AskWhatBecameOfAsync(long transactionId)
    {
        if (transactionId == 0)
        {
            return null;
        }

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        for (var attempt = 0; !patience.IsCancellationRequested; attempt++)
        {
            try
            {
                // A new physical connection: the pooled ones may have died with the one that dropped.
                var builder = new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString) { Pooling = false };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(patience.Token).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT txid_status($1)", connection);
                command.Parameters.Add(CommandBatch.BigInt(transactionId));
                var status = await command.ExecuteScalarAsync(patience.Token).ConfigureAwait(false) as string;
                if (status != "in progress")
                {
                    return status;
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidParameterValue)
            {
                // "transaction ID … is in the future": the server restarted without ever logging it, so it cannot have committed.
                return "aborted";
            }
            catch (Exception ex) when (ServerErrors.IsServerFailure(ex) || ex is OperationCanceledException)
            {
                // Not reachable (yet): try again until patience runs out.
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 50 << Math.Min(attempt, 5))), patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return null;
    }

    private async ValueTask<T> ReadAsync<T>(string doing, string sql, NpgsqlParameter[] parameters, Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(doing, cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = _timeoutSeconds };
            command.Parameters.AddRange(parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await read(reader, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ServerErrors.IsServerFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw ServerErrors.Describe(_server, doing, ex);
        }
    }

    private async ValueTask<NpgsqlConnection> OpenConnectionAsync(string doing, CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ServerErrors.IsServerFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw ServerErrors.Describe(_server, doing, ex);
        }
    }

    private SessionStoreException LockTimeout(SessionCommit commit, Exception ex)
    {
        var what = commit.Session is { } session ? $"session {AgentFileNameRules.Printable(session.Key)}" : "the heartbeat ring or cron task";
        return new SessionStoreException(_server.Location,
            $"Timed out after {Seconds(_options.LockTimeout)} s waiting for another writer of {what} (agent \"{AgentFileNameRules.Printable(_agentId)}\") on the PostgreSQL server {_server.Server}; nothing was written. " +
            "Another node is still writing it, or holds the agent's write lock: retry, or raise PostgresSessionStoreOptions.LockTimeout.", ex);
    }

    /// <summary>The agent id as a statement's parameter (a parameter belongs to one statement).</summary>
    private NpgsqlParameter Agent() => CommandBatch.Text(_agentId);

    private static void FailIf(CommitHooks? hooks, CommandBatch batch, string step)
    {
        if (hooks?.FailStep?.Invoke(step) == true)
        {
            // Raised by the server inside the transaction, after the statements before it ran: what a full disk would do.
            batch.Statement($"DO $$BEGIN RAISE EXCEPTION 'could not extend {step}: No space left on device (simulated failure)' USING ERRCODE = 'disk_full'; END$$");
        }
    }

    private static async ValueTask RollBackQuietlyAsync(NpgsqlTransaction? transaction)
    {
        if (transaction is null)
        {
            return;
        }

        try
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ServerErrors.IsServerFailure(ex) || ex is InvalidOperationException)
        {
            // A broken connection: the server rolls back on its own.
        }
    }

    private static void ThrowIfNotStorable(string name, string paramName)
    {
        if (PostgresNames.FindNameProblem(name, int.MaxValue) is { } problem)
        {
            throw new ArgumentException($"\"{AgentFileNameRules.Printable(name)}\" cannot be stored: {problem}. Nothing was written.", paramName);
        }
    }

    private static DateTimeOffset WholeMilliseconds(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    private static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string VerdictName(CronRunVerdict verdict) => verdict switch
    {
        CronRunVerdict.Output => "output",
        CronRunVerdict.Silent => "silent",
        CronRunVerdict.Failed => "failed",
        _ => "skipped",
    };

    private static CronRunVerdict VerdictOf(string name) => name switch
    {
        "output" => CronRunVerdict.Output,
        "silent" => CronRunVerdict.Silent,
        "failed" => CronRunVerdict.Failed,
        _ => CronRunVerdict.Skipped,
    };

    /// <summary>A claim as stored; <see cref="Claimant"/> is null for an occurrence marked done without a claim.</summary>
    private sealed record ClaimRow(string Task, DateTimeOffset At, string? Claimant, DateTimeOffset LeaseUntil, int Attempt, bool Done)
    {
        public OccurrenceClaim ToPublic() => new(Task, At, Claimant ?? string.Empty, LeaseUntil, Attempt);
    }
}
