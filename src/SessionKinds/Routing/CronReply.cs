namespace SessionKinds;

/// <summary>Decides whether a cron run's reply is silent (not persisted) or output (persisted), by DESIGN §4.</summary>
/// <remarks>
/// A reply is silent when it is empty or white space, when the whole reply (trimmed) is <see cref="NoReplyToken"/>
/// in any case, or when it is only heartbeat ack token(s) with nothing left once they are removed
/// (see <see cref="HeartbeatAck.StripToken"/>). Anything else is output.
/// </remarks>
public static class CronReply
{
    /// <summary>The token a cron run answers when it has nothing to say.</summary>
    public const string NoReplyToken = "NO_REPLY";

    /// <summary>Whether a cron reply is silent.</summary>
    /// <param name="reply">The reply text; <see langword="null"/> is treated as empty.</param>
    public static bool IsSilent(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return true;
        }

        if (reply.AsSpan().Trim().Equals(NoReplyToken, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var stripped = HeartbeatAck.StripToken(reply);
        return stripped.TokenRemoved && stripped.Text.Length == 0;
    }
}
