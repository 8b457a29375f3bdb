using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using SessionKinds.Generators.Generation.Model;

namespace SessionKinds.Generators.Tasks;

/// <summary>
/// One session kind: its attribute, how a user writes it, the interface the generator implements for it and the
/// route it takes. Adding a kind is adding a row to <see cref="SessionKindTable"/>: the generator's pipeline, the
/// analyzers and the code fixes all loop over the table.
/// </summary>
internal sealed class SessionKindInfo
{
    internal SessionKindInfo(SessionTaskKind kind, string kindName, string attributeMetadataName, string arguments, string placeholderArguments, string interfaceName)
    {
        Kind = kind;
        KindName = kindName;
        MetadataName = attributeMetadataName;
        ShortName = kindName + "Session";
        Example = "[" + ShortName + arguments + "]";
        Mention = "[" + ShortName + placeholderArguments + "]";
        InterfaceName = interfaceName;
    }

    /// <summary>The kind in the generator's model.</summary>
    public SessionTaskKind Kind { get; }

    /// <summary>The kind, as the <c>SessionKind</c> member (and the <c>SessionRoutes</c> method) is named: <c>User</c>, <c>Heartbeat</c>, ...</summary>
    public string KindName { get; }

    /// <summary>The attribute's metadata name, e.g. <c>SessionKinds.UserSessionAttribute</c>.</summary>
    public string MetadataName { get; }

    /// <summary>The attribute as written in code, without the <c>Attribute</c> suffix: <c>UserSession</c>.</summary>
    public string ShortName { get; }

    /// <summary>The attribute as a user writes it, e.g. <c>[CronSession("0 * * * *")]</c>: what the SKND0001 fix adds.</summary>
    public string Example { get; }

    /// <summary>The attribute as messages name it, required arguments elided: <c>[CronSession("...")]</c>.</summary>
    public string Mention { get; }

    /// <summary>The runtime interface the generator implements on a task of this kind, e.g. <c>IHeartbeatSessionTask</c>.</summary>
    public string InterfaceName { get; }

    /// <summary>The short name in brackets, e.g. <c>[UserSession]</c>.</summary>
    public string Bracketed => "[" + ShortName + "]";
}

/// <summary>The session kinds, in the order of <c>SessionKind</c>.</summary>
internal static class SessionKindTable
{
    /// <summary>A schedule that always parses; the SKND0001 code fix writes it as a placeholder.</summary>
    public const string PlaceholderCronSchedule = "0 * * * *";

    public static readonly SessionKindInfo User = new(SessionTaskKind.User, "User", TypeNames.UserSessionAttribute, "", "", "ISessionTask");

    public static readonly SessionKindInfo Heartbeat = new(SessionTaskKind.Heartbeat, "Heartbeat", TypeNames.HeartbeatSessionAttribute, "", "", "IHeartbeatSessionTask");

    public static readonly SessionKindInfo Cron = new(SessionTaskKind.Cron, "Cron", TypeNames.CronSessionAttribute, "(\"" + PlaceholderCronSchedule + "\")", "(\"...\")", "ICronSessionTask");

    public static readonly SessionKindInfo Subagent = new(SessionTaskKind.Subagent, "Subagent", TypeNames.SubagentSessionAttribute, "", "", "ISessionTask");

    public static readonly ImmutableArray<SessionKindInfo> All = ImmutableArray.Create(User, Heartbeat, Cron, Subagent);

    /// <summary>Every attribute as messages name them: <c>[UserSession], [HeartbeatSession], [CronSession("...")] or [SubagentSession]</c>.</summary>
    public static readonly string MentionList = JoinMentions();

    private static string JoinMentions()
    {
        var mentions = new string[All.Length];
        for (var i = 0; i < mentions.Length; i++)
        {
            mentions[i] = All[i].Mention;
        }

        return string.Join(", ", mentions, 0, mentions.Length - 1) + " or " + mentions[mentions.Length - 1];
    }

    /// <summary>The row of a kind name (<c>User</c>, ...), or <see langword="null"/>.</summary>
    public static SessionKindInfo? FromKindName(string? kindName)
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

    /// <summary>The row of a model kind.</summary>
    public static SessionKindInfo From(SessionTaskKind kind)
    {
        foreach (var info in All)
        {
            if (info.Kind == kind)
            {
                return info;
            }
        }

        throw new System.ArgumentOutOfRangeException(nameof(kind));
    }

    /// <summary>The kind whose attribute <paramref name="attributeClass"/> is, compared by metadata name as <c>ForAttributeWithMetadataName</c> does; otherwise <see langword="null"/>.</summary>
    public static SessionKindInfo? FromAttribute(INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is null || attributeClass.TypeKind == TypeKind.Error)
        {
            return null;
        }

        foreach (var info in All)
        {
            if (RuntimeTypes.Is(attributeClass, info.MetadataName))
            {
                return info;
            }
        }

        return null;
    }
}
