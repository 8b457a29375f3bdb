using SessionKinds.Persistence.Files;
using SessionKinds.Persistence.Files.Locking;
using SessionKinds.Persistence.Json;
using SessionKinds.Engines;

namespace SessionKinds;

/// <summary>
/// The zero-dependency store: one agent folder holding <c>sessions.json</c>, <c>&lt;sessionId&gt;.jsonl</c> transcripts,
/// <c>heartbeat-state.json</c>, heartbeat ring files, <c>cron-runs.json</c>, <c>sessions-&lt;timestamp&gt;.json.gz</c>
/// archives (the format gateways and their tools already read) and, for hosts that share the folder,
/// <c>schedule-claims.json</c>.
/// </summary>
/// <remarks>
/// <para>A completion lands as a unit: every file it changes is staged beside its target and flushed, the commit is
/// recorded, then the files are renamed into place; a process killed at any point leaves either all of them or none
/// (the next writer finishes or undoes what the record says). Readers never see a torn or empty file; a reader racing a
/// writer may see the files of one completion land a moment apart.</para>
/// <para>Every read-modify-write runs under the folder lock (an in-process gate plus <c>.sessionkinds.lock</c>, released by
/// the operating system when its owner dies; see <see cref="FileSessionStoreOptions.LockTimeout"/>) after reading the files
/// again, so threads and processes sharing a folder lose no update. Waiting for the lock is asynchronous and cancellable.
/// Files are read as JSON plus what the gateway's own JSON5 reader took in hand-edited files: <c>//</c> and <c>/* */</c>
/// comments, trailing commas and a UTF-8 BOM; the next rewrite writes strict JSON (values with a comment or a trailing
/// comma are rewritten without them, every other value byte for byte), and a key that appears twice keeps its last value.
/// A file that does not parse even so (truncated, not an object, not UTF-8, nested deeper than 256 levels) is moved aside
/// (<see cref="SessionStoreCorruptFileException"/>), never overwritten. Files are created owner-only (0600) on Unix.</para>
/// <para>Symbolic links in the folder never make the store write outside it: files replaced by rename (<c>sessions.json</c>,
/// <c>heartbeat-state.json</c>, rings, <c>cron-runs.json</c>) are read through a link and the next rewrite replaces the link
/// itself with a regular file, leaving its target as it was; a transcript or lock file that is a link is refused with a
/// <see cref="SessionStoreException"/> naming it, and nothing is written.</para>
/// </remarks>
public sealed class FileSessionStore : SessionStore
{
    private readonly FileSessionStoreOptions _options;
    private readonly FolderLock _lock;
    private readonly SessionsFile _sessions;
    private readonly HeartbeatRingFile _rings;

    /// <summary>
    /// Opens (and creates, owner-only on Unix) the agent folder. When no other writer is active, a completion a killed
    /// writer left half done is finished or undone and its temp files are deleted (this creates the lock files
    /// <c>.sessionkinds.lock</c> and <c>.sessionkinds.lock.owner</c>). Nothing else is written until a session completes.
    /// </summary>
    /// <param name="agentFolder">The agent folder; relative paths are resolved against the current directory.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="agentFolder"/> is empty, or a setting is out of range.</exception>
    /// <exception cref="SessionStoreException">The folder cannot be created.</exception>
    public FileSessionStore(string agentFolder, FileSessionStoreOptions? options = null)
        : this((options ?? new FileSessionStoreOptions()).Snapshot(), agentFolder)
    {
    }

    // The options are a private copy (Snapshot), validated by the base constructor before anything else runs.
    private FileSessionStore(FileSessionStoreOptions options, string agentFolder)
        : base(options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentFolder);
        _options = options;
        Folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(agentFolder));
        try
        {
            DurableFile.EnsureFolder(Folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SessionStoreException(Folder, $"Could not create the agent folder {Folder}: {ex.Message} Check the path and its permissions.", ex);
        }

        _lock = new FolderLock(Folder, _options.LockTimeout);
        _sessions = new SessionsFile(Folder, _options);
        _rings = new HeartbeatRingFile(Folder, _options.Time);
        CleanUpAfterCrash();
    }

    /// <summary>The agent folder's full path.</summary>
    public string Folder { get; }

    /// <summary>The full path of <c>sessions.json</c>.</summary>
    public string SessionsPath => _sessions.Path;

    /// <summary>The full path of <c>heartbeat-state.json</c>.</summary>
    public string HeartbeatStatePath => Path.Combine(Folder, AgentFileNameRules.HeartbeatState);

    /// <summary>The full path of <c>cron-runs.json</c>.</summary>
    public string CronRunsPath => Path.Combine(Folder, AgentFileNameRules.CronRuns);

    /// <summary>The full path of <c>schedule-claims.json</c>, the occurrence claims of hosts sharing this folder.</summary>
    public string OccurrenceClaimsPath => Path.Combine(Folder, AgentFileNameRules.OccurrenceClaims);

    /// <summary>The full path of the folder's lock file.</summary>
    public string LockFilePath => _lock.LockPath;

    /// <summary>The full path of the transcript of <paramref name="sessionId"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is not a UUID.</exception>
    public string TranscriptPath(string sessionId)
    {
        SessionKeys.ValidateSessionId(sessionId, nameof(sessionId));
        return Path.Combine(Folder, TranscriptFile.FileName(sessionId));
    }

    /// <summary>The full path of a heartbeat ring file.</summary>
    /// <exception cref="ArgumentException"><paramref name="ringFile"/> is not a plain file name.</exception>
    public string RingPath(string ringFile = HeartbeatSessionAttribute.DefaultRingFile)
    {
        ArgumentNullException.ThrowIfNull(ringFile);
        if (AgentFileNameRules.FindFileNameProblem(ringFile) is { } problem)
        {
            throw new ArgumentException($"Ring \"{AgentFileNameRules.Printable(ringFile)}\" is not a plain file name: {problem}.", nameof(ringFile));
        }

        return _rings.PathOf(ringFile);
    }

    /// <summary>The full paths of the <c>sessions-*.json.gz</c> archives, newest first.</summary>
    public IReadOnlyList<string> ListArchives()
    {
        ThrowIfDisposed();
        return SessionArchives.ListArchives(Folder).ConvertAll(static a => a.Path);
    }

    /// <summary>
    /// Removes session entries and their transcripts, e.g. to compact a store that other tools let grow. Under the folder
    /// lock every write takes, as one commit: first a <c>sessions-&lt;timestamp&gt;.json.gz</c> backup holding the current
    /// <c>sessions.json</c> byte for byte, then <c>sessions.json</c> without the removed entries, every other entry copied
    /// byte for byte (a key that appeared twice is written once, with its last value). An entry is removed only while it is
    /// still exactly as given (its key and <see cref="SessionEntry.Json"/>): one that a writer changed or removed since it
    /// was read is left alone and reported in <see cref="SessionRemoval.SkippedKeys"/>. Once the commit has landed and
    /// before the lock is released, the transcripts (<c>&lt;sessionId&gt;.jsonl</c>) of the removed entries are deleted,
    /// except one that a remaining entry still refers to.
    /// </summary>
    /// <param name="entries">The entries to remove, as read (<see cref="SessionStore.ReadSessionsAsync"/> or <see cref="SessionEntry.Parse"/>).</param>
    /// <param name="cancellationToken">Cancels waiting for the lock; nothing is written then.</param>
    /// <returns>What was done. When no entry is removed, nothing is written and no backup is made.</returns>
    /// <exception cref="SessionStoreException">
    /// <c>sessions.json</c> is a symbolic link, or does not parse (it is left in place, not moved aside), or a file could
    /// not be read or written; nothing was changed.
    /// </exception>
    public async ValueTask<SessionRemoval> RemoveSessionsAsync(IEnumerable<SessionEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ThrowIfDisposed();
        var wanted = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            wanted[entry.Key] = System.Text.Encoding.UTF8.GetBytes(entry.Json);
        }

        using var held = await _lock.AcquireAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        FolderCommit.Recover(Folder, held);
        return SessionRemover.Remove(Folder, SessionsPath, _sessions.Archives, held, wanted);
    }

    /// <inheritdoc />
    protected override async ValueTask<SessionCommitResult> CommitAsync(SessionCommit commit, CancellationToken cancellationToken)
    {
        using var held = await _lock.AcquireAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        FolderCommit.Recover(Folder, held);
        return Apply(commit, held);
    }

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyList<SessionEntry>> ReadSessionsCoreAsync(CancellationToken cancellationToken) =>
        SessionsFile.ReadEntries(await LoadAsync(SessionsPath, SessionsFile.Parse, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    protected override async ValueTask<SessionEntry?> FindSessionCoreAsync(string sessionKey, CancellationToken cancellationToken) =>
        SessionsFile.Find(await LoadAsync(SessionsPath, SessionsFile.Parse, cancellationToken).ConfigureAwait(false), sessionKey);

    /// <inheritdoc />
    protected override ValueTask<Transcript?> ReadTranscriptCoreAsync(string sessionId, CancellationToken cancellationToken) =>
        new(TranscriptFile.Read(Path.Combine(Folder, TranscriptFile.FileName(sessionId)), sessionId));

    /// <inheritdoc />
    /// <remarks>
    /// Repair rules (applied when reading and on the next write, never a crash): a timestamp that is not an integer in
    /// 0..253402300799999 ms reads as absent and is dropped on the next write; a <c>consecutiveOKs</c> that is not an
    /// integer in 0..2147483647 reads as 0 and counting restarts there; the count saturates at 2147483647; a <c>tasks</c>
    /// value (or a task's value) that is not an object is replaced. Other fields are kept byte for byte.
    /// </remarks>
    protected override async ValueTask<HeartbeatState> ReadHeartbeatStateCoreAsync(CancellationToken cancellationToken) =>
        HeartbeatStateFile.Read(await LoadAsync(HeartbeatStatePath, HeartbeatStateFile.Parse, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    /// <remarks>
    /// Repair rules: a <c>maxEntries</c> that is not an integer in 1..10000 reads as the number of entries present; only the
    /// newest <c>maxEntries</c> entries are returned; entries that are not objects with a <c>result</c> of <c>ok</c> or
    /// <c>alert</c> are skipped (and kept in the file); an invalid <c>ts</c> reads as the epoch. Writers always rewrite
    /// <c>maxEntries</c> with their task's <c>RingSize</c> and drop the oldest entries beyond it.
    /// </remarks>
    protected override async ValueTask<HeartbeatRing> ReadHeartbeatRingCoreAsync(string ringFile, CancellationToken cancellationToken) =>
        _rings.Read(await LoadAsync(_rings.PathOf(ringFile), HeartbeatRingFile.Parse, cancellationToken).ConfigureAwait(false), ringFile);

    /// <inheritdoc />
    protected override async ValueTask<CronRunLog> ReadCronRunsCoreAsync(string? task, CancellationToken cancellationToken) =>
        CronRunsFile.Read(await LoadAsync(CronRunsPath, CronRunsFile.Parse, cancellationToken).ConfigureAwait(false), task);

    /// <inheritdoc />
    protected override async ValueTask<OccurrenceClaimResult> TryClaimOccurrenceCoreAsync(
        ScheduledOccurrence occurrence, string claimant, DateTimeOffset now, DateTimeOffset leaseUntil, DateTimeOffset retainSince, CancellationToken cancellationToken)
    {
        using var held = await _lock.AcquireAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        FolderCommit.Recover(Folder, held);
        var claims = JsonFile.LoadForUpdate(OccurrenceClaimsPath, Time, OccurrenceClaimsFile.Parse);
        var (result, content) = OccurrenceClaimsFile.Claim(claims, occurrence, claimant, now, leaseUntil, retainSince);
        if (content is not null)
        {
            var commit = new FolderCommit(Folder, held);
            try
            {
                commit.Replace(OccurrenceClaimsPath, content);
                commit.Apply();
            }
            catch
            {
                commit.Abandon();
                throw;
            }
        }

        return result;
    }

    /// <summary>Stages every file the commit changes, then applies them as one unit (see <see cref="FolderCommit"/>).</summary>
    private SessionCommitResult Apply(SessionCommit commit, FolderLock.Held held)
    {
        // Load (and check) every file the commit touches before writing anything: a corrupt or foreign file stops it whole.
        var ring = commit.Ring is { } ringAppend ? _rings.LoadForUpdate(ringAppend.RingFile, ringAppend.Owner) : null;
        var state = commit.HeartbeatState is not null ? JsonFile.LoadForUpdate(HeartbeatStatePath, Time, HeartbeatStateFile.Parse) : null;
        var runs = commit.CronRun is not null ? JsonFile.LoadForUpdate(CronRunsPath, Time, CronRunsFile.Parse) : null;
        var claims = commit.CompletesOccurrence is not null ? JsonFile.LoadForUpdate(OccurrenceClaimsPath, Time, OccurrenceClaimsFile.Parse) : null;
        RawJsonObject? index = null;
        string? sessionId = null;
        var continued = false;
        if (commit.Session is { } write)
        {
            index = JsonFile.LoadForUpdate(SessionsPath, Time, SessionsFile.Parse);
            var existing = SessionsFile.FindSessionId(index, write.Key);
            continued = existing is not null;
            sessionId = existing ?? write.ProposedSessionId;
        }

        var folderCommit = new FolderCommit(Folder, held);
        string? archive = null;
        try
        {
            if (commit.Session is { } session)
            {
                archive = _sessions.Stage(folderCommit, index, session, sessionId!);
            }

            if (commit.HeartbeatState is { } stateUpdate)
            {
                HeartbeatStateFile.Stage(folderCommit, HeartbeatStatePath, state, stateUpdate);
            }

            if (commit.Ring is { } append)
            {
                _rings.Stage(folderCommit, ring!, append);
            }

            if (commit.CronRun is { } run)
            {
                CronRunsFile.Stage(folderCommit, CronRunsPath, runs, run);
            }

            if (commit.CompletesOccurrence is { } occurrence)
            {
                folderCommit.Replace(OccurrenceClaimsPath, OccurrenceClaimsFile.MarkDone(claims, occurrence, commit.CompletedAt - _options.OccurrenceRetention));
            }

            if (commit.Session is { } lines)
            {
                var transcript = Path.Combine(Folder, TranscriptFile.FileName(sessionId!));
                folderCommit.AppendTranscript(transcript, TranscriptFile.Prepare(transcript, lines, sessionId!));
            }

            folderCommit.Apply();
        }
        catch
        {
            folderCommit.Abandon();
            _rings.Forget();
            throw;
        }

        _rings.Remember();
        if (archive is not null)
        {
            _sessions.Archives.PruneArchives();
        }

        return new SessionCommitResult(sessionId, continued, archive);
    }

    private ValueTask<T?> LoadAsync<T>(string path, Func<ReadOnlyMemory<byte>, T> parse, CancellationToken cancellationToken)
        where T : class => JsonFile.LoadForReadAsync(path, Time, _lock, parse, cancellationToken);

    private void CleanUpAfterCrash()
    {
        // Temp files and commit records are only written under the lock, so they are safe to act on only while holding
        // it. When another writer holds it right now, skip: that writer (or the next open) cleans up.
        FolderLock.Held? held;
        try
        {
            held = _lock.TryAcquireNow();
        }
        catch (SessionStoreException)
        {
            return; // e.g. a read-only folder: nothing can be changed anyway, and writes will report it.
        }

        if (held is not null)
        {
            using (held)
            {
                FolderCommit.Recover(Folder, held);
                DurableFile.DeleteLeftoverTempFiles(Folder);
            }
        }
    }
}
