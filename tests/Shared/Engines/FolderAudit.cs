using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace SessionKinds.Tests.Engines;

/// <summary>
/// Looks at every file of an agent folder with a strict JSON parser (System.Text.Json, not the store's own reader):
/// every <c>*.json</c> file must be one JSON object, every <c>sessions-*.json.gz</c> archive must decompress to one,
/// every file must be owner-only on Unix (the folder itself 0700). Temp files and moved-aside corrupt files are listed.
/// </summary>
public sealed class FolderAudit
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Files that should parse and did not, with the reason.</summary>
    public List<string> Unreadable { get; } = [];

    /// <summary><c>*.sktmp</c> files (an interrupted atomic write).</summary>
    public List<string> TempFiles { get; } = [];

    /// <summary><c>*.corrupt-*</c> files (the store found a file it could not read).</summary>
    public List<string> MovedAside { get; } = [];

    /// <summary>Files whose Unix mode is not 0600 (or the folder, when it is not 0700).</summary>
    public List<string> NotOwnerOnly { get; } = [];

    public int JsonFiles { get; private set; }

    public int Archives { get; private set; }

    public int Transcripts { get; private set; }

    /// <summary>Transcript lines that are not JSON (a line torn by a kill; readers skip it).</summary>
    public int TornTranscriptLines { get; private set; }

    /// <summary>Every problem found (unreadable, left-over temp or moved-aside files, modes), one line each.</summary>
    public IEnumerable<string> Problems =>
        Unreadable.Concat(TempFiles.Select(t => $"temp file left: {t}")).Concat(MovedAside.Select(m => $"moved aside as corrupt: {m}")).Concat(NotOwnerOnly)
            .Concat(TornTranscriptLines > 0 ? [$"{TornTranscriptLines} torn transcript lines"] : []);

    /// <summary>Inspects <paramref name="folder"/>. Archives already in <paramref name="archives"/> are only checked for size
    /// (call <see cref="ArchiveCache.VerifyUnchanged"/> for a full check); new ones are decompressed and recorded there.</summary>
    public static FolderAudit Inspect(string folder, ArchiveCache? archives = null, bool readTranscripts = true)
    {
        var audit = new FolderAudit();
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(folder) != (OwnerOnly | UnixFileMode.UserExecute))
        {
            audit.NotOwnerOnly.Add($"the folder is {File.GetUnixFileMode(folder)}");
        }

        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) != OwnerOnly)
            {
                audit.NotOwnerOnly.Add($"{name} is {File.GetUnixFileMode(path)}");
            }

            if (name.EndsWith(".sktmp", StringComparison.Ordinal))
            {
                audit.TempFiles.Add(name);
            }
            else if (name.Contains(".corrupt-", StringComparison.Ordinal))
            {
                audit.MovedAside.Add(name);
            }
            else if (name.EndsWith(".json", StringComparison.Ordinal))
            {
                audit.JsonFiles++;
                if (ProblemWithJsonObject(File.ReadAllBytes(path)) is string problem)
                {
                    audit.Unreadable.Add($"{name}: {problem}");
                }
            }
            else if (name.StartsWith("sessions-", StringComparison.Ordinal) && name.EndsWith(".json.gz", StringComparison.Ordinal))
            {
                audit.Archives++;
                var cache = archives ?? new ArchiveCache();
                if (cache.Add(path) is string problem)
                {
                    audit.Unreadable.Add($"{name}: {problem}");
                }
            }
            else if (name.EndsWith(".jsonl", StringComparison.Ordinal))
            {
                audit.Transcripts++;
                if (readTranscripts)
                {
                    audit.TornTranscriptLines += CountUnparsableLines(File.ReadAllBytes(path));
                }
            }
        }

        return audit;
    }

    /// <summary>Why <paramref name="bytes"/> is not exactly one JSON object, or <see langword="null"/>.</summary>
    public static string? ProblemWithJsonObject(byte[] bytes)
    {
        try
        {
            using var json = JsonDocument.Parse(bytes);
            return json.RootElement.ValueKind == JsonValueKind.Object ? null : $"the root is {json.RootElement.ValueKind}, not an object";
        }
        catch (JsonException ex)
        {
            return bytes.Length == 0 ? "the file is empty" : ex.Message;
        }
    }

    /// <summary>Decompresses a gzip archive; throws when it is not valid gzip.</summary>
    public static byte[] Gunzip(byte[] compressed)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var result = new MemoryStream();
        gzip.CopyTo(result);
        return result.ToArray();
    }

    /// <summary>The (key, sessionId) pairs of a <c>sessions.json</c> document (entries whose sessionId is a string).</summary>
    public static IEnumerable<(string Key, string SessionId)> SessionPairs(byte[] sessionsJson)
    {
        using var json = JsonDocument.Parse(sessionsJson);
        var pairs = new List<(string, string)>();
        foreach (var entry in json.RootElement.EnumerateObject())
        {
            if (entry.Value.ValueKind == JsonValueKind.Object
                && entry.Value.TryGetProperty("sessionId", out var id)
                && id.ValueKind == JsonValueKind.String)
            {
                pairs.Add((entry.Name, id.GetString()!));
            }
        }

        return pairs;
    }

    private static int CountUnparsableLines(byte[] bytes)
    {
        var torn = 0;
        var rest = bytes.AsSpan();
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            try
            {
                using var json = JsonDocument.Parse(line.ToArray());
                if (json.RootElement.ValueKind != JsonValueKind.Object)
                {
                    torn++;
                }
            }
            catch (JsonException)
            {
                torn++;
            }
        }

        return torn;
    }
}

/// <summary>
/// The archives seen so far in a folder: each decompressed and parsed once, its hash and (key, sessionId) pairs kept,
/// so a long test can check after every step that no archive changed or vanished, and look entries up in all of them.
/// </summary>
public sealed class ArchiveCache
{
    private readonly Dictionary<string, (long Length, byte[] Hash)> _seen = new(StringComparer.Ordinal);

    /// <summary>Every (key, sessionId) pair found in any archive seen.</summary>
    public HashSet<(string Key, string SessionId)> Pairs { get; } = [];

    public int Count => _seen.Count;

    /// <summary>Records the archive at <paramref name="path"/>; returns a problem when it is unreadable or changed since last seen.</summary>
    public string? Add(string path)
    {
        var name = Path.GetFileName(path);
        if (_seen.TryGetValue(name, out var known))
        {
            var length = new FileInfo(path).Length;
            return length == known.Length ? null : $"the archive changed size from {known.Length} to {length} bytes";
        }

        var bytes = File.ReadAllBytes(path);
        byte[] json;
        try
        {
            json = FolderAudit.Gunzip(bytes);
        }
        catch (InvalidDataException ex)
        {
            return $"not valid gzip: {ex.Message}";
        }

        if (FolderAudit.ProblemWithJsonObject(json) is string problem)
        {
            return $"decompressed content: {problem}";
        }

        Pairs.UnionWith(FolderAudit.SessionPairs(json));
        _seen[name] = (bytes.Length, SHA256.HashData(bytes));
        return null;
    }

    /// <summary>Problems with archives seen before: missing, or bytes changed.</summary>
    public List<string> VerifyUnchanged(string folder)
    {
        var problems = new List<string>();
        foreach (var (name, known) in _seen)
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path))
            {
                problems.Add($"{name} vanished");
            }
            else if (!SHA256.HashData(File.ReadAllBytes(path)).AsSpan().SequenceEqual(known.Hash))
            {
                problems.Add($"{name} was overwritten");
            }
        }

        return problems;
    }
}
