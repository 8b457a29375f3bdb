using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using SessionKinds.Tool.Cli;

namespace SessionKinds.Tool.Store;

/// <summary>One occurrence of a key in <c>sessions.json</c>: where its value is, and the fields the tool reads.</summary>
/// <param name="Key">The session key.</param>
/// <param name="Line">The 1-based line of the key.</param>
/// <param name="Start">The value's first byte in <see cref="StoreScan.Bytes"/>.</param>
/// <param name="Length">The value's length in bytes, as stored.</param>
/// <param name="IsObject">Whether the value is a JSON object (other values are kept and reported as unknown).</param>
/// <param name="SessionId">The <c>sessionId</c> string.</param>
/// <param name="KindField">The <c>kind</c> string (SessionKinds stores write it; the gateway's do not).</param>
/// <param name="UpdatedAt">The <c>updatedAt</c> epoch milliseconds, when it is an integer in 0..9999-12-31.</param>
/// <param name="SessionFile">The gateway's <c>sessionFile</c> (the transcript path when it is not the default).</param>
internal sealed record ScannedEntry(string Key, int Line, int Start, int Length, bool IsObject, string? SessionId, string? KindField, long? UpdatedAt, string? SessionFile)
{
    public EntryKind Kind => KeyShapes.KindOf(Key, KindField, out _);

    public bool KindInferred
    {
        get
        {
            KeyShapes.KindOf(Key, KindField, out var inferred);
            return inferred;
        }
    }
}

/// <summary>A key that appears more than once; like the gateway and the store, the last value counts.</summary>
internal sealed record DuplicateKey(string Key, IReadOnlyList<int> Lines);

/// <summary>
/// <c>sessions.json</c> read without changing anything, by the rules the store reads it with: a UTF-8 BOM is skipped, the
/// bytes must be valid UTF-8 and hold one JSON object, comments and trailing commas are accepted, nesting is limited to
/// 256 levels, and a key that appears twice keeps its first position and its last value.
/// </summary>
internal sealed class StoreScan
{
    private const int MaxDepth = 256;
    private const long MaxEpochMilliseconds = 253_402_300_799_999;

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private StoreScan(string path, byte[] bytes, int offset, List<ScannedEntry> entries, List<DuplicateKey> duplicates)
    {
        Path = path;
        Bytes = bytes;
        Offset = offset;
        Entries = entries;
        Duplicates = duplicates;
    }

    public string Path { get; }

    /// <summary>The whole file.</summary>
    public byte[] Bytes { get; }

    /// <summary>Where the JSON starts in <see cref="Bytes"/> (3 after a BOM).</summary>
    public int Offset { get; }

    /// <summary>One entry per key, in first-appearance order, each with its last value.</summary>
    public IReadOnlyList<ScannedEntry> Entries { get; }

    public IReadOnlyList<DuplicateKey> Duplicates { get; }

    public ReadOnlySpan<byte> ValueOf(ScannedEntry entry) => Bytes.AsSpan(Offset + entry.Start, entry.Length);

    /// <summary>
    /// Whether the file is strict JSON (no comments, no trailing commas): then every value is stored exactly as it is in the
    /// file; otherwise the store reads values with the comments and trailing commas left out.
    /// </summary>
    public bool IsStrict()
    {
        try
        {
            var reader = new Utf8JsonReader(Bytes.AsSpan(Offset), new JsonReaderOptions { MaxDepth = MaxDepth });
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <exception cref="InputException">The file cannot be read or is not a store; the message names the file and the line.</exception>
    public static StoreScan Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path} could not be read: {ex.Message} Check that it exists and that you may read it.");
        }

        var offset = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var json = bytes.AsSpan(offset);
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw Problem(path, null, "the file is empty");
        }

        if (!Utf8.IsValid(json))
        {
            var bad = FirstInvalidUtf8(json);
            throw Problem(path, LineAt(json, bad), $"the bytes at offset {bad + offset} are not valid UTF-8");
        }

        try
        {
            return Parse(path, bytes, offset);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is long l ? (int)l + 1 : (int?)null;
            if (EndsEarly(json, ex))
            {
                throw Problem(path, line, "the file ends before its JSON does: it was cut short, e.g. by a crash or a full disk during a write");
            }

            var message = ex.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw Problem(path, line, (cut > 0 ? message[..cut] : message).TrimEnd('.', ' '));
        }
    }

    private static StoreScan Parse(string path, byte[] bytes, int offset)
    {
        var json = bytes.AsMemory(offset);
        var reader = new Utf8JsonReader(json.Span, ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Problem(path, LineAt(json.Span, (int)reader.TokenStartIndex), $"a store must be one JSON object (session key → entry), but the file holds {Describe(reader.TokenType)}");
        }

        var entries = new List<ScannedEntry>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        Dictionary<string, List<int>>? duplicateLines = null;
        var line = 1;
        var counted = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var at = (int)reader.TokenStartIndex;
            line += json.Span[counted..at].Count((byte)'\n');
            counted = at;
            string key;
            try
            {
                key = reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                throw Problem(path, line, "a session key is not valid text (an unpaired \\u surrogate escape)");
            }

            reader.Read();
            var entry = ReadEntry(ref reader, key, line);
            if (positions.TryGetValue(key, out var first))
            {
                duplicateLines ??= new Dictionary<string, List<int>>(StringComparer.Ordinal);
                if (!duplicateLines.TryGetValue(key, out var lines))
                {
                    duplicateLines[key] = lines = [entries[first].Line];
                }

                lines.Add(line);
                entries[first] = entry with { Line = entries[first].Line };
            }
            else
            {
                positions[key] = entries.Count;
                entries.Add(entry);
            }
        }

        if (reader.Read())
        {
            throw Problem(path, line + json.Span[counted..(int)reader.TokenStartIndex].Count((byte)'\n'), "there is more content after the store's JSON object");
        }

        var duplicates = duplicateLines is null ? [] : duplicateLines.Select(d => new DuplicateKey(d.Key, d.Value)).OrderBy(d => d.Lines[0]).ToList();
        return new StoreScan(path, bytes, offset, entries, duplicates);
    }

    private static ScannedEntry ReadEntry(ref Utf8JsonReader reader, string key, int line)
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return new ScannedEntry(key, line, start, (int)reader.BytesConsumed - start, false, null, null, null, null);
        }

        string? sessionId = null, kind = null, sessionFile = null;
        long? updatedAt = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.ValueTextEquals("sessionId"u8) ? 1 : reader.ValueTextEquals("kind"u8) ? 2 : reader.ValueTextEquals("updatedAt"u8) ? 3 : reader.ValueTextEquals("sessionFile"u8) ? 4 : 0;
            reader.Read();
            switch (name)
            {
                case 1: sessionId = StringOrNull(ref reader); break;
                case 2: kind = StringOrNull(ref reader); break;
                case 4: sessionFile = StringOrNull(ref reader); break;
                case 3: updatedAt = EpochMilliseconds(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        return new ScannedEntry(key, line, start, (int)reader.BytesConsumed - start, true, sessionId, kind, updatedAt, sessionFile);
    }

    /// <summary>The top-level fields of an entry and their sizes in bytes, biggest first.</summary>
    public IReadOnlyList<(string Name, int Bytes)> FieldsOf(ScannedEntry entry)
    {
        var fields = new List<(string, int)>();
        if (!entry.IsObject)
        {
            return fields;
        }

        var reader = new Utf8JsonReader(ValueOf(entry), ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name;
            try
            {
                name = reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                name = "?";
            }

            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            fields.Add((name, (int)reader.BytesConsumed - start));
        }

        fields.Sort(static (a, b) => b.Item2.CompareTo(a.Item2));
        return fields;
    }

    /// <summary>An integral number in 0..9999-12-31 (1.7e12 counts, 1.5 does not), as the store reads <c>updatedAt</c>.</summary>
    private static long? EpochMilliseconds(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            reader.Skip();
            return null;
        }

        if (!reader.TryGetInt64(out var ms))
        {
            if (!reader.TryGetDouble(out var d) || !double.IsFinite(d) || d != Math.Floor(d) || d is < 0 or > MaxEpochMilliseconds)
            {
                return null;
            }

            ms = (long)d;
        }

        return ms is >= 0 and <= MaxEpochMilliseconds ? ms : null;
    }

    private static string? StringOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static InputException Problem(string path, int? line, string problem) => new(
        $"{path}{(line is int l ? $" line {l}" : string.Empty)}: {problem}. Nothing was changed. " +
        "Repair the file (the gateway wrote it as JSON; a sessions-*.json.gz or sessions.json.bak.* beside it holds an earlier copy), then run sessionkinds again.");

    /// <summary>Whether the reader failed at the very end of the content (truncated), not at a wrong byte inside it.</summary>
    private static bool EndsEarly(ReadOnlySpan<byte> json, JsonException ex)
    {
        if (ex.LineNumber is not long line || ex.BytePositionInLine is not long column)
        {
            return false;
        }

        var lineStart = 0;
        for (var i = 0L; i < line; i++)
        {
            var next = json[lineStart..].IndexOf((byte)'\n');
            if (next < 0)
            {
                return false;
            }

            lineStart += next + 1;
        }

        return lineStart + column >= json.TrimEnd(" \t\r\n"u8).Length;
    }

    private static int LineAt(ReadOnlySpan<byte> json, int offset) => json[..Math.Min(offset, json.Length)].Count((byte)'\n') + 1;

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> json)
    {
        var buffer = new char[4096];
        var consumed = 0;
        while (consumed < json.Length)
        {
            var status = Utf8.ToUtf16(json[consumed..], buffer, out var read, out _, replaceInvalidSequences: false);
            consumed += read;
            if (status is System.Buffers.OperationStatus.InvalidData or System.Buffers.OperationStatus.NeedMoreData)
            {
                return consumed;
            }
        }

        return consumed;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>UTF-8 text of a value, for messages and SessionEntry.</summary>
    public string TextOf(ScannedEntry entry) => Encoding.UTF8.GetString(ValueOf(entry));
}
