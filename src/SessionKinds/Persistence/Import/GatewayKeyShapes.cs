namespace SessionKinds.Persistence.Import;

/// <summary>
/// The gateway's session key shapes, and the kind each names (the rules are on <see cref="AgentFolderImport.InferKind"/>).
/// The one implementation of those rules: the import and the <c>sessionkinds</c> tool (inspect, compact) both read kinds here.
/// </summary>
internal static class GatewayKeyShapes
{
    /// <summary>
    /// The kind of an entry: its <c>kind</c> field when that names a kind (ordinal, as stored), else the kind its key's shape
    /// names (<paramref name="inferred"/> is then true), else <see cref="SessionKind.Unspecified"/>.
    /// </summary>
    public static SessionKind KindOf(string key, string? kindField, out bool inferred)
    {
        inferred = !SessionKindNames.TryParse(kindField, out var kind);
        return inferred ? Infer(key) : kind;
    }

    /// <summary>Whether the key is one run of a cron job: <c>[agent:&lt;id&gt;:]cron:&lt;job&gt;:run:&lt;runId&gt;</c>.</summary>
    public static bool IsCronRun(string key)
    {
        var rest = AgentRest(key) ?? key;
        return rest.StartsWith("cron:", StringComparison.Ordinal) && rest.Split(':').Length == 4 && IsCronShape(rest);
    }

    /// <summary>The kind a gateway key's shape names, or <see cref="SessionKind.Unspecified"/>.</summary>
    public static SessionKind Infer(string key)
    {
        var rest = AgentRest(key);
        if (rest is null)
        {
            return key == "global" ? SessionKind.User : key.StartsWith("cron:", StringComparison.Ordinal) && IsCronShape(key) ? SessionKind.Cron : SessionKind.Unspecified;
        }

        if (rest.Length == 0)
        {
            return SessionKind.Unspecified;
        }

        if (rest.StartsWith("cron:", StringComparison.Ordinal))
        {
            return IsCronShape(rest) ? SessionKind.Cron : SessionKind.Unspecified;
        }

        var segments = rest.Split(':');
        var subagent = Array.IndexOf(segments, "subagent");
        if (subagent >= 0 && subagent < segments.Length - 1)
        {
            return SessionKind.Subagent;
        }

        if (segments[^1] == "heartbeat")
        {
            return SessionKind.Heartbeat;
        }

        return IsUserShape(segments) ? SessionKind.User : SessionKind.Unspecified;
    }

    /// <summary>What follows <c>agent:&lt;id&gt;:</c>, or <see langword="null"/> when the key does not start that way.</summary>
    private static string? AgentRest(string key)
    {
        if (!key.StartsWith("agent:", StringComparison.Ordinal))
        {
            return null;
        }

        var end = key.IndexOf(':', 6);
        return end <= 6 ? null : key[(end + 1)..];
    }

    /// <summary><c>cron:&lt;job&gt;</c> or <c>cron:&lt;job&gt;:run:&lt;runId&gt;</c>.</summary>
    private static bool IsCronShape(string rest)
    {
        var segments = rest.Split(':');
        return segments.Length switch
        {
            2 => segments[1].Length > 0,
            4 => segments[1].Length > 0 && segments[2] == "run" && segments[3].Length > 0,
            _ => false,
        };
    }

    private static bool IsUserShape(string[] segments)
    {
        var length = segments.Length;
        while (length >= 3 && segments[length - 2] is "topic" or "thread" && segments[length - 1].Length > 0)
        {
            length -= 2; // topic and thread suffixes of any chat
        }

        if (length == 1)
        {
            return segments[0].Length > 0; // the main key
        }

        // dm:<peer>, <channel>:dm:<peer>, <channel>:<account>:dm:<peer> (a peer id may itself contain ':').
        for (var dm = 0; dm <= 2 && dm < length - 1; dm++)
        {
            if (segments[dm] == "dm" && AllFilled(segments, dm) && segments[dm + 1].Length > 0)
            {
                return true;
            }
        }

        return length >= 3 && segments[1] is "group" or "channel" && segments[0].Length > 0 && segments[2].Length > 0;
    }

    private static bool AllFilled(string[] segments, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (segments[i].Length == 0)
            {
                return false;
            }
        }

        return true;
    }
}
