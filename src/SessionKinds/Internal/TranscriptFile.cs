using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace SessionKinds.Internal;

/// <summary>
/// Appends to and reads <c>&lt;sessionId&gt;.jsonl</c>. The first line is a header
/// <c>{"type":"session","sessionId":…,"key":…,"kind":…,"ts":ms}</c>, then one
/// <c>{"type":"message","role":"user"|"assistant","content":…,"ts":ms}</c> line per message.
/// </summary>
internal static class TranscriptFile
{
    public const string UserRole = "user";
    public const string AssistantRole = "assistant";

    /// <summary>
    /// Appends the messages of one completed run in a single write and flushes it to disk. A file that does not end
    /// with a newline (a crash tore its last line) gets one first, so the fragment never merges with new data.
    /// On failure the file is truncated back to its previous length, or removed when this append created it (so a
    /// failed first write, e.g. on a full disk, never leaves an empty transcript behind).
    /// </summary>
    /// <returns>The file's length before the append (0 when it was created), for <see cref="RollBack"/>.</returns>
    /// <exception cref="AgentStoreException">The write failed, or <paramref name="path"/> is a symbolic link (never written through).</exception>
    public static long Append(string path, in TranscriptAppend data)
    {
        DurableFile.RefuseLink(path);
        var created = !File.Exists(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, DurableFile.OpenOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw DurableFile.WriteFailed(path, ex);
        }

        Exception failure;
        using (stream)
        {
            var length = stream.Length;
            created &= length == 0;
            try
            {
                var buffer = new ArrayBufferWriter<byte>(256 + ((data.Prompt?.Length ?? 0) + data.Reply.Length) * 2);
                var needsHeader = length == 0;
                if (length > 0 && !EndsWithNewline(stream, length, out var hasCompleteLine))
                {
                    buffer.Write("\n"u8);
                    needsHeader = !hasCompleteLine;
                }

                using (var writer = new Utf8JsonWriter(buffer, JsonValues.LineWriterOptions))
                {
                    if (needsHeader)
                    {
                        WriteHeader(writer, buffer, data);
                    }

                    if (data.Prompt is not null)
                    {
                        WriteMessage(writer, buffer, UserRole, data.Prompt, data.StartedAtMs);
                    }

                    WriteMessage(writer, buffer, AssistantRole, data.Reply, data.CompletedAtMs);
                }

                DurableFile.BeforeAppend.Value?.Invoke(path);
                RandomAccess.Write(stream.SafeFileHandle, buffer.WrittenSpan, length);
                stream.Flush(flushToDisk: true);
                return length;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failure = ex;
                if (!created)
                {
                    TryTruncate(stream, length);
                }
            }
        }

        if (created)
        {
            DurableFile.TryDelete(path);
        }

        throw DurableFile.WriteFailed(path, failure);
    }

    /// <summary>
    /// Undoes an append whose session could not be recorded (best effort): truncates the file back to
    /// <paramref name="previousLength"/>, or deletes it when the append created it.
    /// </summary>
    public static void RollBack(string path, long previousLength)
    {
        try
        {
            if (DurableFile.LinkTargetOf(path) is not null)
            {
                return; // swapped for a link since the append: never write through it
            }

            if (previousLength == 0)
            {
                File.Delete(path);
                return;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0);
            stream.SetLength(previousLength);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The lines stay: they are valid, and readers of sessions.json never reach them.
        }
    }

    /// <summary>Reads a transcript; lines that do not parse (a torn line left by a crash) are skipped and counted.</summary>
    public static Transcript? Read(string path, string sessionId)
    {
        var bytes = DurableFile.ReadAllBytesOrNull(path);
        if (bytes is null)
        {
            return null;
        }

        TranscriptHeader? header = null;
        var messages = new List<TranscriptMessage>();
        var skipped = 0;
        var rest = bytes.AsSpan();
        if (rest.StartsWith("\uFEFF"u8))
        {
            rest = rest[3..];
        }

        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            line = line.TrimEnd((byte)'\r');
            if (line.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            if (!TryReadLine(line, ref header, messages))
            {
                skipped++;
            }
        }

        return new Transcript(sessionId, header, messages, skipped);
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

            string? type = null, role = null, content = null, sessionId = null, key = null, kind = null;
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
                messages.Add(new TranscriptMessage(role, content ?? string.Empty, timestamp));
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

    private static bool EndsWithNewline(FileStream stream, long length, out bool hasCompleteLine)
    {
        Span<byte> last = stackalloc byte[1];
        RandomAccess.Read(stream.SafeFileHandle, last, length - 1);
        if (last[0] == (byte)'\n')
        {
            hasCompleteLine = true;
            return true;
        }

        // A torn last line (rare): is there any complete line before it, e.g. the header?
        hasCompleteLine = false;
        var chunk = new byte[64 * 1024];
        for (long offset = 0; offset < length; offset += chunk.Length)
        {
            var read = RandomAccess.Read(stream.SafeFileHandle, chunk.AsSpan(0, (int)Math.Min(chunk.Length, length - offset)), offset);
            if (read <= 0)
            {
                break;
            }

            if (chunk.AsSpan(0, read).Contains((byte)'\n'))
            {
                hasCompleteLine = true;
                break;
            }
        }

        return false;
    }

    private static void WriteHeader(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, in TranscriptAppend data)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "session");
        writer.WriteString("sessionId", data.SessionId);
        writer.WriteString("key", data.Key);
        writer.WriteString("kind", SessionKindNames.ToName(data.Kind));
        writer.WriteNumber("ts", data.StartedAtMs);
        writer.WriteEndObject();
        EndLine(writer, buffer);
    }

    private static void WriteMessage(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, string role, string content, long ts)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "message");
        writer.WriteString("role", role);
        writer.WriteString("content", content);
        writer.WriteNumber("ts", ts);
        writer.WriteEndObject();
        EndLine(writer, buffer);
    }

    private static void EndLine(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer)
    {
        writer.Flush();
        buffer.Write("\n"u8);
        writer.Reset(buffer);
    }

    private static void TryTruncate(FileStream stream, long length)
    {
        try
        {
            stream.SetLength(length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Readers skip a torn last line, and the next append starts a new line.
        }
    }
}

/// <summary>What one completed run appends to its transcript.</summary>
internal readonly record struct TranscriptAppend(
    string SessionId, string Key, SessionKind Kind, string? Prompt, string Reply, long StartedAtMs, long CompletedAtMs);
