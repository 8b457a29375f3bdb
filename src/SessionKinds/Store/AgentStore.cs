using SessionKinds.Internal;

namespace SessionKinds;

/// <summary>
/// The persistence of one agent folder, routed by session kind (DESIGN §4–§6): <c>sessions.json</c>,
/// <c>&lt;sessionId&gt;.jsonl</c> transcripts, <c>heartbeat-state.json</c>, heartbeat ring files and
/// <c>sessions-&lt;timestamp&gt;.json.gz</c> archives.
/// </summary>
/// <remarks>
/// <para>Every JSON rewrite is atomic (temp file in the folder, flushed to disk, renamed over the target) and every
/// read-modify-write runs under the folder lock (in-process gate plus <c>.sessionkinds.lock</c>, see
/// <see cref="AgentStoreOptions.LockTimeout"/>) after re-reading the file, so threads and processes sharing a folder lose
/// no update. A file that does not parse is moved aside (<see cref="AgentStoreCorruptFileException"/>), never overwritten.
/// Files are created owner-only (0600) on Unix.</para>
/// <para>Symbolic links in the folder never make the store write outside it: files replaced atomically
/// (<c>sessions.json</c>, <c>heartbeat-state.json</c>, rings) are read through a link and the next rewrite replaces the
/// link itself with a regular file, leaving its target as it was; a transcript or lock file that is a link is refused with
/// an <see cref="AgentStoreException"/> naming it, and nothing is written.</para>
/// <para>Instances are thread-safe. Several instances, in one or several processes, may share a folder.</para>
/// </remarks>
public sealed class AgentStore : IDisposable
{
    private readonly AgentStoreOptions _options;
    private readonly FolderLock _lock;
    private readonly SessionIndexStore _sessions;
    private readonly HeartbeatStateStore _heartbeatState;
    private readonly HeartbeatRingStore _rings;
    private volatile bool _disposed;

    /// <summary>
    /// Opens (and creates, owner-only on Unix) the agent folder. When no other writer is active, temp files left by a
    /// crashed writer are deleted (this creates the lock files <c>.sessionkinds.lock</c> and <c>.sessionkinds.lock.owner</c>).
    /// Nothing else is written until a session completes.
    /// </summary>
    /// <param name="agentFolder">The agent folder; relative paths are resolved against the current directory.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="agentFolder"/> is empty, or an option is out of range.</exception>
    /// <exception cref="AgentStoreException">The folder cannot be created.</exception>
    public AgentStore(string agentFolder, AgentStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentFolder);
        _options = (options ?? new AgentStoreOptions()).Snapshot();
        Folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(agentFolder));
        try
        {
            DurableFile.EnsureFolder(Folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentStoreException(Folder, $"Could not create the agent folder {Folder}: {ex.Message} Check the path and its permissions.", ex);
        }

        _lock = new FolderLock(Folder, _options.LockTimeout);
        _sessions = new SessionIndexStore(Folder, _options, _lock);
        _heartbeatState = new HeartbeatStateStore(Folder, _options.Time, _lock);
        _rings = new HeartbeatRingStore(Folder, _options.Time, _lock);
        CleanUpAfterCrash();
    }

    /// <summary>The agent folder's full path.</summary>
    public string Folder { get; }

    /// <summary>The full path of <c>sessions.json</c>.</summary>
    public string SessionsPath => _sessions.Path;

    /// <summary>The full path of <c>heartbeat-state.json</c>.</summary>
    public string HeartbeatStatePath => _heartbeatState.Path;

    /// <summary>The full path of the folder's lock file.</summary>
    public string LockFilePath => _lock.LockPath;

    /// <summary>The store's clock.</summary>
    public TimeProvider Time => _options.Time;

    /// <summary>
    /// Starts a session of task <typeparamref name="TTask"/> (its kind and route are generated; no reflection).
    /// Writes nothing to disk.
    /// </summary>
    /// <param name="sessionKey">The session key, e.g. <c>agent:main:main</c>: not empty, at most 512 characters, no <c>/</c>,
    /// <c>\</c>, <c>..</c>, control characters or Windows device names (<c>:</c> is fine).</param>
    /// <param name="prompt">The prompt the session answers, recorded as the user message when the session is persisted.</param>
    /// <exception cref="ArgumentException"><paramref name="sessionKey"/> is not valid; the message names it.</exception>
    /// <exception cref="InvalidOperationException">The task's generated description is invalid (e.g. heartbeat settings out of range).</exception>
    public SessionHandle StartSession<TTask>(string sessionKey, string? prompt = null)
        where TTask : ISessionTask
    {
        ThrowIfDisposed();
        AgentFolderNames.ValidateSessionKey(sessionKey, nameof(sessionKey));
        return NewHandle(SessionBinding.For<TTask>(), sessionKey, prompt);
    }

    /// <summary>
    /// Starts a session with an explicit kind (for hosts that route dynamic work), with the default settings of that
    /// kind; heartbeat sessions use the default ring file and record <see cref="HeartbeatRingNames.ExplicitKindOwner"/> as
    /// its owner. Writes nothing to disk.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is <see cref="SessionKind.Unspecified"/> or not a defined kind.</exception>
    /// <exception cref="ArgumentException"><paramref name="sessionKey"/> is not valid; the message names it.</exception>
    public SessionHandle StartSession(SessionKind kind, string sessionKey, string? prompt = null)
    {
        ThrowIfDisposed();
        var binding = SessionBinding.ForKind(kind);
        AgentFolderNames.ValidateSessionKey(sessionKey, nameof(sessionKey));
        return NewHandle(binding, sessionKey, prompt);
    }

    /// <summary>
    /// Completes a session with its reply and persists exactly what the route says (DESIGN §4): user, subagent, cron
    /// output and heartbeat alerts get a <c>sessions.json</c> entry and transcript lines; a heartbeat ack only rewrites
    /// <c>heartbeat-state.json</c> and the task's ring (it never reads or writes <c>sessions.json</c> or a transcript);
    /// a silent cron run writes nothing. A key that already has an entry continues that session.
    /// </summary>
    /// <remarks>
    /// Every file the route needs is read (and checked: corrupt files, ring ownership) before anything is written. Then, under
    /// the folder lock: transcript lines (appended and flushed), <c>sessions.json</c> (atomic, rotating when over
    /// <see cref="AgentStoreOptions.RotateAtBytes"/>), <c>heartbeat-state.json</c>, the ring. When a write fails the
    /// exception names the file; files written before it stay written, except the transcript lines, which are removed
    /// again when <c>sessions.json</c> cannot be written. The handle can then be completed again.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="session"/> belongs to another store.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="session"/> was already completed.</exception>
    /// <exception cref="HeartbeatRingOwnershipException">The heartbeat ring file belongs to another task; nothing was written.</exception>
    /// <exception cref="AgentStoreException">A file could not be read or written; the message names it.</exception>
    public SessionOutcome Complete(SessionHandle session, TaskReply reply)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(reply);
        ThrowIfDisposed();
        if (!ReferenceEquals(session.Store, this))
        {
            throw new ArgumentException($"{session} was started by the store of {session.Store.Folder}; complete it there.", nameof(session));
        }

        session.BeginComplete();
        var succeeded = false;
        try
        {
            var outcome = Persist(session, reply.Text);
            succeeded = true;
            return outcome;
        }
        finally
        {
            session.EndComplete(succeeded);
        }
    }

    /// <summary>Starts a session of <paramref name="task"/>, runs it, and completes it with its reply. If the task throws, nothing is written.</summary>
    public async ValueTask<SessionOutcome> RunAsync<TTask>(TTask task, string sessionKey, string? prompt = null, CancellationToken cancellationToken = default)
        where TTask : IAgentTask, ISessionTask
    {
        ArgumentNullException.ThrowIfNull(task);
        var session = StartSession<TTask>(sessionKey, prompt);
        var context = new TaskContext(session.Key, session.SessionId, session.Kind, session.StartedAt, prompt, _options.Time);
        var reply = await task.RunAsync(context, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{typeof(TTask).FullName}.RunAsync returned null; return a TaskReply (an empty reply is fine).");
        return Complete(session, reply);
    }

    /// <summary>The ring writer of heartbeat task <typeparamref name="TTask"/>, bound to its ring file and size.</summary>
    /// <exception cref="InvalidOperationException">The task's heartbeat settings are invalid.</exception>
    public HeartbeatRingWriter<TTask> HeartbeatRing<TTask>()
        where TTask : IHeartbeatSessionTask
    {
        ThrowIfDisposed();
        var name = TTask.SessionInfo?.Name ?? typeof(TTask).FullName ?? typeof(TTask).Name;
        var settings = TTask.Heartbeat;
        SessionBinding.ThrowIfInvalid(name, settings);
        return new HeartbeatRingWriter<TTask>(this, name, settings!);
    }

    /// <summary>All entries of <c>sessions.json</c>, in file order (empty when the file does not exist).</summary>
    /// <remarks>
    /// Reads do not take the folder lock (files are replaced atomically, so a reader always sees a whole file). A UTF-8 BOM
    /// is accepted (and not written back). A key that appears twice keeps its first position and its last value, and the
    /// next rewrite keeps only that one. An entry that is not an object, or whose <c>sessionId</c> is not a UUID, is kept
    /// as it is; a session completing under its key starts a new session id (other fields kept).
    /// </remarks>
    /// <exception cref="AgentStoreCorruptFileException">The file does not parse; it was moved aside.</exception>
    public IReadOnlyList<SessionEntry> ReadSessions()
    {
        ThrowIfDisposed();
        return _sessions.LoadForRead().ReadEntries();
    }

    /// <summary>The entry of <paramref name="sessionKey"/>, or <see langword="null"/>.</summary>
    public SessionEntry? FindSession(string sessionKey)
    {
        ArgumentNullException.ThrowIfNull(sessionKey);
        ThrowIfDisposed();
        return _sessions.LoadForRead().Find(sessionKey);
    }

    /// <summary>The content of <c>heartbeat-state.json</c> (empty figures when the file does not exist).</summary>
    /// <remarks>
    /// Repair rules (applied when reading and on the next write, never a crash): a timestamp that is not an integer in
    /// 0..253402300799999 ms reads as absent and is dropped on the next write; a <c>consecutiveOKs</c> that is not an
    /// integer in 0..2147483647 reads as 0 and counting restarts there; the count saturates at 2147483647; a <c>tasks</c>
    /// value (or a task's value) that is not an object is replaced. Other fields are kept byte for byte.
    /// </remarks>
    public HeartbeatState ReadHeartbeatState()
    {
        ThrowIfDisposed();
        return _heartbeatState.Read();
    }

    /// <summary>Reads a heartbeat ring file (default <c>heartbeat-ring.json</c>).</summary>
    /// <remarks>
    /// Repair rules: a <c>maxEntries</c> that is not an integer in 1..10000 reads as the number of entries present; only the
    /// newest <c>maxEntries</c> entries are returned; entries that are not objects with a <c>result</c> of <c>ok</c> or
    /// <c>alert</c> are skipped (and kept in the file); an invalid <c>ts</c> reads as the epoch. Writers always rewrite
    /// <c>maxEntries</c> with their task's <c>RingSize</c> and drop the oldest entries beyond it.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="ringFile"/> is not a plain file name in the folder.</exception>
    public HeartbeatRing ReadHeartbeatRing(string ringFile = HeartbeatSessionAttribute.DefaultRingFile)
    {
        ThrowIfDisposed();
        ValidateRingFile(ringFile);
        return _rings.Read(ringFile);
    }

    /// <summary>Reads the transcript of <paramref name="sessionId"/>, or <see langword="null"/> when it does not exist.</summary>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is not a UUID.</exception>
    public Transcript? ReadTranscript(string sessionId)
    {
        ThrowIfDisposed();
        AgentFolderNames.ValidateSessionId(sessionId, nameof(sessionId));
        return TranscriptFile.Read(TranscriptPath(sessionId), sessionId);
    }

    /// <summary>The full path of the transcript of <paramref name="sessionId"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is not a UUID.</exception>
    public string TranscriptPath(string sessionId)
    {
        AgentFolderNames.ValidateSessionId(sessionId, nameof(sessionId));
        return Path.Combine(Folder, AgentFolderNames.TranscriptFileName(sessionId));
    }

    /// <summary>The full paths of the <c>sessions-*.json.gz</c> archives, newest first.</summary>
    public IReadOnlyList<string> ListArchives()
    {
        ThrowIfDisposed();
        return SessionStoreRotator.ListArchives(Folder).ConvertAll(static a => a.Path);
    }

    /// <summary>Marks the store disposed; it holds no file open between operations.</summary>
    public void Dispose() => _disposed = true;

    internal HeartbeatRingEntry AppendRing(string owner, string ringFile, int ringSize, HeartbeatResult result, string? summary)
    {
        ThrowIfDisposed();
        var text = summary is null ? string.Empty : Utf16Text.Sanitize(SessionRoutes.Shorten(summary));
        using (_lock.Acquire())
        {
            var ring = _rings.LoadForUpdate(ringFile, owner);
            var now = _options.Time.GetUtcNow();
            _rings.Append(ringFile, ring, ringSize, owner, result, text, now.ToUnixTimeSeconds());
            return new HeartbeatRingEntry(DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()), result, text);
        }
    }

    private SessionHandle NewHandle(SessionBinding binding, string sessionKey, string? prompt) =>
        new(this, binding, sessionKey, Guid.NewGuid().ToString("D"), _options.Time.GetUtcNow(), prompt);

    private SessionOutcome Persist(SessionHandle session, string replyText)
    {
        var binding = session.Binding;
        var route = binding.Route(replyText);
        var targets = route.Targets;
        if (binding.Heartbeat is null)
        {
            // Only heartbeat sessions have a state and a ring to write.
            targets &= ~(PersistTargets.HeartbeatState | PersistTargets.HeartbeatRing);
        }

        var outcome = new SessionOutcome(session.Key, session.SessionId, session.Kind, route.Verdict, PersistTargets.None, route.Summary);
        if (targets == PersistTargets.None)
        {
            return outcome;
        }

        using (_lock.Acquire())
        {
            var now = _options.Time.GetUtcNow();
            var nowMs = now.ToUnixTimeMilliseconds();

            // Load (and check) everything before writing anything, so a corrupt or foreign file stops the whole write.
            HeartbeatRingStore.Ring? ring = null;
            if ((targets & PersistTargets.HeartbeatRing) != 0)
            {
                ring = _rings.LoadForUpdate(binding.Heartbeat!.RingFile, binding.RingOwner);
            }

            var writeState = (targets & PersistTargets.HeartbeatState) != 0;
            var state = writeState ? _heartbeatState.LoadForUpdate() : null;

            var sessionId = session.SessionId;
            var continued = false;
            string? archive = null;
            if ((targets & (PersistTargets.SessionEntry | PersistTargets.Transcript)) != 0)
            {
                var index = _sessions.LoadForUpdate();
                if (index.FindSessionId(session.Key) is string existing)
                {
                    sessionId = existing;
                    continued = true;
                }

                var transcriptPath = Path.Combine(Folder, AgentFolderNames.TranscriptFileName(sessionId));
                long? transcriptLength = null;
                if ((targets & PersistTargets.Transcript) != 0)
                {
                    var prompt = session.Prompt is null ? null : Utf16Text.Sanitize(session.Prompt);
                    transcriptLength = TranscriptFile.Append(
                        transcriptPath,
                        new TranscriptAppend(sessionId, session.Key, session.Kind, prompt, Utf16Text.Sanitize(replyText), session.StartedAt.ToUnixTimeMilliseconds(), nowMs));
                }

                if ((targets & PersistTargets.SessionEntry) != 0)
                {
                    index.Upsert(session.Key, sessionId, session.Kind, nowMs);
                    try
                    {
                        archive = _sessions.Save(index);
                    }
                    catch (AgentStoreException) when (transcriptLength is long previous)
                    {
                        // The session is not recorded, so neither are its lines (a kill here leaves them, harmlessly).
                        TranscriptFile.RollBack(transcriptPath, previous);
                        throw;
                    }
                }
            }

            var isAck = route.Verdict == ReplyVerdict.Ack;
            var summary = route.Summary is null ? null : Utf16Text.Sanitize(route.Summary);
            if (writeState)
            {
                _heartbeatState.Save(state, binding.RingOwner, isAck, nowMs, isAck ? null : summary ?? SessionRoutes.Shorten(Utf16Text.Sanitize(replyText)), 512);
            }

            if (ring is not null)
            {
                var ringSummary = summary ?? (isAck ? string.Empty : SessionRoutes.Shorten(Utf16Text.Sanitize(replyText)));
                _rings.Append(binding.Heartbeat!.RingFile, ring, binding.Heartbeat.RingSize, binding.RingOwner, isAck ? HeartbeatResult.Ok : HeartbeatResult.Alert, ringSummary, now.ToUnixTimeSeconds());
            }

            return outcome with { SessionId = sessionId, Written = targets, ContinuedExistingSession = continued, ArchivePath = archive };
        }
    }

    private void CleanUpAfterCrash()
    {
        // Temp files are only created under the lock, so deleting them is safe only while holding it. When another
        // writer holds it right now, skip: that writer's own next open (or ours) cleans up.
        FolderLock.Held? held;
        try
        {
            held = _lock.TryAcquireNow();
        }
        catch (AgentStoreException)
        {
            return; // e.g. a read-only folder: nothing can be deleted anyway, and writes will report it.
        }

        if (held is FolderLock.Held h)
        {
            using (h)
            {
                DurableFile.DeleteLeftoverTempFiles(Folder);
            }
        }
    }

    private static void ValidateRingFile(string ringFile)
    {
        ArgumentNullException.ThrowIfNull(ringFile);
        var problem = AgentFileNameRules.FindFileNameProblem(ringFile);
        if (problem is not null)
        {
            throw new ArgumentException($"Ring file \"{AgentFileNameRules.Printable(ringFile)}\" is not a plain file name in the agent folder: {problem}.", nameof(ringFile));
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
