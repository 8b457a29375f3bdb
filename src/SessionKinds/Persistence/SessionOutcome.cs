namespace SessionKinds;

/// <summary>What completing a session did.</summary>
/// <param name="Key">The session key.</param>
/// <param name="SessionId">The session id actually used: the existing one when the key already had an entry, otherwise the handle's new id.</param>
/// <param name="Kind">The session kind.</param>
/// <param name="Verdict">What the reply is (conversation, ack, alert, output, silent).</param>
/// <param name="Written">What was written.</param>
/// <param name="Summary">The route's summary (heartbeat alerts and notes, cron output), otherwise <see langword="null"/>.</param>
public sealed record SessionOutcome(string Key, string SessionId, SessionKind Kind, ReplyVerdict Verdict, PersistTargets Written, string? Summary)
{
    /// <summary>Whether the session continued an existing entry.</summary>
    public bool ContinuedExistingSession { get; init; }

    /// <summary>The archive written when this completion rotated an agent folder's <c>sessions.json</c>, otherwise <see langword="null"/>.</summary>
    public string? ArchivePath { get; init; }
}
