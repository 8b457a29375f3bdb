using System.Buffers;
using System.Text;
using System.Text.Json;

namespace SessionKinds.Internal;

/// <summary>
/// Reads and rewrites a heartbeat ring file:
/// <c>{"maxEntries": N, "task": "&lt;owner&gt;", "entries": [{"ts": s, "result": "ok"|"alert", "summary": "…"}]}</c>,
/// oldest entry first, never more than <c>maxEntries</c>, one entry per line. <c>ts</c> is in epoch seconds.
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
    public const string MaxEntriesField = "maxEntries";
    public const string TaskField = "task";
    public const string EntriesField = "entries";
    private const long MaxEpochSeconds = 253_402_300_799;

    private readonly string _folder;
    private readonly TimeProvider _time;
    private readonly FolderLock _lock;

    // The last ring this store wrote, per file: when the file still holds exactly those bytes (checked on every load,
    // under the lock) the parsed form is reused instead of parsing the file again. Only touched under the folder lock.
    private readonly Dictionary<string, (ReadOnlyMemory<byte> Bytes, Ring Ring)> _lastWritten = new(StringComparer.Ordinal);

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
        var ring = StoreFile.LoadForUpdate(path, _time, bytes =>
            _lastWritten.TryGetValue(path, out var last) && bytes.Span.SequenceEqual(last.Bytes.Span) ? last.Ring : Parse(bytes));
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
        var path = PathOf(ringFile);
        var entry = JsonValues.Serialize(64 + summary.Length * 2, JsonValues.LineWriterOptions, (result, summary, nowSeconds), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteNumber("ts", s.nowSeconds);
            w.WriteString("result", s.result == HeartbeatResult.Ok ? "ok" : "alert");
            w.WriteString("summary", s.summary);
            w.WriteEndObject();
        }).WrittenMemory;

        var entries = new List<ReadOnlyMemory<byte>>(Math.Min(ringSize, ring.Entries.Count + 1));
        for (var i = Math.Max(0, ring.Entries.Count + 1 - ringSize); i < ring.Entries.Count; i++)
        {
            entries.Add(ring.Entries[i]);
        }

        entries.Add(entry);
        var state = (ring.Top, entries, ringSize, owner);
        var buffer = JsonValues.Serialize(ring.SourceLength + entry.Length + 256, JsonValues.FileWriterOptions, state, static (w, s) =>
            WriteRing(w, s.Top, s.entries, s.ringSize, s.owner));
        _lastWritten.Remove(path);
        DurableFile.ReplaceAtomically(path, buffer.WrittenSpan);

        // What a parse of the bytes just written returns: the same members in the same order, the new entries.
        var top = ring.Top ?? RawJsonObject.Empty();
        top.Set(MaxEntriesField, ReadOnlyMemory<byte>.Empty);
        top.Set(TaskField, JsonValues.Serialize(owner.Length * 2 + 8, JsonValues.LineWriterOptions, owner, static (w, o) => w.WriteStringValue(o)).WrittenMemory);
        top.Set(EntriesField, ReadOnlyMemory<byte>.Empty);
        _lastWritten[path] = (buffer.WrittenMemory, new Ring(top, entries, buffer.WrittenCount));
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

        var max = ring.Top!.TryGet(MaxEntriesField, out var rawMax) && JsonValues.TryReadInteger(rawMax, out var m) && m is >= AgentFileNameRules.MinRingSize and <= AgentFileNameRules.MaxRingSize
            ? (int)m
            : Math.Clamp(entries.Count, AgentFileNameRules.MinRingSize, AgentFileNameRules.MaxRingSize);
        if (entries.Count > max)
        {
            entries.RemoveRange(0, entries.Count - max);
        }

        return new HeartbeatRing(ringFile, max, JsonValues.ReadString(ring.Top, TaskField), entries);
    }

    private static Ring Parse(ReadOnlyMemory<byte> content)
    {
        var top = RawJsonObject.ParseFile(content, "A heartbeat ring file", EntriesField, out var entries);
        if (entries is null && top.Contains(EntriesField))
        {
            throw new InvalidDataException("\"entries\" must be an array");
        }

        return new Ring(top, entries ?? [], content.Length);
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

    private static void WriteRing(Utf8JsonWriter writer, RawJsonObject? top, List<ReadOnlyMemory<byte>> entries, int ringSize, string owner)
    {
        writer.WriteStartObject();
        bool wroteMax = false, wroteTask = false, wroteEntries = false;
        if (top is not null)
        {
            foreach (var member in top.Members)
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
                        WriteEntries(writer, entries);
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
            WriteEntries(writer, entries);
        }

        writer.WriteEndObject();
    }

    // One entry per line. Entries are copied raw, so kept entries (whatever their formatting) stay byte for byte.
    private static void WriteEntries(Utf8JsonWriter writer, List<ReadOnlyMemory<byte>> entries)
    {
        var length = 8;
        foreach (var entry in entries)
        {
            length += entry.Length + 8;
        }

        var array = new ArrayBufferWriter<byte>(length);
        array.Write("["u8);
        for (var i = 0; i < entries.Count; i++)
        {
            array.Write(i == 0 ? NewLineAndElementIndent.AsSpan(1) : NewLineAndElementIndent);
            array.Write(entries[i].Span);
        }

        array.Write(entries.Count == 0 ? "]"u8 : NewLineAndArrayEnd);
        writer.WritePropertyName(EntriesField);
        writer.WriteRawValue(array.WrittenSpan, skipInputValidation: true);
    }

    private static readonly byte[] NewLineAndElementIndent = Encoding.UTF8.GetBytes("," + Environment.NewLine + "    ");
    private static readonly byte[] NewLineAndArrayEnd = Encoding.UTF8.GetBytes(Environment.NewLine + "  ]");

    /// <summary>A parsed ring: top-level members (null for a new file) and the raw entries, oldest first.</summary>
    internal sealed record Ring(RawJsonObject? Top, List<ReadOnlyMemory<byte>> Entries, int SourceLength);
}
