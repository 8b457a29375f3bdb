namespace SessionKinds;

/// <summary>Decides whether a cron run's reply is silent (not persisted) or output (persisted).</summary>
/// <remarks>
/// <para>A reply is silent when:</para>
/// <list type="bullet">
/// <item><description>it is empty or white space (or <see langword="null"/>);</description></item>
/// <item><description>it is <see cref="NoReplyToken"/> alone: in any ASCII case (<c>no_reply</c>); wrapped in punctuation or
/// markup (<c>NO_REPLY.</c>, <c>«NO_REPLY»</c>, <c>**NO_REPLY**</c>, <c>`NO_REPLY`</c>, <c>"NO_REPLY"</c>,
/// <c>(NO_REPLY)</c>, simple HTML tags); repeated (<c>NO_REPLY NO_REPLY</c>, one per line);</description></item>
/// <item><description>it is a JSON string whose text is such a reply, or the JSON object <c>{"action":"NO_REPLY"}</c>
/// (any JSON white space, any case of the value, <c>action</c> its only member; optionally inside a <c>```json</c>
/// fence);</description></item>
/// <item><description>it starts with a reasoning preamble and ends with such a reply and nothing else: closed
/// <c>&lt;think&gt;…&lt;/think&gt;</c> / <c>&lt;thinking&gt;…&lt;/thinking&gt;</c> blocks, or a leading <c>think:</c> /
/// <c>thinking:</c> block that runs to the first blank line (or, without one, to a final standalone token);</description></item>
/// <item><description>or it is only heartbeat ack token(s) (see <see cref="HeartbeatAck.StripToken"/>), with nothing left
/// once they are removed, or with only a silent reply left (<c>HEARTBEAT_OK NO_REPLY</c>).</description></item>
/// </list>
/// <para>
/// Anything else is output, in particular a reply that only mentions the token (<c>I will not answer NO_REPLY here
/// because …</c>), a token glued to an emoji or other symbol or to a lone surrogate (<c>NO_REPLY🙂</c>), a JSON object
/// with other members, and an answer between a preamble and a final token (<c>&lt;think&gt;…&lt;/think&gt; Here is your
/// brief: … NO_REPLY</c>). The heartbeat classifier applies the same silent rule (a silent heartbeat is an ack). The
/// check never throws and runs in time linear in the length of the reply.
/// </para>
/// </remarks>
internal static class CronReply
{
    /// <summary>The token a cron run (or a heartbeat) answers when it has nothing to say.</summary>
    public const string NoReplyToken = SilentReply.Token;

    /// <summary>Whether a cron reply is silent (see the remarks of <see cref="CronReply"/>).</summary>
    /// <param name="reply">The reply text; <see langword="null"/> is treated as empty.</param>
    public static bool IsSilent(string? reply)
    {
        if (SilentReply.IsSilent(reply))
        {
            return true;
        }

        var stripped = HeartbeatAck.StripToken(reply);
        return stripped.TokenRemoved && (stripped.Text.Length == 0 || SilentReply.IsSilent(stripped.Text));
    }
}
