using SessionKinds.Persistence.Json;
using SessionKinds.Engines;

namespace SessionKinds.Persistence.Files;

/// <summary>
/// <c>sessions.json</c>: one JSON object, session key → entry. Entries the store does not touch are copied byte for byte;
/// a touched entry gets its new <c>sessionId</c>, <c>kind</c> and <c>updatedAt</c> in place with every other field kept.
/// Keys keep their order and new keys go last; a key that appears twice keeps its first position and its last value.
/// When a rewrite would pass the size limit the whole store goes to an archive and the live file keeps the newest entries.
/// </summary>
internal sealed class SessionsFile
{
    private readonly FileSessionStoreOptions _options;
    private readonly SessionArchives _archives;

    public SessionsFile(string folder, FileSessionStoreOptions options)
    {
        Path = System.IO.Path.Combine(folder, AgentFileNameRules.Sessions);
        _options = options;
        _archives = new SessionArchives(folder, options);
    }

    public string Path { get; }

    public SessionArchives Archives => _archives;

    /// <exception cref="InvalidDataException">The file is not a JSON object.</exception>
    public static RawJsonObject Parse(ReadOnlyMemory<byte> content) => RawJsonObject.ParseFile(content, AgentFileNameRules.Sessions);

    /// <summary>The session id stored under <paramref name="key"/> when it is a UUID (safe as a file name).</summary>
    public static string? FindSessionId(RawJsonObject? index, string key) =>
        index is not null && index.TryGet(key, out var raw) ? SessionWrite.ExistingSessionId(raw) : null;

    /// <summary>
    /// Stages <c>sessions.json</c> with the entry of <paramref name="write"/> created or updated. Returns the archive staged
    /// when the store rotates, otherwise <see langword="null"/>.
    /// </summary>
    public string? Stage(FolderCommit commit, RawJsonObject? index, SessionWrite write, string sessionId)
    {
        var existing = index is not null && index.TryGet(write.Key, out var raw) ? raw : ReadOnlyMemory<byte>.Empty;
        var rewrite = new JsonObjectRewrite().SetWith(write.Key, w => write.WriteEntry(w, existing, sessionId));
        var sizeHint = (int)Math.Min((index?.SourceLength ?? 0) + existing.Length + 512, int.MaxValue / 2);
        var whole = JsonValues.Serialize(sizeHint, JsonValues.FileWriterOptions, (rewrite, index), static (w, s) => s.rewrite.WriteTo(w, s.index));
        if (whole.WrittenCount <= _options.RotateAtBytes)
        {
            commit.Replace(Path, whole.WrittenMemory);
            return null;
        }

        var archive = _archives.StageArchive(commit, whole.WrittenMemory);
        var keep = SelectNewest(index, write, _options.EntriesKeptAfterRotation);
        var live = JsonValues.Serialize(sizeHint, JsonValues.FileWriterOptions, (rewrite, index, keep), static (w, s) => s.rewrite.WriteTo(w, s.index, s.keep.Contains));
        commit.Replace(Path, live.WrittenMemory);
        return archive;
    }

    public static List<SessionEntry> ReadEntries(RawJsonObject? index)
    {
        var result = new List<SessionEntry>(index?.Count ?? 0);
        if (index is not null)
        {
            foreach (var member in index.Members)
            {
                result.Add(SessionEntry.Parse(member.Name, member.Value));
            }
        }

        return result;
    }

    public static SessionEntry? Find(RawJsonObject? index, string key) =>
        index is not null && index.TryGet(key, out var raw) ? SessionEntry.Parse(key, raw) : null;

    /// <summary>
    /// The keys the live file keeps after a rotation: the entry being written first, then the most recently updated, ties
    /// broken by position (later wins). An entry without a valid <c>updatedAt</c> counts as the oldest.
    /// </summary>
    private static HashSet<string> SelectNewest(RawJsonObject? index, SessionWrite write, int count)
    {
        var ranked = new List<(long UpdatedAt, int Position, string Key)>(index?.Count ?? 0);
        if (index is not null)
        {
            var members = index.Members;
            for (var i = 0; i < members.Count; i++)
            {
                if (members[i].Name != write.Key)
                {
                    ranked.Add((ReadUpdatedAt(members[i].Value) ?? -1, i, members[i].Name));
                }
            }
        }

        ranked.Sort(static (a, b) =>
        {
            var byTime = b.UpdatedAt.CompareTo(a.UpdatedAt);
            return byTime != 0 ? byTime : b.Position.CompareTo(a.Position);
        });

        var keep = new HashSet<string>(StringComparer.Ordinal) { write.Key };
        for (var i = 0; i < ranked.Count && keep.Count < count; i++)
        {
            keep.Add(ranked[i].Key);
        }

        return keep;
    }

    private static long? ReadUpdatedAt(ReadOnlyMemory<byte> raw) =>
        RawJsonObject.TryParseValue(raw, out var entry) && entry.TryGet(SessionEntryFields.UpdatedAt, out var value)
            ? JsonValues.ReadEpochMilliseconds(value)
            : null;
}
