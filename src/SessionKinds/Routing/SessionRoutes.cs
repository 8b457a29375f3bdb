using System.Diagnostics;

namespace SessionKinds;

/// <summary>
/// The routing table: what a reply of each session kind persists and where. Generated task classes call these from
/// their <c>Route</c> implementation; <see cref="SessionStore.CompleteAsync"/> applies the result on every engine.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>kind / reply</term><description>targets</description></listheader>
/// <item><term>user, subagent</term><description>session entry + transcript (verdict <see cref="ReplyVerdict.Conversation"/>)</description></item>
/// <item><term>heartbeat ack</term><description>heartbeat state + ring, nothing else (<see cref="ReplyVerdict.Ack"/>)</description></item>
/// <item><term>heartbeat alert</term><description>session entry + transcript + heartbeat state + ring (<see cref="ReplyVerdict.Alert"/>)</description></item>
/// <item><term>cron output</term><description>session entry + transcript + cron run record (<see cref="ReplyVerdict.Output"/>)</description></item>
/// <item><term>cron silent</term><description>cron run record only (<see cref="ReplyVerdict.Silent"/>)</description></item>
/// </list>
/// <para><b>Silent reply</b> (cron silence, and a heartbeat ack): empty or white space; or only <c>NO_REPLY</c> in any
/// case, wrapped in punctuation or markup and possibly repeated (<c>NO_REPLY.</c>, <c>«NO_REPLY»</c>, <c>**no_reply**</c>,
/// <c>NO_REPLY NO_REPLY</c>); or a JSON string <c>"NO_REPLY"</c> or the envelope <c>{"action":"NO_REPLY"}</c> with no
/// other member; or any of these after a reasoning preamble (<c>&lt;think&gt;…&lt;/think&gt;</c>, or a leading
/// <c>think:</c> / <c>thinking:</c> block ending at a blank line). A reply that only mentions the token, a token glued to
/// an emoji or other symbol, or an answer between a preamble and the token is not silent.</para>
/// <para><b>Heartbeat ack</b>: a silent reply; or, once light markup (<c>**</c>, backticks, <c>~</c>, <c>_</c>, simple HTML
/// tags, <c>&amp;nbsp;</c>) is set aside, a reply from which <c>HEARTBEAT_OK</c> (case-sensitive, standing as a word) is
/// removed repeatedly from the start and then from the end (where up to 4 non-word characters may follow it) and whose
/// remaining text has at most <c>AckMaxChars</c> characters (300 by default). A token only in the middle is not removed;
/// a reply without the token, or with more text left, is an alert.</para>
/// <para><b>Silent cron run</b>: a silent reply, or a reply that is only the heartbeat token.</para>
/// </remarks>
public static class SessionRoutes
{
    /// <summary>The longest <see cref="ReplyRoute.Summary"/> a route carries; longer text is cut and ends with "…".</summary>
    public const int SummaryMaxChars = SummaryText.MaxChars;

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
        var summary = result.Text.Length == 0 ? null : SummaryText.Summarize(result.Text);
        return result.IsAck
            ? new ReplyRoute(ReplyVerdict.Ack, HeartbeatFiles, summary)
            : new ReplyRoute(ReplyVerdict.Alert, Session | HeartbeatFiles, summary);
    }

    /// <summary>
    /// A cron session: a silent run records only its run record; a run with output is also persisted as a session.
    /// <see cref="ReplyRoute.Summary"/> is the reply shortened to <see cref="SummaryMaxChars"/> (empty for a silent run).
    /// </summary>
    public static ReplyRoute Cron(string reply) =>
        CronReply.IsSilent(reply)
            ? new ReplyRoute(ReplyVerdict.Silent, PersistTargets.CronRun, null)
            : new ReplyRoute(ReplyVerdict.Output, Session | PersistTargets.CronRun, SummaryText.Summarize(reply));

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
}
