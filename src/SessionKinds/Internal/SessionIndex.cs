using System.Text;
using System.Text.Json;

namespace SessionKinds.Internal;

/// <summary>
/// The content of <c>sessions.json</c>: session key → entry. Entries the store does not touch are kept as raw bytes
/// and written back unchanged; a touched entry is rewritten with its new <c>sessionId</c>, <c>kind</c> and
/// <c>updatedAt</c> in place and every other field copied raw. Keys keep their order; new keys go last.
/// A key that appears twice in the file keeps its first position and its last value.
/// </summary>
internal sealed class SessionIndex
{
    public const string SessionIdField = "sessionId";
    public const string KindField = "kind";
    public const string UpdatedAtField = "updatedAt";

    private readonly RawJsonObject _entries;
    private readonly Dictionary<string, EntryUpdate> _updates = new(StringComparer.Ordinal);

    private SessionIndex(RawJsonObject entries)
    {
        _entries = entries;
    }

    public int Count => _entries.Count;

    public int SourceLength { get; private init; }

    public static SessionIndex Empty() => new(RawJsonObject.Empty());

    /// <exception cref="InvalidDataException">The file is not a JSON object.</exception>
    public static SessionIndex Parse(ReadOnlyMemory<byte> content) =>
        new(RawJsonObject.ParseFile(content, AgentFileNameRules.Sessions)) { SourceLength = content.Length };

    /// <summary>The session id stored under <paramref name="key"/> when it is a canonical UUID (safe as a file name).</summary>
    public string? FindSessionId(string key)
    {
        if (_updates.TryGetValue(key, out var update))
        {
            return update.SessionId;
        }

        if (!_entries.TryGet(key, out var raw) || !RawJsonObject.TryParseValue(raw, out var entry))
        {
            return null;
        }

        var id = JsonValues.ReadString(entry, SessionIdField);
        return AgentFolderNames.IsCanonicalSessionId(id) ? id : null;
    }

    /// <summary>Creates or updates the entry under <paramref name="key"/>; its other fields are preserved.</summary>
    public void Upsert(string key, string sessionId, SessionKind kind, long updatedAtMs)
    {
        if (!_entries.Contains(key))
        {
            _entries.Set(key, ReadOnlyMemory<byte>.Empty);
        }

        _updates[key] = new EntryUpdate(sessionId, SessionKindNames.ToName(kind), updatedAtMs);
    }

    /// <summary>
    /// The keys to keep after rotation: touched entries first, then the most recently updated, ties broken by
    /// position (later wins). An entry without a valid <c>updatedAt</c> counts as the oldest.
    /// </summary>
    public HashSet<string> SelectNewest(int count)
    {
        var ranked = new List<(bool Touched, long UpdatedAt, int Position, string Key)>(_entries.Count);
        var members = _entries.Members;
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            if (_updates.TryGetValue(member.Name, out var update))
            {
                ranked.Add((true, update.UpdatedAtMs, i, member.Name));
            }
            else
            {
                ranked.Add((false, ReadUpdatedAt(member.Value) ?? -1, i, member.Name));
            }
        }

        ranked.Sort(static (a, b) =>
        {
            var byTouched = b.Touched.CompareTo(a.Touched);
            if (byTouched != 0)
            {
                return byTouched;
            }

            var byTime = b.UpdatedAt.CompareTo(a.UpdatedAt);
            return byTime != 0 ? byTime : b.Position.CompareTo(a.Position);
        });

        var keep = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ranked.Count && i < count; i++)
        {
            keep.Add(ranked[i].Key);
        }

        return keep;
    }

    /// <summary>Writes the whole index, or only the keys in <paramref name="only"/>.</summary>
    public void WriteTo(Utf8JsonWriter writer, HashSet<string>? only)
    {
        writer.WriteStartObject();
        foreach (var member in _entries.Members)
        {
            if (only is not null && !only.Contains(member.Name))
            {
                continue;
            }

            writer.WritePropertyName(member.Name);
            if (_updates.TryGetValue(member.Name, out var update))
            {
                WriteUpdatedEntry(writer, member.Value, update);
            }
            else
            {
                writer.WriteRawValue(member.Value.Span, skipInputValidation: true);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>The entries as read models, in file order.</summary>
    public List<SessionEntry> ReadEntries()
    {
        var result = new List<SessionEntry>(_entries.Count);
        foreach (var member in _entries.Members)
        {
            result.Add(ReadEntry(member.Name, member.Value));
        }

        return result;
    }

    public SessionEntry? Find(string key) => _entries.TryGet(key, out var raw) ? ReadEntry(key, raw) : null;

    private static SessionEntry ReadEntry(string key, ReadOnlyMemory<byte> raw)
    {
        string? sessionId = null;
        var kind = SessionKind.Unspecified;
        long? updatedAt = null;
        if (RawJsonObject.TryParseValue(raw, out var entry))
        {
            sessionId = JsonValues.ReadString(entry, SessionIdField);
            SessionKindNames.TryParse(JsonValues.ReadString(entry, KindField), out kind);
            updatedAt = entry.TryGet(UpdatedAtField, out var rawUpdated) ? JsonValues.ReadEpochMilliseconds(rawUpdated) : null;
        }

        return new SessionEntry(
            key,
            sessionId,
            kind,
            updatedAt is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            Encoding.UTF8.GetString(raw.Span));
    }

    private static long? ReadUpdatedAt(ReadOnlyMemory<byte> raw) =>
        RawJsonObject.TryParseValue(raw, out var entry) && entry.TryGet(UpdatedAtField, out var value)
            ? JsonValues.ReadEpochMilliseconds(value)
            : null;

    private static void WriteUpdatedEntry(Utf8JsonWriter writer, ReadOnlyMemory<byte> previous, EntryUpdate update)
    {
        writer.WriteStartObject();
        bool wroteId = false, wroteKind = false, wroteUpdated = false;
        if (!previous.IsEmpty && RawJsonObject.TryParseValue(previous, out var old))
        {
            foreach (var member in old.Members)
            {
                switch (member.Name)
                {
                    case SessionIdField:
                        writer.WriteString(SessionIdField, update.SessionId);
                        wroteId = true;
                        break;
                    case KindField:
                        writer.WriteString(KindField, update.KindName);
                        wroteKind = true;
                        break;
                    case UpdatedAtField:
                        writer.WriteNumber(UpdatedAtField, update.UpdatedAtMs);
                        wroteUpdated = true;
                        break;
                    default:
                        JsonValues.WriteRaw(writer, member);
                        break;
                }
            }
        }

        if (!wroteId)
        {
            writer.WriteString(SessionIdField, update.SessionId);
        }

        if (!wroteKind)
        {
            writer.WriteString(KindField, update.KindName);
        }

        if (!wroteUpdated)
        {
            writer.WriteNumber(UpdatedAtField, update.UpdatedAtMs);
        }

        writer.WriteEndObject();
    }

    private readonly record struct EntryUpdate(string SessionId, string KindName, long UpdatedAtMs);
}
