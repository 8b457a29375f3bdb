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

/// <summary>What a completed session writes.</summary>
[Flags]
public enum PersistTargets
{
    /// <summary>Nothing is written.</summary>
    None = 0,

    /// <summary>The session's entry (in <c>sessions.json</c> for an agent folder).</summary>
    SessionEntry = 1,

    /// <summary>The session's transcript (<c>&lt;sessionId&gt;.jsonl</c> for an agent folder).</summary>
    Transcript = 2,

    /// <summary>The heartbeat state (<c>heartbeat-state.json</c> for an agent folder).</summary>
    HeartbeatState = 4,

    /// <summary>The heartbeat task's ring.</summary>
    HeartbeatRing = 8,

    /// <summary>The cron task's run record (<c>cron-runs.json</c> in an agent folder).</summary>
    CronRun = 16,
}

/// <summary>The routing decision for one reply: its verdict, what it persists, and a summary.</summary>
/// <param name="Verdict">What the reply is.</param>
/// <param name="Targets">Where it is persisted.</param>
/// <param name="Summary">
/// A short summary (at most <see cref="SessionRoutes.SummaryMaxChars"/> characters): for a heartbeat, an alert's text
/// without the token or the note left beside an ack's token; for cron output, the reply; otherwise <see langword="null"/>.
/// </param>
public readonly record struct ReplyRoute(ReplyVerdict Verdict, PersistTargets Targets, string? Summary);
