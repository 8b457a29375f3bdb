using System.Globalization;
using System.Text.Json;

namespace HeartbeatAgent;

/// <summary>Bytes and entries of each kind of file in a set of agent folders.</summary>
internal sealed record FolderReport(IReadOnlyList<FileGroup> Groups)
{
    public long TotalBytes => Groups.Sum(g => g.Bytes);

    public static FolderReport Measure(IEnumerable<string> agentFolders)
    {
        var groups = new Dictionary<string, FileGroup>(StringComparer.Ordinal);
        foreach (var folder in agentFolders)
        {
            foreach (var path in Directory.EnumerateFiles(folder))
            {
                var (group, unit, entries) = Classify(path);
                groups[group] = groups.TryGetValue(group, out var existing)
                    ? existing with { Files = existing.Files + 1, Bytes = existing.Bytes + new FileInfo(path).Length, Entries = existing.Entries + entries }
                    : new FileGroup(group, unit, 1, new FileInfo(path).Length, entries);
            }
        }

        return new FolderReport(groups.Values.ToList());
    }

    public FileGroup? Find(string group) => Groups.FirstOrDefault(g => g.Name == group);

    private static (string Group, string Unit, long Entries) Classify(string path)
    {
        var name = Path.GetFileName(path);
        return name switch
        {
            "sessions.json" => ("sessions.json", "entries", CountProperties(path)),
            "heartbeat-state.json" => ("heartbeat-state.json", "", 0),
            _ when name.StartsWith("heartbeat-ring", StringComparison.Ordinal) => ("heartbeat-ring.json", "entries", CountListEntries(path, "entries")),
            "cron-runs.json" => ("cron-runs.json", "runs", CountListEntries(path, "runs")),
            "schedule-claims.json" => ("schedule-claims.json", "claims", CountListEntries(path, "claims")),
            _ when name.EndsWith(".jsonl", StringComparison.Ordinal) => ("transcripts (*.jsonl)", "lines", File.ReadLines(path).LongCount()),
            _ when name.EndsWith(".json.gz", StringComparison.Ordinal) => ("archives (*.json.gz)", "files", 0),
            _ when name.StartsWith(".sessionkinds.lock", StringComparison.Ordinal) => ("lock files", "", 0),
            _ => ("other", "", 0),
        };
    }

    private static long CountProperties(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.EnumerateObject().LongCount();
    }

    private static long CountListEntries(string path, string list)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.TryGetProperty(list, out var entries) ? entries.GetArrayLength() : 0;
    }
}

/// <summary>One row of the report: a kind of file, how many there are, their bytes and their entries.</summary>
internal sealed record FileGroup(string Name, string Unit, int Files, long Bytes, long Entries)
{
    public string Describe() => Unit.Length == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Files:N0} file(s)")
        : string.Create(CultureInfo.InvariantCulture, $"{Files:N0} file(s), {Entries:N0} {Unit}");
}
