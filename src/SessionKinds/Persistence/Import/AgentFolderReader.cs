using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using SessionKinds.Persistence.Files;
using SessionKinds.Persistence.Json;

namespace SessionKinds.Persistence.Import;

/// <summary>
/// Reads an agent folder for an import, only reading: files are opened for reading with sharing, nothing is created,
/// locked, moved aside or repaired in the folder. The rules are on <see cref="AgentFolderImport"/>.
/// </summary>
internal static class AgentFolderReader
{
    private static readonly HashSet<string> HeartbeatStateFields = new(StringComparer.Ordinal) { "lastAck", "consecutiveOKs", "lastAlert", "lastAlertSummary", "tasks" };

    public static AgentFolderContent Read(string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            throw new SessionStoreException(folder, $"The agent folder {folder} does not exist. Give the folder that holds sessions.json (nothing was imported).");
        }

        var read = new Reading(folder);
        List<string> names;
        try
        {
            names = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SessionStoreException(folder, $"Could not list the agent folder {folder}: {ex.Message} Check that this process may read it (nothing was imported).", ex);
        }

        var entries = ReadEntries(read, names);
        cancellationToken.ThrowIfCancellationRequested();
        var transcripts = ReadTranscripts(read, names, entries, cancellationToken);
        var state = ReadHeartbeatState(read, names);
        var runs = ReadCronRuns(read, names);
        var rings = ReadRings(read, names);
        foreach (var name in names.Where(n => !read.Handled.Contains(n)))
        {
            read.Skip(name, WhySkipped(read, name));
        }

        return new AgentFolderContent(folder, entries, transcripts, state, rings, runs, new AgentImportReport(folder, read.Items, read.Skipped));
    }

    private static List<ImportedSessionEntry> ReadEntries(Reading read, List<string> names)
    {
        var entries = new List<ImportedSessionEntry>();
        if (!names.Contains(AgentFileNameRules.Sessions))
        {
            read.Skip(AgentFileNameRules.Sessions, "there is no sessions.json: no session entries were imported");
            return entries;
        }

        read.Handled.Add(AgentFileNameRules.Sessions);
        var bytes = read.Bytes(AgentFileNameRules.Sessions, required: true)!;
        RawJsonObject index;
        try
        {
            index = SessionsFile.Parse(bytes);
        }
        catch (InvalidDataException ex)
        {
            var path = Path.Combine(read.Folder, AgentFileNameRules.Sessions);
            throw new SessionStoreException(path, $"{path} is not readable ({ex.Message}). Nothing was imported and the file was left as it is: repair it, then import again.", ex);
        }

        var byKind = new Dictionary<SessionKind, (long Count, long Bytes)>();
        long inferred = 0, notContinuable = 0;
        foreach (var member in index.Members)
        {
            var parsed = SessionEntry.Parse(member.Name, member.Value);
            var kind = parsed.Kind;
            var wasInferred = false;
            if (kind == SessionKind.Unspecified)
            {
                kind = GatewayKeyShapes.Infer(member.Name);
                wasInferred = true;
                inferred += kind == SessionKind.Unspecified ? 0 : 1;
            }

            notContinuable += SessionKeys.FindKeyProblem(member.Name) is null ? 0 : 1;
            entries.Add(new ImportedSessionEntry(member.Name, parsed.Json, parsed.SessionId, kind, wasInferred, parsed.UpdatedAt));
            var (count, size) = byKind.GetValueOrDefault(kind);
            byKind[kind] = (count + 1, size + member.Value.Length);
        }

        read.Item("session entries", entries.Count, index.Members.Sum(m => (long)m.Value.Length));
        foreach (var kind in new[] { SessionKind.User, SessionKind.Heartbeat, SessionKind.Cron, SessionKind.Subagent, SessionKind.Unspecified })
        {
            if (byKind.TryGetValue(kind, out var figures))
            {
                read.Item(kind == SessionKind.Unspecified ? "  with no kind (key shape unknown)" : $"  {SessionKindNames.ToName(kind)}", figures.Count, figures.Bytes);
            }
        }

        read.Item("  kind decided from the key", inferred, bytes: null);
        if (notContinuable > 0)
        {
            read.Item("  keys SessionKinds cannot continue", notContinuable, bytes: null);
        }

        return entries;
    }

    private static List<ImportedTranscript> ReadTranscripts(Reading read, List<string> names, List<ImportedSessionEntry> entries, CancellationToken cancellationToken)
    {
        var transcripts = new Dictionary<string, ImportedTranscript>(StringComparer.Ordinal);
        long withoutFile = 0, orphans = 0;
        foreach (var entry in entries)
        {
            if (entry.SessionId is not { } id)
            {
                continue;
            }

            var file = TranscriptFileOf(read, entry, id);
            if (!SessionKeys.IsCanonicalSessionId(id))
            {
                if (file is not null && names.Contains(file))
                {
                    read.Skip(file, $"the entry {Printable(entry.Key)} has the session id \"{Printable(id)}\", not a UUID, so its transcript cannot be stored under it");
                    read.Handled.Add(file);
                }

                continue;
            }

            if (transcripts.ContainsKey(id))
            {
                continue;
            }

            if (file is null || !names.Contains(file))
            {
                withoutFile++;
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (ReadTranscript(read, file, id) is { } transcript)
            {
                transcripts[id] = transcript;
            }
        }

        foreach (var name in names.Where(n => !read.Handled.Contains(n) && n.EndsWith(AgentFileNameRules.TranscriptExtension, StringComparison.Ordinal)))
        {
            var id = name[..^AgentFileNameRules.TranscriptExtension.Length];
            if (!SessionKeys.IsCanonicalSessionId(id))
            {
                continue; // reported with the other files
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (ReadTranscript(read, name, id) is { } transcript)
            {
                transcripts[id] = transcript;
                orphans++;
            }
        }

        var list = transcripts.Values.ToList();
        read.Item("transcripts", list.Count, read.TranscriptFileBytes);
        read.Item("transcript lines", list.Sum(t => (long)t.Lines.Count), list.Sum(t => t.Lines.Sum(l => (long)Encoding.UTF8.GetByteCount(l))));
        read.Item("  transcripts without an entry", orphans, bytes: null);
        read.Item("  entries without a transcript file", withoutFile, bytes: null);
        return list;
    }

    /// <summary>The transcript file an entry names: its <c>sessionFile</c> when that is a file of this folder, else <c>&lt;sessionId&gt;.jsonl</c>.</summary>
    private static string? TranscriptFileOf(Reading read, ImportedSessionEntry entry, string id)
    {
        if (RawJsonObject.TryParseValue(Encoding.UTF8.GetBytes(entry.Json), out var fields) && JsonValues.ReadString(fields, "sessionFile") is { Length: > 0 } sessionFile)
        {
            var name = Path.GetFileName(sessionFile);
            var directory = Path.GetDirectoryName(sessionFile);
            var inFolder = string.IsNullOrEmpty(directory) || Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory, read.Folder)) == read.Folder;
            if (!inFolder || AgentFileNameRules.FindFileNameProblem(name) is not null && !name.EndsWith(AgentFileNameRules.TranscriptExtension, StringComparison.Ordinal))
            {
                read.Skip($"{Printable(entry.Key)} sessionFile", $"\"{Printable(sessionFile)}\" is not a file of the agent folder, so it is not read");
                return null;
            }

            return name;
        }

        return id + AgentFileNameRules.TranscriptExtension;
    }

    private static ImportedTranscript? ReadTranscript(Reading read, string name, string id)
    {
        read.Handled.Add(name);
        if (DurableFile.LinkTargetOf(Path.Combine(read.Folder, name)) is { } target)
        {
            read.Skip(name, $"a symbolic link (to {target}); transcripts are read only from files of the folder");
            return null;
        }

        var bytes = read.Bytes(name, required: false);
        if (bytes is null)
        {
            return null;
        }

        read.TranscriptFileBytes += bytes.Length;
        var lines = new List<string>();
        var number = 0;
        foreach (var line in TranscriptLines.SplitLines(bytes))
        {
            number++;
            if (!IsJsonObject(line.Span))
            {
                read.Skip($"{name} line {number}", "not one JSON object (a line torn by a crash, or damaged); readers skip it too");
                continue;
            }

            lines.Add(Encoding.UTF8.GetString(line.Span));
        }

        return new ImportedTranscript(id, name, lines);
    }

    private static HeartbeatState? ReadHeartbeatState(Reading read, List<string> names)
    {
        var name = AgentFileNameRules.HeartbeatState;
        if (!names.Contains(name))
        {
            return null;
        }

        read.Handled.Add(name);
        var bytes = read.Bytes(name, required: false);
        if (bytes is null)
        {
            return null;
        }

        RawJsonObject parsed;
        try
        {
            parsed = HeartbeatStateFile.Parse(bytes);
        }
        catch (InvalidDataException ex)
        {
            read.Skip(name, $"not readable ({ex.Message}); the heartbeat state starts empty");
            return null;
        }

        foreach (var member in parsed.Members.Where(m => !HeartbeatStateFields.Contains(m.Name)))
        {
            read.Skip($"{name} field {Printable(member.Name)}", "a database keeps the heartbeat figures only (last ack, consecutive OKs, last alert and its summary, per task)");
        }

        var state = HeartbeatStateFile.Read(parsed);
        read.Item("heartbeat state", 1 + state.Tasks.Count, bytes.Length);
        return state;
    }

    private static CronRunLog? ReadCronRuns(Reading read, List<string> names)
    {
        var name = AgentFileNameRules.CronRuns;
        if (!names.Contains(name))
        {
            return null;
        }

        read.Handled.Add(name);
        var bytes = read.Bytes(name, required: false);
        if (bytes is null)
        {
            return null;
        }

        CronRunsFile.Content content;
        try
        {
            content = CronRunsFile.Parse(bytes);
        }
        catch (InvalidDataException ex)
        {
            read.Skip(name, $"not readable ({ex.Message}); no cron runs were imported");
            return null;
        }

        var log = CronRunsFile.Read(content, null);
        if (content.Runs.Count > log.Runs.Count)
        {
            read.Skip(name, $"{content.Runs.Count - log.Runs.Count} run(s) without a task or a known verdict; readers skip them too");
        }

        read.Item("cron runs", log.Runs.Count, bytes.Length);
        return log;
    }

    private static List<HeartbeatRing> ReadRings(Reading read, List<string> names)
    {
        var rings = new List<HeartbeatRing>();
        long bytesRead = 0;
        var reader = new HeartbeatRingFile(read.Folder, TimeProvider.System);
        foreach (var name in names.Where(n => !read.Handled.Contains(n) && n.EndsWith(".json", StringComparison.Ordinal) && n != AgentFileNameRules.OccurrenceClaims))
        {
            if (AgentFileNameRules.FindFileNameProblem(name) is not null || Directory.Exists(Path.Combine(read.Folder, name)))
            {
                continue;
            }

            var bytes = read.Bytes(name, required: false);
            if (bytes is null)
            {
                continue;
            }

            HeartbeatRingFile.Ring parsed;
            try
            {
                parsed = HeartbeatRingFile.Parse(bytes);
            }
            catch (InvalidDataException ex)
            {
                read.Handled.Add(name);
                read.Skip(name, $"not readable as a heartbeat ring ({ex.Message})");
                continue;
            }

            if (!parsed.Top!.Contains("entries"))
            {
                continue; // not a ring: reported with the other files
            }

            read.Handled.Add(name);
            var ring = reader.Read(parsed, name);
            if (parsed.Entries.Count > ring.Entries.Count)
            {
                read.Skip(name, $"{parsed.Entries.Count - ring.Entries.Count} entr(ies) not readable or beyond its maxEntries; readers skip them too");
            }

            rings.Add(ring);
            bytesRead += bytes.Length;
        }

        read.Item("heartbeat rings", rings.Count, bytesRead);
        read.Item("ring entries", rings.Sum(r => (long)r.Entries.Count), bytes: null);
        return rings;
    }

    private static string WhySkipped(Reading read, string name)
    {
        var path = Path.Combine(read.Folder, name);
        if (Directory.Exists(path))
        {
            return "a folder; an agent store keeps no folders";
        }

        if (name == AgentFileNameRules.OccurrenceClaims)
        {
            return "occurrence claims are leases of the hosts that shared this folder; they are not carried over (stop those hosts before importing)";
        }

        if (name.StartsWith("sessions-", StringComparison.Ordinal) && name.EndsWith(".json.gz", StringComparison.Ordinal))
        {
            return "a rotation archive: its entries were rotated out of the live store; it stays in the folder";
        }

        if (name.Contains(".bak", StringComparison.Ordinal) || name.Contains(".reset.", StringComparison.Ordinal) || name.Contains(".deleted.", StringComparison.Ordinal) || name.EndsWith(".zst", StringComparison.Ordinal))
        {
            return "a backup or an archived transcript, not part of the live store";
        }

        if (name.StartsWith(AgentFileNameRules.Lock, StringComparison.Ordinal) || name.EndsWith(".lock", StringComparison.Ordinal) || name == AgentFileNameRules.CommitJournal)
        {
            return "a lock or commit record of the store that wrote the folder";
        }

        if (name.EndsWith(AgentFileNameRules.TempSuffix, StringComparison.Ordinal))
        {
            return "a temp file of an interrupted write";
        }

        if (name.Contains(".corrupt-", StringComparison.Ordinal))
        {
            return "a file a store could not read and moved aside";
        }

        if (name.EndsWith(".trajectory.jsonl", StringComparison.Ordinal))
        {
            return "a trajectory sidecar, not a transcript";
        }

        if (name.EndsWith(AgentFileNameRules.TranscriptExtension, StringComparison.Ordinal))
        {
            return "not named <uuid>.jsonl and no entry names it as its sessionFile";
        }

        if (name.EndsWith(".json", StringComparison.Ordinal))
        {
            return "a JSON file that is not a store file (no \"entries\" array, so not a heartbeat ring)";
        }

        return "not a file of an agent store";
    }

    private static bool IsJsonObject(ReadOnlySpan<byte> line)
    {
        if (!Utf8.IsValid(line))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = RawJsonObject.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Printable(string text) => AgentFileNameRules.Printable(text);

    /// <summary>The folder being read and what the report collects.</summary>
    private sealed class Reading(string folder)
    {
        public string Folder { get; } = folder;

        public HashSet<string> Handled { get; } = new(StringComparer.Ordinal);

        public List<AgentImportItem> Items { get; } = [];

        public List<AgentImportSkip> Skipped { get; } = [];

        public long TranscriptFileBytes { get; set; }

        public void Item(string what, long count, long? bytes) => Items.Add(new AgentImportItem(what, count, bytes));

        public void Skip(string item, string reason) => Skipped.Add(new AgentImportSkip(item, reason));

        /// <summary>A file's bytes, read with sharing and never written; a file that vanished reads as <see langword="null"/>.</summary>
        public byte[]? Bytes(string name, bool required)
        {
            var path = System.IO.Path.Combine(Folder, name);
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
                var bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
                return bytes;
            }
            catch (Exception ex) when (!required && ex is FileNotFoundException)
            {
                return null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SessionStoreException(path, $"Could not read {path}: {ex.Message} Check that this process may read the agent folder (nothing was imported).", ex);
            }
        }
    }
}
