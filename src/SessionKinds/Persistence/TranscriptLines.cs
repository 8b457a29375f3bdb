using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using SessionKinds.Persistence.Json;

namespace SessionKinds;

/// <summary>
/// The transcript line format every engine stores: a header <c>{"type":"session","sessionId","key","kind","ts"}</c>, then
/// one <c>{"type":"message","role","content","ts"[,"data"]}</c> per message; timestamps in epoch milliseconds. A file
/// engine writes them as <c>&lt;sessionId&gt;.jsonl</c>; database engines store each line as one event.
/// </summary>
internal static class TranscriptLines
{
    public const string UserRole = "user";
    public const string AssistantRole = "assistant";

    /// <summary>
    /// The deepest <see cref="ReplyMessage.Data"/> accepted: a line wraps it in one more object, and readers read lines up
    /// to <see cref="RawJsonObject.MaxDepth"/> levels.
    /// </summary>
    public const int MaxDataDepth = RawJsonObject.MaxDepth - 1;

    /// <summary>The header line (without a newline).</summary>
    public static byte[] Header(string sessionId, string key, SessionKind kind, long startedAtMs) =>
        Write((sessionId, key, kind, startedAtMs), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type", "session");
            w.WriteString("sessionId", s.sessionId);
            w.WriteString("key", s.key);
            w.WriteString("kind", SessionKindNames.ToName(s.kind));
            w.WriteNumber("ts", s.startedAtMs);
            w.WriteEndObject();
        });

    /// <summary>A message line (without a newline); <paramref name="data"/> is valid JSON or <see langword="null"/>.</summary>
    public static byte[] Message(string role, string content, long timestampMs, string? data) =>
        Write((role, content, timestampMs, data), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message");
            w.WriteString("role", s.role);
            w.WriteString("content", s.content);
            w.WriteNumber("ts", s.timestampMs);
            if (s.data is not null)
            {
                // The store validated it (one JSON value, shallow enough for the line to stay readable: MaxDataDepth).
                // The writer's own check would stop at 64 levels with a JsonReaderException, so it is not repeated.
                // A line break can only be white space between tokens in valid JSON (strings escape them), and the line
                // must stay one line: each becomes a space, which leaves the value the same JSON.
                var bytes = Encoding.UTF8.GetBytes(s.data);
                bytes.AsSpan().Replace((byte)'\n', (byte)' ');
                bytes.AsSpan().Replace((byte)'\r', (byte)' ');
                w.WritePropertyName("data");
                w.WriteRawValue(bytes, skipInputValidation: true);
            }

            w.WriteEndObject();
        });

    /// <summary>Reads lines (one JSON object each); lines that do not parse are skipped and counted.</summary>
    public static Transcript Parse(string sessionId, IEnumerable<ReadOnlyMemory<byte>> lines)
    {
        TranscriptHeader? header = null;
        var messages = new List<TranscriptMessage>();
        var skipped = 0;
        foreach (var line in lines)
        {
            if (!TryReadLine(line.Span, ref header, messages))
            {
                skipped++;
            }
        }

        return new Transcript(sessionId, header, messages, skipped);
    }

    /// <summary>Splits a <c>.jsonl</c> file into its non-blank lines (a UTF-8 BOM and <c>\r\n</c> line ends are accepted).</summary>
    public static List<ReadOnlyMemory<byte>> SplitLines(ReadOnlyMemory<byte> content)
    {
        var result = new List<ReadOnlyMemory<byte>>();
        if (content.Span.StartsWith("\uFEFF"u8))
        {
            content = content[3..];
        }

        while (!content.IsEmpty)
        {
            var end = content.Span.IndexOf((byte)'\n');
            var line = end < 0 ? content : content[..end];
            content = end < 0 ? ReadOnlyMemory<byte>.Empty : content[(end + 1)..];
            if (line.Span.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            if (!line.Span.Trim(" \t"u8).IsEmpty)
            {
                result.Add(line);
            }
        }

        return result;
    }

    private static bool TryReadLine(ReadOnlySpan<byte> line, ref TranscriptHeader? header, List<TranscriptMessage> messages)
    {
        if (!Utf8.IsValid(line))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = RawJsonObject.MaxDepth });
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string? type = null, role = null, content = null, sessionId = null, key = null, kind = null, data = null;
            long? ts = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "type": type = StringOrNull(ref reader); break;
                    case "role": role = StringOrNull(ref reader); break;
                    case "content": content = StringOrNull(ref reader); break;
                    case "sessionId": sessionId = StringOrNull(ref reader); break;
                    case "key": key = StringOrNull(ref reader); break;
                    case "kind": kind = StringOrNull(ref reader); break;
                    case "ts": ts = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var t) && t is >= 0 and <= JsonValues.MaxEpochMilliseconds ? t : null; break;
                    case "data":
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        data = System.Text.Encoding.UTF8.GetString(line[start..(int)reader.BytesConsumed]);
                        break;
                    default: reader.Skip(); break;
                }
            }

            if (reader.Read())
            {
                return false;
            }

            var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(ts ?? 0);
            if (type == "session")
            {
                SessionKindNames.TryParse(kind, out var parsedKind);
                header ??= new TranscriptHeader(sessionId ?? string.Empty, key ?? string.Empty, parsedKind, timestamp);
            }
            else if (type == "message" && role is not null)
            {
                messages.Add(new TranscriptMessage(role, content ?? string.Empty, timestamp, data));
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string that cannot be decoded (an unpaired surrogate escape).
            return false;
        }
    }

    private static string? StringOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonValues.LineWriterOptions))
        {
            write(writer, state);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
