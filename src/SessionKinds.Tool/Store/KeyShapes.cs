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
/// The gateway's session key shapes. Its stores carry no <c>kind</c> field, so a kind is read from the key, and only from
/// shapes the gateway documents; anything else is <see cref="EntryKind.Unknown"/>, never guessed.
/// </summary>
/// <remarks>
/// Keys are <c>agent:&lt;agentId&gt;:&lt;rest&gt;</c> (or bare, for <c>global</c> and <c>cron:…</c>). By the rest:
/// <list type="bullet">
/// <item><c>cron:&lt;job&gt;</c> and <c>cron:&lt;job&gt;:run:&lt;runId&gt;</c> → cron (the second is one run);</item>
/// <item>a <c>:subagent:</c> segment (<c>subagent:&lt;uuid&gt;</c>, nested too) → subagent;</item>
/// <item><c>heartbeat</c> or a <c>:heartbeat</c> suffix (the isolated heartbeat session of a base key) → heartbeat;</item>
/// <item>the main key (one segment, e.g. <c>main</c>), <c>global</c>, direct chats (<c>dm:&lt;peer&gt;</c>,
/// <c>&lt;channel&gt;:dm:&lt;peer&gt;</c>, <c>&lt;channel&gt;:&lt;account&gt;:dm:&lt;peer&gt;</c>), groups and rooms
/// (<c>&lt;channel&gt;:group:&lt;id&gt;</c>, <c>&lt;channel&gt;:channel:&lt;id&gt;</c>), each possibly followed by
/// <c>:topic:&lt;id&gt;</c> or <c>:thread:&lt;id&gt;</c> → user;</item>
/// <item>everything else (<c>hook:</c>, <c>node-</c>, <c>acp:</c>, model-run probes, unknown shapes) → unknown.</item>
/// </list>
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
    public static EntryKind KindOf(string key, string? kindField, out bool inferred)
    {
        inferred = false;
        switch (kindField)
        {
            case "user": return EntryKind.User;
            case "heartbeat": return EntryKind.Heartbeat;
            case "cron": return EntryKind.Cron;
            case "subagent": return EntryKind.Subagent;
        }

        inferred = true;
        return Infer(key);
    }

    /// <summary>The kind a gateway key shape says, or <see cref="EntryKind.Unknown"/>.</summary>
    public static EntryKind Infer(string key)
    {
        var rest = AgentRest(key);
        if (rest is null)
        {
            return key == "global" ? EntryKind.User : key.StartsWith("cron:", StringComparison.Ordinal) && IsCronShape(key) ? EntryKind.Cron : EntryKind.Unknown;
        }

        if (rest.Length == 0)
        {
            return EntryKind.Unknown;
        }

        if (rest.StartsWith("cron:", StringComparison.Ordinal))
        {
            return IsCronShape(rest) ? EntryKind.Cron : EntryKind.Unknown;
        }

        var segments = rest.Split(':');
        if (Array.IndexOf(segments, "subagent") is var sub && sub >= 0 && sub < segments.Length - 1)
        {
            return EntryKind.Subagent;
        }

        if (segments[^1] == "heartbeat")
        {
            return EntryKind.Heartbeat;
        }

        return IsUserShape(segments) ? EntryKind.User : EntryKind.Unknown;
    }

    /// <summary>Whether the key is one run of a cron job: <c>[agent:&lt;id&gt;:]cron:&lt;job&gt;:run:&lt;runId&gt;</c>.</summary>
    public static bool IsCronRun(string key)
    {
        var rest = AgentRest(key) ?? key;
        var segments = rest.Split(':');
        return segments.Length == 4 && segments[0] == "cron" && segments[1].Length > 0 && segments[2] == "run" && segments[3].Length > 0;
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

        // Topic and thread suffixes of any chat.
        while (length >= 3 && segments[length - 2] is "topic" or "thread" && segments[length - 1].Length > 0)
        {
            length -= 2;
        }

        if (length == 1)
        {
            return segments[0].Length > 0; // the main key
        }

        // dm:<peer>, <channel>:dm:<peer>, <channel>:<account>:dm:<peer> (a peer id may itself contain ':').
        for (var dm = 0; dm <= 2 && dm < length - 1; dm++)
        {
            if (segments[dm] == "dm" && Filled(segments, 0, dm) && segments[dm + 1].Length > 0)
            {
                return true;
            }
        }

        return length >= 3 && segments[1] is "group" or "channel" && segments[0].Length > 0 && segments[2].Length > 0;
    }

    private static bool Filled(string[] segments, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (segments[i].Length == 0)
            {
                return false;
            }
        }

        return true;
    }
}
