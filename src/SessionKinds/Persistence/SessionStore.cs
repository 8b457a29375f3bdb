using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using SessionKinds.Engines;

namespace SessionKinds;

/// <summary>
/// One agent's sessions, persisted by kind. Starting a session writes nothing; completing it writes exactly what its
/// route says, as one unit: the session's entry and transcript lines, the heartbeat state, a ring entry and a cron run
/// record all land, or none does. Reads and writes are asynchronous; waiting for another writer is awaited and can be
/// cancelled, and a cancelled or failed completion leaves nothing written.
/// </summary>
/// <remarks>
/// <para>The routing table, applied by every engine alike:</para>
/// <list type="table">
/// <listheader><term>kind / reply</term><description>what is written</description></listheader>
/// <item><term>user, subagent</term><description>entry + transcript</description></item>
/// <item><term>heartbeat ack</term><description>heartbeat state + ring entry <c>ok</c> (never an entry or a transcript)</description></item>
/// <item><term>heartbeat alert</term><description>entry + transcript + heartbeat state (consecutive OKs reset) + ring entry <c>alert</c></description></item>
/// <item><term>cron output</term><description>entry + transcript + run record <c>output</c></description></item>
/// <item><term>cron silent</term><description>run record <c>silent</c> only</description></item>
/// </list>
/// <para>A key that already has an entry continues that session (same session id, transcript appended, <c>updatedAt</c>
/// bumped); fields of an entry the store does not own are kept. Session keys never become paths: a key with path
/// separators, <c>..</c>, control characters or a device name is rejected before anything is written.</para>
/// <para>Engines: <see cref="FileSessionStore"/> (an agent folder, no dependencies); database engines ship in their own
/// packages. An engine implements <see cref="CommitAsync"/> and the <c>Read…CoreAsync</c> methods; everything else
/// (validation, routing, summaries, the transcript line format) is done here, once, for all of them.</para>
/// <para>Instances are thread-safe.</para>
/// </remarks>
public abstract class SessionStore : IAsyncDisposable
{
    private readonly int _cronRunsToKeep;
    private readonly TimeSpan _occurrenceRetention;
    private int _disposed;

    /// <summary>Creates the store with validated settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    protected SessionStore(SessionStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Time = options.Time;
        _cronRunsToKeep = options.CronRunsToKeep;
        _occurrenceRetention = options.OccurrenceRetention;
    }

    /// <summary>The store's clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Starts a session of task <typeparamref name="TTask"/> (its kind and route are generated; no reflection). Writes nothing.</summary>
    /// <param name="sessionKey">The session key, e.g. <c>agent:main:main</c>: not empty, at most 512 characters, no <c>/</c>,
    /// <c>\</c>, <c>..</c>, control characters or Windows device names (<c>:</c> is fine).</param>
    /// <param name="prompt">The prompt the session answers, recorded as the user message when the session is persisted.</param>
    /// <exception cref="ArgumentException"><paramref name="sessionKey"/> is not valid; the message names it.</exception>
    /// <exception cref="InvalidOperationException">The task's generated description is invalid (e.g. heartbeat settings out of range).</exception>
    [SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads cannot be confused: this one takes a task type argument, the other a SessionKind first.")]
    public SessionHandle StartSession<TTask>(string sessionKey, string? prompt = null)
        where TTask : ISessionTask
    {
        ThrowIfDisposed();
        SessionKeys.ValidateSessionKey(sessionKey, nameof(sessionKey));
        return NewHandle(SessionBinding.For<TTask>(), sessionKey, prompt);
    }

    /// <summary>
    /// Starts a session with an explicit kind (for hosts that route dynamic work), with the default settings of that kind;
    /// heartbeat sessions use the default ring and record <c>SessionKind.Heartbeat</c> as its owner. Writes nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is <see cref="SessionKind.Unspecified"/> or not a defined kind.</exception>
    /// <exception cref="ArgumentException"><paramref name="sessionKey"/> is not valid; the message names it.</exception>
    [SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads cannot be confused: this one takes a SessionKind first, the other a task type argument.")]
    public SessionHandle StartSession(SessionKind kind, string sessionKey, string? prompt = null)
    {
        ThrowIfDisposed();
        var binding = SessionBinding.ForKind(kind);
        SessionKeys.ValidateSessionKey(sessionKey, nameof(sessionKey));
        return NewHandle(binding, sessionKey, prompt);
    }

    /// <summary>
    /// Completes a session with its reply and persists, as one unit, exactly what its route says (see the remarks on
    /// <see cref="SessionStore"/>). A heartbeat ack never touches session entries or transcripts.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="session"/> belongs to another store, or a reply message is invalid (empty role, <c>Data</c> that is not JSON).</exception>
    /// <exception cref="InvalidOperationException"><paramref name="session"/> was already completed (or is being completed).</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the completion was applied; nothing was written and it may be retried.</exception>
    /// <exception cref="HeartbeatRingOwnershipException">The ring belongs to another task; nothing was written.</exception>
    /// <exception cref="SessionStoreCommitUnconfirmedException">The completion reached its commit point but could not be confirmed; the handle counts as completed (see the exception).</exception>
    /// <exception cref="SessionStoreException">The store could not be read or written; the message names what and says what to do. Nothing was written.</exception>
    public async ValueTask<SessionOutcome> CompleteAsync(SessionHandle session, TaskReply reply, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(reply);
        ThrowIfDisposed();
        if (!ReferenceEquals(session.Store, this))
        {
            throw new ArgumentException($"{session} was started by another store; complete it there.", nameof(session));
        }

        session.BeginComplete();
        var succeeded = false;
        try
        {
            var route = session.Binding.Route(reply.Text);
            var commit = CreateCommit(session, reply, route);
            SessionCommitResult result;
            try
            {
                result = commit.IsEmpty ? default : await CommitAsync(commit, cancellationToken).ConfigureAwait(false);
            }
            catch (SessionStoreCommitUnconfirmedException)
            {
                succeeded = true; // it may have landed: never let the same completion be written twice
                throw;
            }

            succeeded = true;
            return new SessionOutcome(session.Key, result.SessionId ?? session.SessionId, session.Kind, route.Verdict, commit.Targets, route.Summary)
            {
                ContinuedExistingSession = result.ContinuedExistingSession,
                ArchivePath = result.ArchivePath,
            };
        }
        finally
        {
            session.EndComplete(succeeded);
        }
    }

    /// <summary>
    /// Starts a session of <paramref name="task"/>, runs it and completes it with its reply. When the task throws (other than
    /// for <paramref name="cancellationToken"/>), no session is written; a cron task's run record then records the run as
    /// <see cref="CronRunVerdict.Failed"/> with the error, and the exception is rethrown (wrapped in an
    /// <see cref="AggregateException"/> with the store's error when the record itself could not be written).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="sessionKey"/> is not valid; nothing ran.</exception>
    public ValueTask<SessionOutcome> RunAsync<TTask>(TTask task, string sessionKey, string? prompt = null, CancellationToken cancellationToken = default)
        where TTask : IAgentTask, ISessionTask
    {
        ArgumentNullException.ThrowIfNull(task);
        return RunCoreAsync(task, StartSession<TTask>(sessionKey, prompt), cancellationToken);
    }

    /// <summary>
    /// Claims one scheduled occurrence of a task for <paramref name="claimant"/>, so that hosts sharing this store run each
    /// occurrence once. The rules, on every engine: an occurrence nobody claimed is claimed; one already run or skipped is
    /// <see cref="OccurrenceClaimStatus.Done"/>; one claimed by another claimant whose lease holds is
    /// <see cref="OccurrenceClaimStatus.Held"/>; one whose lease ran out without it being done is taken over (its
    /// <see cref="OccurrenceClaim.Attempt"/> counts up), so an occurrence whose host died is run by another; the same claimant
    /// claiming again renews its lease (do so while a run outlasts half the lease). While another occurrence of the same
    /// task is claimed and its lease holds, the answer is <see cref="OccurrenceClaimStatus.TaskBusy"/>: one run of a task at a
    /// time, across hosts. Run a claimed occurrence with <see cref="RunOccurrenceAsync"/>; skip one with
    /// <see cref="SkipOccurrenceAsync"/>. Claims older than <see cref="SessionStoreOptions.OccurrenceRetention"/> are removed.
    /// </summary>
    /// <param name="task">The task's name (<see cref="SessionTaskInfo.Name"/>).</param>
    /// <param name="scheduledAt">When the occurrence was due; stored to the millisecond.</param>
    /// <param name="claimant">Who claims, e.g. a host's node id (not empty).</param>
    /// <param name="lease">How long the claim holds without renewal (more than zero).</param>
    /// <param name="cancellationToken">Cancels waiting for the store; nothing is written then.</param>
    public ValueTask<OccurrenceClaimResult> TryClaimOccurrenceAsync(string task, DateTimeOffset scheduledAt, string claimant, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        ArgumentException.ThrowIfNullOrWhiteSpace(claimant);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        ThrowIfDisposed();
        var now = Time.GetUtcNow();
        return TryClaimOccurrenceCoreAsync(new ScheduledOccurrence(task, WholeMilliseconds(scheduledAt)), claimant, now, now + lease, now - _occurrenceRetention, cancellationToken);
    }

    /// <summary>
    /// Runs an occurrence the caller claimed (<see cref="TryClaimOccurrenceAsync"/>), like <see cref="RunAsync"/>, and marks
    /// the occurrence done in the same unit as what the run writes, so no host runs it again once that has landed. A task
    /// that throws marks it done too (a cron task's run record says <c>failed</c>); a run cancelled through
    /// <paramref name="cancellationToken"/> writes nothing and leaves the claim to run out, so the occurrence is run again.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="claim"/> is for another task than <typeparamref name="TTask"/>, or the key is not valid.</exception>
    /// <exception cref="OccurrenceAlreadyDoneException">
    /// Another host completed the occurrence first (this host's claim was lost): nothing was written. Engines check this in
    /// the same unit as the run's writes, so each occurrence is completed exactly once.
    /// </exception>
    public ValueTask<SessionOutcome> RunOccurrenceAsync<TTask>(TTask task, OccurrenceClaim claim, string sessionKey, string? prompt = null, CancellationToken cancellationToken = default)
        where TTask : IAgentTask, ISessionTask
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(claim);
        ThrowIfDisposed();
        var occurrence = OccurrenceOf<TTask>(claim.Task, claim.ScheduledAt, nameof(claim));
        SessionKeys.ValidateSessionKey(sessionKey, nameof(sessionKey));
        return RunCoreAsync(task, NewHandle(SessionBinding.For<TTask>(), sessionKey, prompt, occurrence), cancellationToken);
    }

    /// <summary>
    /// Marks an occurrence of <typeparamref name="TTask"/> done without running it, e.g. because the task was still busy with
    /// an earlier one; a cron task records a <see cref="CronRunVerdict.Skipped"/> run with <paramref name="reason"/>.
    /// </summary>
    /// <exception cref="OccurrenceAlreadyDoneException">The occurrence was already completed; nothing was written.</exception>
    public ValueTask SkipOccurrenceAsync<TTask>(DateTimeOffset scheduledAt, string reason, CancellationToken cancellationToken = default)
        where TTask : ISessionTask
    {
        ArgumentNullException.ThrowIfNull(reason);
        ThrowIfDisposed();
        var binding = SessionBinding.For<TTask>();
        var occurrence = OccurrenceOf<TTask>(binding.Owner, scheduledAt, nameof(scheduledAt));
        return CompleteWithoutSessionAsync(binding, occurrence, CronRunVerdict.Skipped, reason, TimeSpan.Zero, cancellationToken);
    }

    private async ValueTask<SessionOutcome> RunCoreAsync<TTask>(TTask task, SessionHandle session, CancellationToken cancellationToken)
        where TTask : IAgentTask, ISessionTask
    {
        var context = new TaskContext(session.Key, session.SessionId, session.Kind, session.StartedAt, session.Prompt, Time);
        TaskReply reply;
        try
        {
            reply = await task.RunAsync(context, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"{typeof(TTask).FullName}.RunAsync returned null; return a TaskReply (an empty reply is fine).");
        }
        catch (Exception ex) when ((session.Kind == SessionKind.Cron || session.Occurrence is not null)
            && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            try
            {
                await CompleteWithoutSessionAsync(session.Binding, session.Occurrence, CronRunVerdict.Failed, $"{ex.GetType().Name}: {ex.Message}", Time.GetUtcNow() - session.StartedAt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception recordError) when (recordError is SessionStoreException or OperationCanceledException)
            {
                // The task's own failure is what the caller needs; the store's is reported with it.
                throw new AggregateException($"{typeof(TTask).FullName} failed, and its failed run could not be recorded.", ex, recordError);
            }

            throw;
        }

        return await CompleteAsync(session, reply, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a run of cron task <typeparamref name="TTask"/> that did not complete a session, e.g. an occurrence skipped
    /// because the previous run was still going. Completions record their own runs.
    /// </summary>
    /// <param name="verdict">How the run ended (typically <see cref="CronRunVerdict.Skipped"/> or <see cref="CronRunVerdict.Failed"/>).</param>
    /// <param name="summary">Why; shortened to <see cref="SessionRoutes.SummaryMaxChars"/> characters.</param>
    /// <param name="duration">How long it took (zero for a skipped run).</param>
    /// <param name="cancellationToken">Cancels waiting for the store; nothing is written then.</param>
    public ValueTask<CronRun> RecordCronRunAsync<TTask>(CronRunVerdict verdict, string? summary = null, TimeSpan duration = default, CancellationToken cancellationToken = default)
        where TTask : ICronSessionTask
    {
        ThrowIfDisposed();
        if (!Enum.IsDefined(verdict))
        {
            throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "Pass CronRunVerdict.Output, Silent, Failed or Skipped.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        var binding = SessionBinding.For<TTask>();
        return RecordCronRunCoreAsync(binding.Owner, verdict, summary ?? string.Empty, duration, cancellationToken);
    }

    /// <summary>The ring writer of heartbeat task <typeparamref name="TTask"/>, bound to its ring and size.</summary>
    /// <exception cref="InvalidOperationException">The task's heartbeat settings are invalid.</exception>
    public HeartbeatRingWriter<TTask> HeartbeatRing<TTask>()
        where TTask : IHeartbeatSessionTask
    {
        ThrowIfDisposed();
        var (name, settings) = SessionBinding.HeartbeatOf<TTask>();
        return new HeartbeatRingWriter<TTask>(this, name, settings);
    }

    /// <summary>Every session entry, in the engine's order (an agent folder: file order).</summary>
    /// <exception cref="SessionStoreException">The entries could not be read; the message names what and says what to do.</exception>
    public ValueTask<IReadOnlyList<SessionEntry>> ReadSessionsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return ReadSessionsCoreAsync(cancellationToken);
    }

    /// <summary>The entry of <paramref name="sessionKey"/>, or <see langword="null"/>.</summary>
    public ValueTask<SessionEntry?> FindSessionAsync(string sessionKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionKey);
        ThrowIfDisposed();
        return FindSessionCoreAsync(sessionKey, cancellationToken);
    }

    /// <summary>The transcript of <paramref name="sessionId"/>, or <see langword="null"/> when it has none.</summary>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is not a UUID.</exception>
    public ValueTask<Transcript?> ReadTranscriptAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        SessionKeys.ValidateSessionId(sessionId, nameof(sessionId));
        return ReadTranscriptCoreAsync(sessionId, cancellationToken);
    }

    /// <summary>The heartbeat state (empty figures when no heartbeat was recorded yet).</summary>
    public ValueTask<HeartbeatState> ReadHeartbeatStateAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return ReadHeartbeatStateCoreAsync(cancellationToken);
    }

    /// <summary>Reads a heartbeat ring by name (default <c>heartbeat-ring.json</c>); entries oldest first.</summary>
    /// <exception cref="ArgumentException"><paramref name="ringFile"/> is not a plain file name.</exception>
    public ValueTask<HeartbeatRing> ReadHeartbeatRingAsync(string ringFile = HeartbeatSessionAttribute.DefaultRingFile, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ValidateRingFile(ringFile);
        return ReadHeartbeatRingCoreAsync(ringFile, cancellationToken);
    }

    /// <summary>The cron run record, oldest run first: every task's runs, or only those of <paramref name="task"/> (a task name).</summary>
    public ValueTask<CronRunLog> ReadCronRunsAsync(string? task = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return ReadCronRunsCoreAsync(task, cancellationToken);
    }

    /// <summary>Releases what the engine holds (connections, handles). Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await DisposeAsyncCore().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Applies every part of <paramref name="commit"/> as one unit, or none of it. The session part continues the key's
    /// session when its entry has a UUID <c>sessionId</c> (<see cref="SessionWrite.ExistingSessionId"/>), keeps the entry's
    /// other fields (<see cref="SessionWrite.CreateEntry"/>), and starts a transcript with
    /// <see cref="SessionWrite.CreateHeaderLine"/> when the session has none. Ring and run parts are bounded in the same unit.
    /// Waiting for other writers honours <paramref name="cancellationToken"/>; once the commit is applied it is not cancelled.
    /// </summary>
    /// <exception cref="HeartbeatRingOwnershipException">The ring is owned by another task (nothing written).</exception>
    /// <exception cref="SessionStoreCommitUnconfirmedException">The commit point was passed but the commit could not be confirmed as applied.</exception>
    /// <exception cref="SessionStoreException">Any other failure; nothing was written.</exception>
    protected abstract ValueTask<SessionCommitResult> CommitAsync(SessionCommit commit, CancellationToken cancellationToken);

    /// <summary>Reads every session entry.</summary>
    protected abstract ValueTask<IReadOnlyList<SessionEntry>> ReadSessionsCoreAsync(CancellationToken cancellationToken);

    /// <summary>Reads one entry; the key is not validated (a key that cannot exist is simply not found).</summary>
    protected abstract ValueTask<SessionEntry?> FindSessionCoreAsync(string sessionKey, CancellationToken cancellationToken);

    /// <summary>Reads a transcript; the id is a validated UUID. Use <see cref="Transcript.Parse"/> on the stored lines.</summary>
    protected abstract ValueTask<Transcript?> ReadTranscriptCoreAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Reads the heartbeat state.</summary>
    protected abstract ValueTask<HeartbeatState> ReadHeartbeatStateCoreAsync(CancellationToken cancellationToken);

    /// <summary>Reads a ring; the name is a validated plain file name.</summary>
    protected abstract ValueTask<HeartbeatRing> ReadHeartbeatRingCoreAsync(string ringFile, CancellationToken cancellationToken);

    /// <summary>Reads the cron run record, all tasks or one.</summary>
    protected abstract ValueTask<CronRunLog> ReadCronRunsCoreAsync(string? task, CancellationToken cancellationToken);

    /// <summary>
    /// Claims an occurrence by the rules of <see cref="TryClaimOccurrenceAsync"/>, atomically with respect to every other
    /// claimant of this agent, and removes claims of occurrences due before <paramref name="retainSince"/>.
    /// </summary>
    /// <param name="occurrence">The occurrence (its time is whole milliseconds).</param>
    /// <param name="claimant">The claimant.</param>
    /// <param name="now">The store's clock: a lease holds while it is later than this.</param>
    /// <param name="leaseUntil">The new claim's lease.</param>
    /// <param name="retainSince">Claims of occurrences due before this may be removed.</param>
    /// <param name="cancellationToken">Cancels waiting for other writers; nothing is written then.</param>
    protected abstract ValueTask<OccurrenceClaimResult> TryClaimOccurrenceCoreAsync(
        ScheduledOccurrence occurrence, string claimant, DateTimeOffset now, DateTimeOffset leaseUntil, DateTimeOffset retainSince, CancellationToken cancellationToken);

    /// <summary>Releases the engine's resources; called once.</summary>
    protected virtual ValueTask DisposeAsyncCore() => default;

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the store is disposed.</summary>
    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    internal async ValueTask<HeartbeatRingEntry> AppendRingAsync(string owner, string ringFile, int ringSize, HeartbeatResult result, string? summary, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var now = Time.GetUtcNow();
        var entry = new HeartbeatRingEntry(WholeSeconds(now), result, summary is null ? string.Empty : SummaryText.Summarize(summary));
        await CommitAsync(new SessionCommit(now, null, null, new HeartbeatRingAppend(ringFile, ringSize, owner, entry), null), cancellationToken).ConfigureAwait(false);
        return entry;
    }

    private async ValueTask<CronRun> RecordCronRunCoreAsync(string task, CronRunVerdict verdict, string summary, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var run = new CronRun(WholeSeconds(now), task, verdict, SummaryText.Summarize(summary), WholeMilliseconds(duration));
        await CommitAsync(new SessionCommit(now, null, null, null, new CronRunAppend(_cronRunsToKeep, run)), cancellationToken).ConfigureAwait(false);
        return run;
    }

    /// <summary>A run that completes no session: a cron task records it; an occurrence, if any, is marked done with it.</summary>
    private async ValueTask CompleteWithoutSessionAsync(SessionBinding binding, ScheduledOccurrence? occurrence, CronRunVerdict verdict, string summary, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var cronRun = binding.Kind == SessionKind.Cron
            ? new CronRunAppend(_cronRunsToKeep, new CronRun(WholeSeconds(now), binding.Owner, verdict, SummaryText.Summarize(summary), WholeMilliseconds(duration)))
            : null;
        var commit = new SessionCommit(now, null, null, null, cronRun, occurrence);
        if (!commit.IsEmpty)
        {
            await CommitAsync(commit, cancellationToken).ConfigureAwait(false);
        }
    }

    private static ScheduledOccurrence OccurrenceOf<TTask>(string task, DateTimeOffset scheduledAt, string paramName)
        where TTask : ISessionTask
    {
        var owner = SessionBinding.For<TTask>().Owner;
        if (task != owner)
        {
            throw new ArgumentException($"The occurrence is of task {task}, not of {owner}; run each claim with its own task.", paramName);
        }

        return new ScheduledOccurrence(task, WholeMilliseconds(scheduledAt));
    }

    private SessionHandle NewHandle(SessionBinding binding, string sessionKey, string? prompt, ScheduledOccurrence? occurrence = null) =>
        new(this, binding, sessionKey, Guid.NewGuid().ToString("D"), Time.GetUtcNow(), prompt) { Occurrence = occurrence };

    /// <summary>Turns a route into what the engine writes; the one place where the routing table becomes writes.</summary>
    private SessionCommit CreateCommit(SessionHandle session, TaskReply reply, ReplyRoute route)
    {
        var binding = session.Binding;
        var targets = route.Targets;
        if (binding.Heartbeat is null)
        {
            targets &= ~(PersistTargets.HeartbeatState | PersistTargets.HeartbeatRing);
        }

        if (binding.Kind != SessionKind.Cron)
        {
            targets &= ~PersistTargets.CronRun;
        }

        var now = Time.GetUtcNow();
        var isAck = route.Verdict == ReplyVerdict.Ack;
        var summary = route.Summary ?? (isAck ? string.Empty : SummaryText.Summarize(reply.Text));

        SessionWrite? write = null;
        if ((targets & (PersistTargets.SessionEntry | PersistTargets.Transcript)) != 0)
        {
            write = new SessionWrite(session.Key, session.Kind, session.SessionId, session.StartedAt, now, MessageLines(session, reply, now));
        }

        var state = (targets & PersistTargets.HeartbeatState) != 0
            ? new HeartbeatStateUpdate(binding.Owner, isAck, now, isAck ? null : summary)
            : null;
        var ring = (targets & PersistTargets.HeartbeatRing) != 0
            ? new HeartbeatRingAppend(binding.Heartbeat!.RingFile, binding.Heartbeat.RingSize, binding.Owner, new HeartbeatRingEntry(WholeSeconds(now), isAck ? HeartbeatResult.Ok : HeartbeatResult.Alert, summary))
            : null;
        var cronRun = (targets & PersistTargets.CronRun) != 0
            ? new CronRunAppend(_cronRunsToKeep, new CronRun(
                WholeSeconds(now),
                binding.Owner,
                route.Verdict == ReplyVerdict.Silent ? CronRunVerdict.Silent : CronRunVerdict.Output,
                route.Verdict == ReplyVerdict.Silent ? SummaryText.Summarize(reply.Text) : summary,
                WholeMilliseconds(now - session.StartedAt)))
            : null;
        return new SessionCommit(now, write, state, ring, cronRun, session.Occurrence);
    }

    /// <summary>The transcript lines of a reply: its <see cref="TaskReply.Messages"/>, or the prompt and the reply text.</summary>
    private static List<ReadOnlyMemory<byte>> MessageLines(SessionHandle session, TaskReply reply, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var lines = new List<ReadOnlyMemory<byte>>(2);
        if (reply.Messages is { } messages)
        {
            for (var i = 0; i < messages.Count; i++)
            {
                var message = messages[i] ?? throw new ArgumentException($"TaskReply.Messages[{i}] is null.", nameof(reply));
                if (string.IsNullOrWhiteSpace(message.Role))
                {
                    throw new ArgumentException($"TaskReply.Messages[{i}] has no role; use e.g. \"user\", \"assistant\" or \"tool\".", nameof(reply));
                }

                ValidateData(message.Data, i);
                lines.Add(TranscriptLines.Message(SummaryText.Sanitize(message.Role), SummaryText.Sanitize(message.Content ?? string.Empty), nowMs, message.Data));
            }

            return lines;
        }

        if (session.Prompt is { } prompt)
        {
            lines.Add(TranscriptLines.Message(TranscriptLines.UserRole, SummaryText.Sanitize(prompt), session.StartedAt.ToUnixTimeMilliseconds(), null));
        }

        lines.Add(TranscriptLines.Message(TranscriptLines.AssistantRole, SummaryText.Sanitize(reply.Text), nowMs, null));
        return lines;
    }

    private static void ValidateData(string? data, int index)
    {
        if (data is null)
        {
            return;
        }

        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(data), new JsonReaderOptions { MaxDepth = TranscriptLines.MaxDataDepth });
            if (!reader.Read())
            {
                throw new JsonException("it is empty");
            }

            reader.Skip();
            if (reader.Read())
            {
                throw new JsonException("there is more after the first JSON value");
            }
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"TaskReply.Messages[{index}].Data is not one JSON value ({ex.Message}); pass serialized JSON or null.", "reply", ex);
        }
    }

    private static void ValidateRingFile(string ringFile)
    {
        ArgumentNullException.ThrowIfNull(ringFile);
        var problem = AgentFileNameRules.FindFileNameProblem(ringFile);
        if (problem is not null)
        {
            throw new ArgumentException($"Ring \"{AgentFileNameRules.Printable(ringFile)}\" is not a plain file name: {problem}.", nameof(ringFile));
        }
    }

    private static DateTimeOffset WholeSeconds(DateTimeOffset at) => DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds());

    private static TimeSpan WholeMilliseconds(TimeSpan duration) => TimeSpan.FromMilliseconds(Math.Max(0, (long)duration.TotalMilliseconds));

    private static DateTimeOffset WholeMilliseconds(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
}
