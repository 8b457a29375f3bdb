using System.Text;
using SessionKinds.Persistence.Json;

namespace SessionKinds;

/// <summary>One session entry, as read: the value stored under its key (a member of <c>sessions.json</c> in an agent folder).</summary>
/// <param name="Key">The session key.</param>
/// <param name="SessionId">The <c>sessionId</c> field when it is a string, otherwise <see langword="null"/>.</param>
/// <param name="Kind">The <c>kind</c> field, or <see cref="SessionKind.Unspecified"/> when it is missing or not a known kind.</param>
/// <param name="UpdatedAt">The <c>updatedAt</c> field (epoch milliseconds) when it is a valid timestamp.</param>
/// <param name="Json">The entry's JSON exactly as stored, including fields this library does not know.</param>
public sealed record SessionEntry(string Key, string? SessionId, SessionKind Kind, DateTimeOffset? UpdatedAt, string Json)
{
    /// <summary>
    /// Reads an entry from its stored JSON (for store engines): <c>sessionId</c>, <c>kind</c> and <c>updatedAt</c> are read
    /// leniently (a field of the wrong type reads as absent); a value that is not a JSON object reads with all three absent.
    /// </summary>
    public static SessionEntry Parse(string key, ReadOnlyMemory<byte> json)
    {
        ArgumentNullException.ThrowIfNull(key);
        string? sessionId = null;
        var kind = SessionKind.Unspecified;
        long? updatedAt = null;
        if (RawJsonObject.TryParseValue(json, out var entry))
        {
            sessionId = JsonValues.ReadString(entry, SessionEntryFields.SessionId);
            SessionKindNames.TryParse(JsonValues.ReadString(entry, SessionEntryFields.Kind), out kind);
            updatedAt = entry.TryGet(SessionEntryFields.UpdatedAt, out var raw) ? JsonValues.ReadEpochMilliseconds(raw) : null;
        }

        return new SessionEntry(
            key,
            sessionId,
            kind,
            updatedAt is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            Encoding.UTF8.GetString(json.Span));
    }
}

/// <summary>The entry fields the stores own; every other field of an entry is kept as it is.</summary>
internal static class SessionEntryFields
{
    public const string SessionId = "sessionId";
    public const string Kind = "kind";
    public const string UpdatedAt = "updatedAt";
}
