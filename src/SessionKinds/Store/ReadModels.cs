namespace SessionKinds;

/// <summary>One entry of <c>sessions.json</c>, as read.</summary>
/// <param name="Key">The session key (the property name).</param>
/// <param name="SessionId">The <c>sessionId</c> field when it is a string, otherwise <see langword="null"/>.</param>
/// <param name="Kind">The <c>kind</c> field, or <see cref="SessionKind.Unspecified"/> when it is missing or not a known kind.</param>
/// <param name="UpdatedAt">The <c>updatedAt</c> field (epoch milliseconds) when it is a valid timestamp.</param>
/// <param name="Json">The entry's JSON exactly as stored, including fields this library does not know.</param>
public sealed record SessionEntry(string Key, string? SessionId, SessionKind Kind, DateTimeOffset? UpdatedAt, string Json);

/// <summary>The content of <c>heartbeat-state.json</c>. A missing file reads as no heartbeat yet.</summary>
/// <param name="LastAck">When the last acknowledgement was recorded.</param>
/// <param name="ConsecutiveOks">Acknowledgements since the last alert (<c>consecutiveOKs</c>).</param>
/// <param name="LastAlert">When the last alert was recorded.</param>
/// <param name="LastAlertSummary">The summary of the last alert.</param>
/// <param name="Tasks">The same figures per heartbeat task (by task name; explicit-kind sessions under <see cref="HeartbeatRingNames.ExplicitKindOwner"/>).</param>
public sealed record HeartbeatState(
    DateTimeOffset? LastAck,
    int ConsecutiveOks,
    DateTimeOffset? LastAlert,
    string? LastAlertSummary,
    IReadOnlyDictionary<string, HeartbeatTaskState> Tasks);

/// <summary>The heartbeat figures of one task.</summary>
/// <param name="LastAck">When the task's last acknowledgement was recorded.</param>
/// <param name="ConsecutiveOks">The task's acknowledgements since its last alert.</param>
/// <param name="LastAlert">When the task's last alert was recorded.</param>
public sealed record HeartbeatTaskState(DateTimeOffset? LastAck, int ConsecutiveOks, DateTimeOffset? LastAlert);

/// <summary>The result of one heartbeat run, as recorded in a ring file.</summary>
public enum HeartbeatResult
{
    /// <summary>An acknowledgement (<c>"ok"</c>).</summary>
    Ok = 0,

    /// <summary>An alert (<c>"alert"</c>).</summary>
    Alert = 1,
}

/// <summary>One ring entry.</summary>
/// <param name="Timestamp">When the run completed (the file stores epoch seconds).</param>
/// <param name="Result">Ack or alert.</param>
/// <param name="Summary">A short summary (empty for a bare ack).</param>
public sealed record HeartbeatRingEntry(DateTimeOffset Timestamp, HeartbeatResult Result, string Summary);

/// <summary>A heartbeat ring file, as read. A missing file reads as an empty ring with <see cref="MaxEntries"/> 0.</summary>
/// <param name="RingFile">The ring file name inside the agent folder.</param>
/// <param name="MaxEntries">The ring's capacity (repaired when the file holds an invalid value).</param>
/// <param name="Task">The task that owns the ring, when recorded.</param>
/// <param name="Entries">The entries, oldest first, never more than <paramref name="MaxEntries"/>.</param>
public sealed record HeartbeatRing(string RingFile, int MaxEntries, string? Task, IReadOnlyList<HeartbeatRingEntry> Entries);

/// <summary>A transcript <c>&lt;sessionId&gt;.jsonl</c>, as read.</summary>
/// <param name="SessionId">The session id.</param>
/// <param name="Header">The first <c>"type":"session"</c> line, when present.</param>
/// <param name="Messages">The <c>"type":"message"</c> lines, in order.</param>
/// <param name="SkippedLines">Lines that did not parse (fragments torn by a crash) and were skipped.</param>
public sealed record Transcript(string SessionId, TranscriptHeader? Header, IReadOnlyList<TranscriptMessage> Messages, int SkippedLines);

/// <summary>The header line of a transcript.</summary>
/// <param name="SessionId">The session id recorded in the header.</param>
/// <param name="Key">The session key.</param>
/// <param name="Kind">The session kind.</param>
/// <param name="Timestamp">When the session started.</param>
public sealed record TranscriptHeader(string SessionId, string Key, SessionKind Kind, DateTimeOffset Timestamp);

/// <summary>One message line of a transcript.</summary>
/// <param name="Role"><c>user</c> or <c>assistant</c>.</param>
/// <param name="Content">The message text.</param>
/// <param name="Timestamp">When the message was recorded.</param>
public sealed record TranscriptMessage(string Role, string Content, DateTimeOffset Timestamp);
