using System.Diagnostics.CodeAnalysis;

namespace SessionKinds;

/// <summary>Converts <see cref="SessionKind"/> to and from its on-disk name (<c>user</c>, <c>heartbeat</c>, <c>cron</c>, <c>subagent</c>).</summary>
internal static class SessionKindNames
{
    /// <summary>The on-disk name of <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is <see cref="SessionKind.Unspecified"/> or not a defined kind.</exception>
    public static string ToName(SessionKind kind) => kind switch
    {
        SessionKind.User => "user",
        SessionKind.Heartbeat => "heartbeat",
        SessionKind.Cron => "cron",
        SessionKind.Subagent => "subagent",
        _ => throw NotDefined(kind, nameof(kind)),
    };

    /// <summary>Reads an on-disk kind name; the comparison is ordinal and case-sensitive.</summary>
    public static bool TryParse(string? name, out SessionKind kind)
    {
        kind = name switch
        {
            "user" => SessionKind.User,
            "heartbeat" => SessionKind.Heartbeat,
            "cron" => SessionKind.Cron,
            "subagent" => SessionKind.Subagent,
            _ => SessionKind.Unspecified,
        };
        return kind != SessionKind.Unspecified;
    }

    /// <summary>Whether <paramref name="kind"/> is one of the four session kinds.</summary>
    public static bool IsDefined(SessionKind kind) => kind is SessionKind.User or SessionKind.Heartbeat or SessionKind.Cron or SessionKind.Subagent;

    /// <summary>Throws when <paramref name="kind"/> is not one of the four session kinds.</summary>
    public static void ThrowIfNotDefined(SessionKind kind, string paramName)
    {
        if (!IsDefined(kind))
        {
            throw NotDefined(kind, paramName);
        }
    }

    [SuppressMessage("Style", "IDE0046", Justification = "Reads better as a statement.")]
    private static ArgumentOutOfRangeException NotDefined(SessionKind kind, string paramName) =>
        new(paramName, kind, kind == SessionKind.Unspecified
            ? "A session needs a kind: pass SessionKind.User, Heartbeat, Cron or Subagent, not SessionKind.Unspecified."
            : $"{(int)kind} is not a defined SessionKind: pass SessionKind.User, Heartbeat, Cron or Subagent.");
}
