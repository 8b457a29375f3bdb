using SessionKinds.Persistence.Json;
using SessionKinds.Engines;

namespace SessionKinds.Persistence.Files;

/// <summary>
/// A heartbeat ring file:
/// <c>{"maxEntries": N, "task": "&lt;owner&gt;", "entries": [{"ts": s, "result": "ok"|"alert", "summary": "…"}]}</c>,
/// oldest entry first, never more than <c>maxEntries</c>, one entry per line; <c>ts</c> in epoch seconds.
/// </summary>
/// <remarks>
/// <para>Ownership: a ring whose <c>task</c> names another task is never written (<see cref="HeartbeatRingOwnershipException"/>);
/// a ring without a <c>task</c> (or with a non-string one) is adopted by the first task that writes it.</para>
/// <para>Writer repair rule: every append rewrites <c>maxEntries</c> with the writing task's <c>RingSize</c> and keeps only the
/// newest <c>RingSize</c> entries, whatever the file said (0, negative, fewer than the entries present, not a number).</para>
/// <para>Reader repair rule: a <c>maxEntries</c> that is not an integer in 1..10000 is reported as the number of entries
/// present (at least 1, at most 10000); only the newest <c>maxEntries</c> entries are returned; entries that are not
/// objects with a <c>result</c> of <c>ok</c> or <c>alert</c> are skipped (and kept in the file); a missing or invalid
/// <c>ts</c> reads as the epoch.</para>
/// <para>A file that is not a JSON object, or whose <c>entries</c> is not an array, is moved aside as corrupt.</para>
/// </remarks>
internal sealed class HeartbeatRingFile
{
    private const string MaxEntriesField = "maxEntries";
    private const string TaskField = "task";
    private const string EntriesField = "entries";
    private const long MaxEpochSeconds = 253_402_300_799;

    private readonly string _folder;
    private readonly TimeProvider _time;

    // The ring this store wrote last, per file: when the file still holds exactly those bytes (checked on every load,
    // under the lock) the parsed form is reused instead of parsing the file again. Only touched under the folder lock.
    private readonly Dictionary<string, (ReadOnlyMemory<byte> Bytes, Ring Ring)> _lastWritten = new(StringComparer.Ordinal);
    private (string Path, ReadOnlyMemory<byte> Bytes, Ring Ring)? _pending;

    public HeartbeatRingFile(string folder, TimeProvider time)
    {
        _folder = folder;
        _time = time;
    }

    public string PathOf(string ringFile) => Path.Combine(_folder, ringFile);

    /// <summary>Loads the ring for an append while the lock is held, and checks that <paramref name="owner"/> may write it.</summary>
    public Ring LoadForUpdate(string ringFile, string owner)
    {
        var path = PathOf(ringFile);
        var ring = JsonFile.LoadForUpdate(path, _time, bytes =>
            _lastWritten.TryGetValue(path, out var last) && bytes.Span.SequenceEqual(last.Bytes.Span) ? last.Ring : Parse(bytes));
        if (ring is null)
        {
            return new Ring(null, []);
        }

        var recorded = JsonValues.ReadString(ring.Top!, TaskField);
        if (recorded is not null && recorded != owner)
        {
            throw new HeartbeatRingOwnershipException(path, recorded, owner);
        }

        return ring;
    }

    /// <summary>Stages the ring with one more entry, adopting the ring size and dropping the oldest entries beyond it.</summary>
    public void Stage(FolderCommit commit, Ring ring, HeartbeatRingAppend append)
    {
        var path = PathOf(append.RingFile);
        var entry = JsonEntryList.Entry(append.Entry, static (w, e) =>
        {
            w.WriteStartObject();
            w.WriteNumber("ts", e.Timestamp.ToUnixTimeSeconds());
            w.WriteString("result", e.Result == HeartbeatResult.Ok ? "ok" : "alert");
            w.WriteString("summary", e.Summary);
            w.WriteEndObject();
        });

        var entries = new List<ReadOnlyMemory<byte>>(Math.Min(append.RingSize, ring.Entries.Count + 1));
        for (var i = Math.Max(0, ring.Entries.Count + 1 - append.RingSize); i < ring.Entries.Count; i++)
        {
            entries.Add(ring.Entries[i]);
        }

        entries.Add(entry);
        var rewrite = new JsonObjectRewrite()
            .Set(MaxEntriesField, append.RingSize)
            .Set(TaskField, append.Owner)
            .SetWith(EntriesField, w => JsonEntryList.WriteArray(w, entries));
        var bytes = JsonValues.Serialize(ring.SourceLength + entry.Length + 256, JsonValues.FileWriterOptions, (rewrite, ring.Top), static (w, s) => s.rewrite.WriteTo(w, s.Top));
        _lastWritten.Remove(path);
        commit.Replace(path, bytes.WrittenMemory);

        // What a parse of the staged bytes returns: the same members in the same order, the new entries. Remembered only
        // once the commit lands (see Remember), since until then the file still holds the old ring.
        var top = ring.Top ?? RawJsonObject.Empty();
        top.Set(MaxEntriesField, ReadOnlyMemory<byte>.Empty);
        top.Set(TaskField, JsonValues.Serialize(append.Owner.Length * 2 + 8, JsonValues.LineWriterOptions, append.Owner, static (w, o) => w.WriteStringValue(o)).WrittenMemory);
        top.Set(EntriesField, ReadOnlyMemory<byte>.Empty);
        _pending = (path, bytes.WrittenMemory, new Ring(top, entries) { SourceLength = bytes.WrittenCount });
    }

    /// <summary>Remembers the ring staged last as the file's content, once its commit has landed.</summary>
    public void Remember()
    {
        if (_pending is var (path, bytes, ring))
        {
            _lastWritten[path] = (bytes, ring);
            _pending = null;
        }
    }

    /// <summary>Forgets the ring staged last (its commit did not land).</summary>
    public void Forget() => _pending = null;

    public HeartbeatRing Read(Ring? ring, string ringFile)
    {
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

    public static Ring Parse(ReadOnlyMemory<byte> content)
    {
        var (top, entries) = JsonEntryList.Parse(content, "A heartbeat ring file", EntriesField);
        return new Ring(top, entries) { SourceLength = content.Length };
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

    /// <summary>A parsed ring: top-level members (null for a new file) and the raw entries, oldest first.</summary>
    internal sealed record Ring(RawJsonObject? Top, List<ReadOnlyMemory<byte>> Entries)
    {
        public int SourceLength { get; init; }
    }
}
