using System.Diagnostics;

namespace SessionKinds;

/// <summary>
/// The routing table of DESIGN §4: what a reply of each session kind persists and where. Generated task
/// classes call these from their <c>Route</c> implementation; <see cref="AgentStore.Complete"/> applies the result.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>kind / reply</term><description>targets</description></listheader>
/// <item><term>user, subagent</term><description>session entry + transcript (verdict <see cref="ReplyVerdict.Conversation"/>)</description></item>
/// <item><term>heartbeat ack</term><description>heartbeat state + ring, nothing else (<see cref="ReplyVerdict.Ack"/>)</description></item>
/// <item><term>heartbeat alert</term><description>session entry + transcript + heartbeat state + ring (<see cref="ReplyVerdict.Alert"/>)</description></item>
/// <item><term>cron output</term><description>session entry + transcript (<see cref="ReplyVerdict.Output"/>)</description></item>
/// <item><term>cron silent</term><description>nothing (<see cref="ReplyVerdict.Silent"/>)</description></item>
/// </list>
/// </remarks>
public static class SessionRoutes
{
    /// <summary>The longest <see cref="ReplyRoute.Summary"/> a route carries; longer text is cut and ends with "…".</summary>
    public const int SummaryMaxChars = 200;

    private const PersistTargets Session = PersistTargets.SessionEntry | PersistTargets.Transcript;
    private const PersistTargets HeartbeatFiles = PersistTargets.HeartbeatState | PersistTargets.HeartbeatRing;

    /// <summary>A user session: always persisted.</summary>
    public static ReplyRoute User(string reply) => new(ReplyVerdict.Conversation, Session, null);

    /// <summary>A subagent session: always persisted, so the parent gets the result.</summary>
    public static ReplyRoute Subagent(string reply) => new(ReplyVerdict.Conversation, Session, null);

    /// <summary>
    /// A heartbeat session: an ack updates only the heartbeat state and ring; an alert is also persisted as a
    /// session. <see cref="ReplyRoute.Summary"/> is the reply without the token, shortened to
    /// <see cref="SummaryMaxChars"/> (for an ack, the note left beside the token, or <see langword="null"/>).
    /// </summary>
    /// <param name="reply">The reply text.</param>
    /// <param name="ackMaxChars">The task's <see cref="HeartbeatSessionAttribute.AckMaxChars"/> (0 or more).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ackMaxChars"/> is negative.</exception>
    public static ReplyRoute Heartbeat(string reply, int ackMaxChars)
    {
        var result = HeartbeatAck.Classify(reply, ackMaxChars);
        var summary = result.Text.Length == 0 ? null : Shorten(result.Text);
        return result.IsAck
            ? new ReplyRoute(ReplyVerdict.Ack, HeartbeatFiles, summary)
            : new ReplyRoute(ReplyVerdict.Alert, Session | HeartbeatFiles, summary);
    }

    /// <summary>A cron session: a silent run persists nothing; a run with output is persisted.</summary>
    public static ReplyRoute Cron(string reply) =>
        CronReply.IsSilent(reply)
            ? new ReplyRoute(ReplyVerdict.Silent, PersistTargets.None, null)
            : new ReplyRoute(ReplyVerdict.Output, Session, null);

    /// <summary>Routes a reply by kind with the default settings (heartbeat: <c>AckMaxChars</c> = 300).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is <see cref="SessionKind.Unspecified"/> or not a defined kind.</exception>
    public static ReplyRoute ForKind(SessionKind kind, string reply)
    {
        SessionKindNames.ThrowIfNotDefined(kind, nameof(kind));
        return kind switch
        {
            SessionKind.User => User(reply),
            SessionKind.Heartbeat => Heartbeat(reply, HeartbeatSessionAttribute.DefaultAckMaxChars),
            SessionKind.Cron => Cron(reply),
            SessionKind.Subagent => Subagent(reply),
            _ => throw new UnreachableException(),
        };
    }

    /// <summary>Shortens a summary to at most <see cref="SummaryMaxChars"/> characters, ending with "…" when cut.</summary>
    public static string Shorten(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.Length <= SummaryMaxChars)
        {
            return text;
        }

        var cut = SummaryMaxChars - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut).TrimEnd(), "…");
    }
}
