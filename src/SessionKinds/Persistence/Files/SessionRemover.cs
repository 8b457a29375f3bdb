using SessionKinds.Persistence.Files.Locking;
using SessionKinds.Persistence.Json;
using SessionKinds.Engines;

namespace SessionKinds.Persistence.Files;

/// <summary>
/// Removes entries from <c>sessions.json</c> under the folder lock (<see cref="FileSessionStore.RemoveSessionsAsync"/>):
/// backup and rewrite land as one <see cref="FolderCommit"/>, then the removed sessions' transcripts are deleted.
/// </summary>
internal static class SessionRemover
{
    public static SessionRemoval Remove(string folder, string sessionsPath, SessionArchives archives, FolderLock.Held held, Dictionary<string, byte[]> wanted)
    {
        if (DurableFile.LinkTargetOf(sessionsPath) is string target)
        {
            throw new SessionStoreException(
                sessionsPath,
                $"{sessionsPath} is a symbolic link (to {target}); removing entries would replace the link with a regular file, so nothing was changed. " +
                "Run this on the folder that holds the file itself, or replace the link with the file.");
        }

        var bytes = DurableFile.ReadAllBytesOrNull(sessionsPath);
        if (bytes is null)
        {
            return new SessionRemoval(null, [], [.. wanted.Keys], [], [], 0, 0);
        }

        RawJsonObject index;
        try
        {
            index = SessionsFile.Parse(bytes);
        }
        catch (InvalidDataException ex)
        {
            throw new SessionStoreException(
                sessionsPath,
                $"{sessionsPath} is not readable ({ex.Message}). It was left as it is and nothing was changed; repair it or restore it from a sessions-*.json.gz archive, then retry.",
                ex);
        }

        var remove = new HashSet<string>(StringComparer.Ordinal);
        var removed = new List<string>();
        foreach (var member in index.Members)
        {
            if (wanted.TryGetValue(member.Name, out var json) && member.Value.Span.SequenceEqual(json))
            {
                remove.Add(member.Name);
                removed.Add(member.Name);
            }
        }

        var skipped = new List<string>();
        foreach (var key in wanted.Keys)
        {
            if (!remove.Contains(key))
            {
                skipped.Add(key);
            }
        }

        if (removed.Count == 0)
        {
            return new SessionRemoval(null, [], skipped, [], [], bytes.Length, bytes.Length);
        }

        // Transcripts of removed sessions, unless a remaining entry refers to the same session.
        var transcripts = new HashSet<string>(StringComparer.Ordinal);
        var stillReferenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in index.Members)
        {
            if (SessionWrite.ExistingSessionId(member.Value) is string id)
            {
                (remove.Contains(member.Name) ? transcripts : stillReferenced).Add(id);
            }
        }

        transcripts.ExceptWith(stillReferenced);

        var rewrite = new JsonObjectRewrite();
        var live = JsonValues.Serialize(bytes.Length, JsonValues.FileWriterOptions, (rewrite, index, remove), static (w, s) => s.rewrite.WriteTo(w, s.index, key => !s.remove.Contains(key)));
        var commit = new FolderCommit(folder, held);
        string backup;
        try
        {
            backup = archives.StageArchive(commit, bytes);
            commit.Replace(sessionsPath, live.WrittenMemory);
            commit.Apply();
        }
        catch
        {
            commit.Abandon();
            throw;
        }

        var deleted = new List<string>();
        var left = new List<string>();
        foreach (var id in transcripts)
        {
            var path = Path.Combine(folder, TranscriptFile.FileName(id));
            if (!File.Exists(path) && DurableFile.LinkTargetOf(path) is null)
            {
                continue;
            }

            (DurableFile.TryDelete(path) ? deleted : left).Add(path);
        }

        deleted.Sort(StringComparer.Ordinal);
        left.Sort(StringComparer.Ordinal);
        return new SessionRemoval(backup, removed, skipped, deleted, left, bytes.Length, live.WrittenCount);
    }
}
