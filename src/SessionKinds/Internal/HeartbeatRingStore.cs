using System.Text.Json;

namespace SessionKinds.Internal;

/// <summary>
/// Reads and rewrites a heartbeat ring file:
/// <c>{"maxEntries": N, "task": "&lt;owner&gt;", "entries": [{"ts": s, "result": "ok"|"alert", "summary": "…"}]}</c>,
/// oldest entry first, never more than <c>maxEntries</c>.
/// </summary>
/// <remarks>
/// <para>Ownership: a ring whose <c>task</c> names another task is never written (<see cref="HeartbeatRingOwnershipException"/>);
/// a ring without a <c>task</c> (or with a non-string one) is adopted by the first task that writes it.</para>
/// <para>Writer repair rule: every append rewrites <c>maxEntries</c> with the writing task's <c>RingSize</c> and keeps only the
/// newest <c>RingSize</c> entries, whatever the file said (0, negative, fewer than the entries present, not a number).</para>
/// <para>Reader repair rule: a <c>maxEntries</c> that is not an integer in 1..10000 is reported as the number of entries
/// present (at least 1, at most 10000); only the newest <c>maxEntries</c> entries are returned; entries that are not
/// objects with a <c>result</c> of <c>ok</c> or <c>alert</c> are skipped; a missing or invalid <c>ts</c> reads as the epoch.</para>
/// <para>A file that is not a JSON object, or whose <c>entries</c> is not an array, is moved aside as corrupt.</para>
/// </remarks>
internal sealed class HeartbeatRingStore
{
    public const int MaxRingSize = 10_000;
    public const string MaxEntriesField = "maxEntries";
    public const string TaskField = "task";
    public const string EntriesField = "entries";
    private const long MaxEpochSeconds = 253_402_300_799;

    private readonly string _folder;
    private readonly TimeProvider _time;
    private readonly FolderLock _lock;

    public HeartbeatRingStore(string folder, TimeProvider time, FolderLock folderLock)
    {
        _folder = folder;
        _time = time;
        _lock = folderLock;
    }

    public string PathOf(string ringFile) => Path.Combine(_folder, ringFile);

    /// <summary>Loads the ring for an append while the lock is held, and checks that <paramref name="owner"/> may write it.</summary>
    public Ring LoadForUpdate(string ringFile, string owner)
    {
        var path = PathOf(ringFile);
        var ring = StoreFile.LoadForUpdate(path, _time, Parse);
        if (ring is null)
        {
            return new Ring(null, [], 0);
        }

        var recorded = JsonValues.ReadString(ring.Top!, TaskField);
        if (recorded is not null && recorded != owner)
        {
            throw new HeartbeatRingOwnershipException(path, recorded, owner);
        }

        return ring;
    }

    /// <summary>Appends one entry, adopting <paramref name="ringSize"/> and trimming the oldest entries.</summary>
    public void Append(string ringFile, Ring ring, int ringSize, string owner, HeartbeatResult result, string summary, long nowSeconds)
    {
        var state = (ring, ringSize, owner, result, summary, nowSeconds);
        var buffer = JsonValues.Serialize(ring.SourceLength + 256 + summary.Length * 2, JsonValues.FileWriterOptions, state, static (w, s) =>
            WriteRing(w, s.ring, s.ringSize, s.owner, s.result, s.summary, s.nowSeconds));
        DurableFile.ReplaceAtomically(PathOf(ringFile), buffer.WrittenSpan);
    }

    public HeartbeatRing Read(string ringFile)
    {
        var ring = StoreFile.LoadForRead(PathOf(ringFile), _time, _lock, Parse);
        if (ring is null)
        {
            return new HeartbeatRing(ringFile, 0, null, []);
        }

        var entries = new List<HeartbeatRingEntry>(ring.Entries.Count);
        foreach (var raw in ring.Entries)
        {
            if (TryReadEntry(raw, out var entry))
            {
                entries.Add(entry);
            }
        }

        var max = ring.Top!.TryGet(MaxEntriesField, out var rawMax) && JsonValues.TryReadInteger(rawMax, out var m) && m is >= 1 and <= MaxRingSize
            ? (int)m
            : Math.Clamp(entries.Count, 1, MaxRingSize);
        if (entries.Count > max)
        {
            entries.RemoveRange(0, entries.Count - max);
        }

        return new HeartbeatRing(ringFile, max, JsonValues.ReadString(ring.Top, TaskField), entries);
    }

    private static Ring Parse(ReadOnlyMemory<byte> content)
    {
        var top = RawJsonObject.ParseFile(content, "A heartbeat ring file");
        var entries = new List<ReadOnlyMemory<byte>>();
        if (top.TryGet(EntriesField, out var rawEntries) && !RawJsonObject.TryReadArray(rawEntries, out entries))
        {
            throw new InvalidDataException("\"entries\" must be an array");
        }

        return new Ring(top, entries, content.Length);
    }

    private static bool TryReadEntry(ReadOnlyMemory<byte> raw, out HeartbeatRingEntry entry)
    {
        entry = default!;
        if (!RawJsonObject.TryParseValue(raw, out var obj))
        {
            return false;
        }

        HeartbeatResult result;
        switch (JsonValues.ReadString(obj, "result"))
        {
            case "ok": result = HeartbeatResult.Ok; break;
            case "alert": result = HeartbeatResult.Alert; break;
            default: return false;
        }

        var seconds = obj.TryGet("ts", out var rawTs) && JsonValues.TryReadInteger(rawTs, out var ts) && ts is >= 0 and <= MaxEpochSeconds ? ts : 0;
        entry = new HeartbeatRingEntry(DateTimeOffset.FromUnixTimeSeconds(seconds), result, JsonValues.ReadString(obj, "summary") ?? string.Empty);
        return true;
    }

    private static void WriteRing(Utf8JsonWriter writer, Ring ring, int ringSize, string owner, HeartbeatResult result, string summary, long nowSeconds)
    {
        writer.WriteStartObject();
        bool wroteMax = false, wroteTask = false, wroteEntries = false;
        if (ring.Top is not null)
        {
            foreach (var member in ring.Top.Members)
            {
                switch (member.Name)
                {
                    case MaxEntriesField:
                        writer.WriteNumber(MaxEntriesField, ringSize);
                        wroteMax = true;
                        break;
                    case TaskField:
                        writer.WriteString(TaskField, owner);
                        wroteTask = true;
                        break;
                    case EntriesField:
                        WriteEntries(writer, ring.Entries, ringSize, result, summary, nowSeconds);
                        wroteEntries = true;
                        break;
                    default:
                        JsonValues.WriteRaw(writer, member);
                        break;
                }
            }
        }

        if (!wroteMax)
        {
            writer.WriteNumber(MaxEntriesField, ringSize);
        }

        if (!wroteTask)
        {
            writer.WriteString(TaskField, owner);
        }

        if (!wroteEntries)
        {
            WriteEntries(writer, ring.Entries, ringSize, result, summary, nowSeconds);
        }

        writer.WriteEndObject();
    }

    private static void WriteEntries(Utf8JsonWriter writer, List<ReadOnlyMemory<byte>> existing, int ringSize, HeartbeatResult result, string summary, long nowSeconds)
    {
        writer.WritePropertyName(EntriesField);
        writer.WriteStartArray();
        var skip = Math.Max(0, existing.Count + 1 - ringSize);
        for (var i = skip; i < existing.Count; i++)
        {
            writer.WriteRawValue(existing[i].Span, skipInputValidation: true);
        }

        writer.WriteStartObject();
        writer.WriteNumber("ts", nowSeconds);
        writer.WriteString("result", result == HeartbeatResult.Ok ? "ok" : "alert");
        writer.WriteString("summary", summary);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    /// <summary>A parsed ring: top-level members (null for a new file) and the raw entries, oldest first.</summary>
    internal sealed record Ring(RawJsonObject? Top, List<ReadOnlyMemory<byte>> Entries, int SourceLength);
}
