using SessionKinds.Tool.Store;

namespace SessionKinds.Tool.Inspect;

/// <summary>Entries, bytes and transcripts of one kind.</summary>
internal sealed class KindFigures
{
    public int Entries { get; set; }

    public long Bytes { get; set; }

    /// <summary>Entries whose kind was read from the key because they carry no <c>kind</c> field.</summary>
    public int Inferred { get; set; }

    public int Transcripts { get; set; }

    public long TranscriptBytes { get; set; }
}

/// <summary>One of the biggest entries and the fields that make it big.</summary>
internal sealed record BigEntry(string Key, EntryKind Kind, int Line, int Bytes, IReadOnlyList<(string Name, int Bytes)> TopFields);

/// <summary>Entries last updated on one UTC day.</summary>
internal sealed record DayFigures(DateOnly Day, int Entries, long Bytes);

/// <summary>What <c>sessionkinds inspect</c> reports about a store; computed once, rendered as text or JSON.</summary>
internal sealed class InspectReport
{
    public const int BiggestCount = 10;
    public const int FieldsPerBigEntry = 3;

    public required StoreLocation Location { get; init; }

    public required long FileBytes { get; init; }

    public required int Entries { get; init; }

    /// <summary>Figures per kind, every kind present (zeros included), in <see cref="EntryKind"/> order.</summary>
    public required IReadOnlyDictionary<EntryKind, KindFigures> Kinds { get; init; }

    public required ScannedEntry? Oldest { get; init; }

    public required ScannedEntry? Newest { get; init; }

    public required int WithoutUpdatedAt { get; init; }

    public required IReadOnlyList<BigEntry> Biggest { get; init; }

    public required IReadOnlyList<DayFigures> Days { get; init; }

    public required IReadOnlyList<DuplicateKey> Duplicates { get; init; }

    /// <summary><c>.jsonl</c> files in the folder that no entry refers to.</summary>
    public required int UnreferencedTranscripts { get; init; }

    public required long UnreferencedTranscriptBytes { get; init; }

    public static InspectReport Create(StoreLocation location, StoreScan scan, IProgress<double>? progress = null)
    {
        var kinds = Enum.GetValues<EntryKind>().ToDictionary(k => k, _ => new KindFigures());
        var bySessionId = new Dictionary<string, EntryKind>(StringComparer.OrdinalIgnoreCase);
        var byFileName = new Dictionary<string, EntryKind>(StringComparer.Ordinal);
        var days = new SortedDictionary<DateOnly, (int Entries, long Bytes)>();
        ScannedEntry? oldest = null, newest = null;
        var withoutUpdatedAt = 0;
        foreach (var entry in scan.Entries)
        {
            var kind = KeyShapes.KindOf(entry.Key, entry.KindField, out var inferred);
            var figures = kinds[kind];
            figures.Entries++;
            figures.Bytes += entry.Length;
            figures.Inferred += inferred ? 1 : 0;
            if (entry.SessionFile is { Length: > 0 } sessionFile)
            {
                byFileName[Path.GetFileName(sessionFile)] = kind;
            }

            if (entry.SessionId is { } id)
            {
                bySessionId.TryAdd(id, kind);
            }

            if (entry.UpdatedAt is long ms)
            {
                oldest = oldest is null || ms < oldest.UpdatedAt ? entry : oldest;
                newest = newest is null || ms > newest.UpdatedAt ? entry : newest;
                var day = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime);
                days.TryGetValue(day, out var d);
                days[day] = (d.Entries + 1, d.Bytes + entry.Length);
            }
            else
            {
                withoutUpdatedAt++;
            }
        }

        progress?.Report(0.5);
        var (unreferenced, unreferencedBytes) = CountTranscripts(location.Folder, kinds, bySessionId, byFileName);
        progress?.Report(0.9);

        var biggest = scan.Entries
            .OrderByDescending(e => e.Length)
            .ThenBy(e => e.Line)
            .Take(BiggestCount)
            .Select(e => new BigEntry(e.Key, e.Kind, e.Line, e.Length, scan.FieldsOf(e).Take(FieldsPerBigEntry).ToList()))
            .ToList();

        return new InspectReport
        {
            Location = location,
            FileBytes = scan.Bytes.LongLength,
            Entries = scan.Entries.Count,
            Kinds = kinds,
            Oldest = oldest,
            Newest = newest,
            WithoutUpdatedAt = withoutUpdatedAt,
            Biggest = biggest,
            Days = days.Select(d => new DayFigures(d.Key, d.Value.Entries, d.Value.Bytes)).ToList(),
            Duplicates = scan.Duplicates,
            UnreferencedTranscripts = unreferenced,
            UnreferencedTranscriptBytes = unreferencedBytes,
        };
    }

    /// <summary>
    /// Counts every <c>.jsonl</c> file of the folder under the kind of the entry it belongs to: by <c>sessionFile</c>, by
    /// <c>&lt;sessionId&gt;.jsonl</c>, or a Telegram topic's <c>&lt;sessionId&gt;-topic-&lt;thread&gt;.jsonl</c>.
    /// </summary>
    private static (int Count, long Bytes) CountTranscripts(
        string folder, Dictionary<EntryKind, KindFigures> kinds, Dictionary<string, EntryKind> bySessionId, Dictionary<string, EntryKind> byFileName)
    {
        var count = 0;
        long bytes = 0;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*.jsonl", SearchOption.TopDirectoryOnly))
        {
            var name = file.Name;
            EntryKind kind;
            if (!byFileName.TryGetValue(name, out kind)
                && !(name.Length >= 42 && bySessionId.TryGetValue(name[..36], out kind) && (name.Length == 42 || name.AsSpan(36).StartsWith("-topic-", StringComparison.Ordinal))))
            {
                count++;
                bytes += file.Length;
                continue;
            }

            kinds[kind].Transcripts++;
            kinds[kind].TranscriptBytes += file.Length;
        }

        return (count, bytes);
    }
}
