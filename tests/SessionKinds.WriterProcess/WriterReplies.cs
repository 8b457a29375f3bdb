namespace SessionKinds.WriterProcess;

/// <summary>
/// What the mixed mode writes, each text carrying the write's unique tag so a test can find every part of it. Linked into
/// the tests, which look for these texts.
/// </summary>
public static class WriterReplies
{
    /// <summary>What a mixed-mode write does, in the order the seeded random picks from.</summary>
    public static readonly string[] What = ["user", "subagent", "ledger-alert", "ledger-ack", "explicit-ack", "cron-output", "cron-silent"];

    public static string Prompt(string tag) => $"prompt {tag}";

    /// <summary>The reply of a user or subagent session.</summary>
    public static string Conversation(string tag) => $"reply {tag}";

    /// <summary>A heartbeat alert; its ring summary, the state's last alert summary and transcript line are this text.</summary>
    public static string Alert(string tag) => $"Alert {tag}: the disk is almost full";

    /// <summary>A heartbeat ack with a note; the ring entry's summary is the tag.</summary>
    public static string Ack(string tag) => $"{HeartbeatAck.Token} {tag}";

    /// <summary>Cron output: the session's reply and the run's summary.</summary>
    public static string CronOutput(string tag) => $"Report {tag}: 3 jobs ran";

    /// <summary>A silent cron reply (it cannot carry a tag); the run's summary is this text.</summary>
    public const string CronSilent = "NO_REPLY";
}
