namespace SessionKinds;

/// <summary>What a reply is, by the rules of its session kind.</summary>
public enum ReplyVerdict
{
    /// <summary>A user or subagent reply: always persisted.</summary>
    Conversation = 0,

    /// <summary>A heartbeat acknowledgement: not persisted as a session.</summary>
    Ack = 1,

    /// <summary>A heartbeat alert: persisted.</summary>
    Alert = 2,

    /// <summary>A cron run with output: persisted.</summary>
    Output = 3,

    /// <summary>A silent cron run: not persisted as a session.</summary>
    Silent = 4,
}

/// <summary>The files a completed session writes to.</summary>
[Flags]
public enum PersistTargets
{
    /// <summary>Nothing is written.</summary>
    None = 0,

    /// <summary>The session's entry in <c>sessions.json</c>.</summary>
    SessionEntry = 1,

    /// <summary>The transcript <c>&lt;sessionId&gt;.jsonl</c>.</summary>
    Transcript = 2,

    /// <summary><c>heartbeat-state.json</c>.</summary>
    HeartbeatState = 4,

    /// <summary>The heartbeat task's ring file.</summary>
    HeartbeatRing = 8,
}

/// <summary>The routing decision for one reply: its verdict, the files it goes to, and (for alerts) a summary.</summary>
/// <param name="Verdict">What the reply is.</param>
/// <param name="Targets">Where it is persisted.</param>
/// <param name="Summary">
/// A short summary for the heartbeat ring: an alert's text without the token, or the note left beside an ack's token
/// (at most <see cref="SessionRoutes.SummaryMaxChars"/> characters); otherwise <see langword="null"/>.
/// </param>
public readonly record struct ReplyRoute(ReplyVerdict Verdict, PersistTargets Targets, string? Summary);
