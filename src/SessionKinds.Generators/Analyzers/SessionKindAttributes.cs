using System.Collections.Immutable;

namespace SessionKinds.Generators.Analyzers;

/// <summary>One of the four session kind attributes.</summary>
internal sealed class SessionKindAttributeInfo
{
    internal SessionKindAttributeInfo(string kindName, string metadataName, string example)
    {
        KindName = kindName;
        MetadataName = metadataName;
        ShortName = kindName + "Session";
        Example = example;
    }

    /// <summary>The kind, as the <c>SessionKind</c> member is named: <c>User</c>, <c>Heartbeat</c>, <c>Cron</c>, <c>Subagent</c>.</summary>
    public string KindName { get; }

    /// <summary>The attribute's metadata name, e.g. <c>SessionKinds.UserSessionAttribute</c>.</summary>
    public string MetadataName { get; }

    /// <summary>The attribute as written in code, without the <c>Attribute</c> suffix: <c>UserSession</c>.</summary>
    public string ShortName { get; }

    /// <summary>The attribute as a user writes it, e.g. <c>[CronSession("0 * * * *")]</c>.</summary>
    public string Example { get; }

    /// <summary>The short name in brackets, e.g. <c>[UserSession]</c>.</summary>
    public string Bracketed => "[" + ShortName + "]";
}

/// <summary>The session kind attributes, in the order of <c>SessionKind</c>.</summary>
internal static class SessionKindAttributes
{
    /// <summary>A schedule that always parses; the SKND0001 code fix writes it as a placeholder.</summary>
    public const string PlaceholderCronSchedule = "0 * * * *";

    public static readonly SessionKindAttributeInfo User = Create("User", TypeNames.UserSessionAttribute, "[UserSession]");

    public static readonly SessionKindAttributeInfo Heartbeat = Create("Heartbeat", TypeNames.HeartbeatSessionAttribute, "[HeartbeatSession]");

    public static readonly SessionKindAttributeInfo Cron = Create("Cron", TypeNames.CronSessionAttribute, "[CronSession(\"" + PlaceholderCronSchedule + "\")]");

    public static readonly SessionKindAttributeInfo Subagent = Create("Subagent", TypeNames.SubagentSessionAttribute, "[SubagentSession]");

    public static readonly ImmutableArray<SessionKindAttributeInfo> All = ImmutableArray.Create(User, Heartbeat, Cron, Subagent);

    /// <summary>The attribute for a kind name (<c>User</c>, ...), or <see langword="null"/>.</summary>
    public static SessionKindAttributeInfo? FromKindName(string? kindName)
    {
        foreach (var info in All)
        {
            if (string.Equals(info.KindName, kindName, System.StringComparison.Ordinal))
            {
                return info;
            }
        }

        return null;
    }

    private static SessionKindAttributeInfo Create(string kindName, string metadataName, string example) => new(kindName, metadataName, example);
}
