using System.Buffers;
using System.Text.Json;
using SessionKinds.Persistence.Json;

namespace SessionKinds.Engines;

/// <summary>
/// Everything one completion writes, decided by the store from the session's route: the session's entry and transcript
/// lines, the heartbeat state, a ring entry and a cron run record, each present only when the route writes it. An engine
/// (<see cref="SessionStore.CommitAsync"/>) applies all of its parts or none of them. Commits are created by
/// <see cref="SessionStore"/> only; engines read them.
/// </summary>
public sealed class SessionCommit
{
    internal SessionCommit(
        DateTimeOffset completedAt, SessionWrite? session, HeartbeatStateUpdate? heartbeatState, HeartbeatRingAppend? ring, CronRunAppend? cronRun, ScheduledOccurrence? completesOccurrence = null)
    {
        CompletedAt = completedAt;
        Session = session;
        HeartbeatState = heartbeatState;
        Ring = ring;
        CronRun = cronRun;
        CompletesOccurrence = completesOccurrence;
    }

    /// <summary>When the completion happened, from the store's clock.</summary>
    public DateTimeOffset CompletedAt { get; }

    /// <summary>The session's entry and transcript lines, or <see langword="null"/> when the route persists no session (an ack, a silent cron run).</summary>
    public SessionWrite? Session { get; }

    /// <summary>The heartbeat state update, or <see langword="null"/>.</summary>
    public HeartbeatStateUpdate? HeartbeatState { get; }

    /// <summary>The ring entry to append, or <see langword="null"/>.</summary>
    public HeartbeatRingAppend? Ring { get; }

    /// <summary>The cron run to record, or <see langword="null"/>.</summary>
    public CronRunAppend? CronRun { get; }

    /// <summary>
    /// A scheduled occurrence this commit completes, or <see langword="null"/>: it is marked done in the same unit (a claim
    /// is created as done when there is none), so no host runs it again once what the run wrote has landed.
    /// </summary>
    public ScheduledOccurrence? CompletesOccurrence { get; }

    /// <summary>Whether the commit writes nothing at all.</summary>
    public bool IsEmpty => Targets == PersistTargets.None && CompletesOccurrence is null;

    /// <summary>What this commit writes.</summary>
    public PersistTargets Targets =>
        (Session is null ? PersistTargets.None : PersistTargets.SessionEntry | PersistTargets.Transcript)
        | (HeartbeatState is null ? PersistTargets.None : PersistTargets.HeartbeatState)
        | (Ring is null ? PersistTargets.None : PersistTargets.HeartbeatRing)
        | (CronRun is null ? PersistTargets.None : PersistTargets.CronRun);
}

/// <summary>
/// A session's entry and transcript lines. The key continues its session when it already has an entry whose
/// <c>sessionId</c> is a UUID (<see cref="ExistingSessionId"/>); otherwise <see cref="ProposedSessionId"/> starts one.
/// </summary>
public sealed class SessionWrite
{
    private readonly long _updatedAtMs;
    private readonly long _startedAtMs;

    internal SessionWrite(string key, SessionKind kind, string proposedSessionId, DateTimeOffset startedAt, DateTimeOffset updatedAt, IReadOnlyList<ReadOnlyMemory<byte>> messageLines)
    {
        Key = key;
        Kind = kind;
        ProposedSessionId = proposedSessionId;
        StartedAt = startedAt;
        UpdatedAt = updatedAt;
        MessageLines = messageLines;
        _startedAtMs = startedAt.ToUnixTimeMilliseconds();
        _updatedAtMs = updatedAt.ToUnixTimeMilliseconds();
    }

    /// <summary>The session key (validated: never a path).</summary>
    public string Key { get; }

    /// <summary>The session's kind; stored lower-case in the entry's <c>kind</c> field.</summary>
    public SessionKind Kind { get; }

    /// <summary>The on-disk name of <see cref="Kind"/>: <c>user</c>, <c>heartbeat</c>, <c>cron</c> or <c>subagent</c>.</summary>
    public string KindName => SessionKindNames.ToName(Kind);

    /// <summary>The new session id (a UUID) used when the key has no entry with a valid <c>sessionId</c>.</summary>
    public string ProposedSessionId { get; }

    /// <summary>When the session started (the transcript header's time for a new session).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The entry's new <c>updatedAt</c> (stored in epoch milliseconds).</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>The transcript lines to append, in order: each one compact UTF-8 JSON object without a line break.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> MessageLines { get; }

    /// <summary>
    /// The session id stored in an existing entry when it is a UUID (so it is safe to continue and to use as a file name),
    /// otherwise <see langword="null"/> (the entry is then updated with <see cref="ProposedSessionId"/>).
    /// </summary>
    public static string? ExistingSessionId(ReadOnlyMemory<byte> entryJson)
    {
        if (!RawJsonObject.TryParseValue(entryJson, out var entry))
        {
            return null;
        }

        var id = JsonValues.ReadString(entry, SessionEntryFields.SessionId);
        return SessionKeys.IsCanonicalSessionId(id) ? id : null;
    }

    /// <summary>
    /// The entry's new JSON, compact: <paramref name="existingEntryJson"/> (empty for a new entry) with <c>sessionId</c>,
    /// <c>kind</c> and <c>updatedAt</c> set in place and every other field kept byte for byte. An existing value that is
    /// not a JSON object is replaced by a new entry.
    /// </summary>
    public byte[] CreateEntry(ReadOnlyMemory<byte> existingEntryJson, string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var buffer = new ArrayBufferWriter<byte>(existingEntryJson.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer, JsonValues.LineWriterOptions))
        {
            WriteEntry(writer, existingEntryJson, sessionId);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the entry's new JSON (see <see cref="CreateEntry"/>) into a larger document, in that writer's format.</summary>
    internal void WriteEntry(Utf8JsonWriter writer, ReadOnlyMemory<byte> existingEntryJson, string sessionId)
    {
        RawJsonObject? existing = null;
        if (!existingEntryJson.IsEmpty && RawJsonObject.TryParseValue(existingEntryJson, out var parsed))
        {
            existing = parsed;
        }

        new JsonObjectRewrite()
            .Set(SessionEntryFields.SessionId, sessionId)
            .Set(SessionEntryFields.Kind, KindName)
            .Set(SessionEntryFields.UpdatedAt, _updatedAtMs)
            .WriteTo(writer, existing);
    }

    /// <summary>The transcript's header line for a session that has no transcript yet (compact UTF-8 JSON, no line break).</summary>
    public byte[] CreateHeaderLine(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return TranscriptLines.Header(sessionId, Key, Kind, _startedAtMs);
    }
}

/// <summary>One heartbeat result for the heartbeat state: agent-wide and under <see cref="Task"/>.</summary>
public sealed class HeartbeatStateUpdate
{
    internal HeartbeatStateUpdate(string task, bool isAck, DateTimeOffset at, string? alertSummary)
    {
        Task = task;
        IsAck = isAck;
        At = at;
        AlertSummary = alertSummary;
    }

    /// <summary>The heartbeat task's name.</summary>
    public string Task { get; }

    /// <summary>An acknowledgement (sets the last ack and counts one more consecutive OK) or an alert (sets the last alert, resets the count).</summary>
    public bool IsAck { get; }

    /// <summary>When it happened (stored in epoch milliseconds).</summary>
    public DateTimeOffset At { get; }

    /// <summary>An alert's summary (the new last alert summary), or <see langword="null"/> for an ack (the last alert summary stays).</summary>
    public string? AlertSummary { get; }
}

/// <summary>An entry to append to a heartbeat ring, bounded to <see cref="RingSize"/> in the same commit.</summary>
public sealed class HeartbeatRingAppend
{
    internal HeartbeatRingAppend(string ringFile, int ringSize, string owner, HeartbeatRingEntry entry)
    {
        RingFile = ringFile;
        RingSize = ringSize;
        Owner = owner;
        Entry = entry;
    }

    /// <summary>The ring's name (a plain file name; the file in an agent folder).</summary>
    public string RingFile { get; }

    /// <summary>How many entries the ring keeps after this append (the oldest fall out); also its recorded <c>maxEntries</c>.</summary>
    public int RingSize { get; }

    /// <summary>
    /// The writing task. A ring records its owner; one owned by another task is never written: the engine throws
    /// <see cref="HeartbeatRingOwnershipException"/> and the whole commit is abandoned.
    /// </summary>
    public string Owner { get; }

    /// <summary>The entry (its timestamp is whole seconds).</summary>
    public HeartbeatRingEntry Entry { get; }
}

/// <summary>A cron run to record, bounded per task to <see cref="RunsToKeep"/> in the same commit.</summary>
public sealed class CronRunAppend
{
    internal CronRunAppend(int runsToKeep, CronRun run)
    {
        RunsToKeep = runsToKeep;
        Run = run;
    }

    /// <summary>How many runs of the same task the record keeps after this one (the oldest fall out).</summary>
    public int RunsToKeep { get; }

    /// <summary>The run (its timestamp is whole seconds, its duration whole milliseconds).</summary>
    public CronRun Run { get; }
}

/// <summary>What an engine reports after applying a <see cref="SessionCommit"/>.</summary>
/// <param name="SessionId">The session id used: the existing one when the key continued its session, else the proposed one; <see langword="null"/> when the commit wrote no session.</param>
/// <param name="ContinuedExistingSession">Whether the key already had an entry whose session was continued.</param>
/// <param name="ArchivePath">An archive the commit wrote when it rotated the store (agent folders only), otherwise <see langword="null"/>.</param>
public readonly record struct SessionCommitResult(string? SessionId, bool ContinuedExistingSession, string? ArchivePath = null);
