using SessionKinds.Persistence.Import;

namespace SessionKinds.Tool.Store;

/// <summary>A session's kind as the tool reports it: the four kinds, or <see cref="Unknown"/>.</summary>
internal enum EntryKind
{
    User,
    Heartbeat,
    Cron,
    Subagent,
    Unknown,
}

/// <summary>
/// The gateway's session key shapes as the tool reports them. Its stores carry no <c>kind</c> field, so a kind is read from
/// the key, and only from shapes the gateway documents; anything else is <see cref="EntryKind.Unknown"/>, never guessed.
/// </summary>
/// <remarks>
/// The rules live in one place, the runtime's <see cref="GatewayKeyShapes"/> (which <see cref="AgentFolderImport"/> uses
/// too, so <c>inspect</c>, <c>compact</c> and <c>import</c> always agree on a key); this class only names its kinds for the
/// tool's reports.
/// </remarks>
internal static class KeyShapes
{
    public static string Name(EntryKind kind) => kind switch
    {
        EntryKind.User => "user",
        EntryKind.Heartbeat => "heartbeat",
        EntryKind.Cron => "cron",
        EntryKind.Subagent => "subagent",
        _ => "unknown",
    };

    /// <summary>The kind of an entry: its <c>kind</c> field when that names a kind, else the key's shape.</summary>
    public static EntryKind KindOf(string key, string? kindField, out bool inferred) => ToEntryKind(GatewayKeyShapes.KindOf(key, kindField, out inferred));

    /// <summary>Whether the key is one run of a cron job: <c>[agent:&lt;id&gt;:]cron:&lt;job&gt;:run:&lt;runId&gt;</c>.</summary>
    public static bool IsCronRun(string key) => GatewayKeyShapes.IsCronRun(key);

    private static EntryKind ToEntryKind(SessionKind kind) => kind switch
    {
        SessionKind.User => EntryKind.User,
        SessionKind.Heartbeat => EntryKind.Heartbeat,
        SessionKind.Cron => EntryKind.Cron,
        SessionKind.Subagent => EntryKind.Subagent,
        _ => EntryKind.Unknown,
    };
}
