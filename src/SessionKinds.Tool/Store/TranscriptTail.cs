using System.Text;
using System.Text.Json;

namespace SessionKinds.Tool.Store;

/// <summary>What the last assistant message of a transcript says, or why it could not be read.</summary>
/// <param name="Text">The message text, when <paramref name="Problem"/> is <see langword="null"/>.</param>
/// <param name="Problem">Why there is no text: the transcript is missing, unreadable, or has no assistant message.</param>
internal readonly record struct LastReply(string? Text, string? Problem);

/// <summary>
/// Reads the last assistant message of a transcript in either format found in agent folders: the gateway's session format
/// v3 (<c>{"type":"message","message":{"role":"assistant","content":[{"type":"text","text":…}]}}</c>, content also a
/// plain string) and SessionKinds' own (<c>{"type":"message","role":"assistant","content":"…"}</c>). Lines that do not
/// parse (a torn last line) are skipped, as every reader of these files does.
/// </summary>
internal static class TranscriptTail
{
    private static readonly JsonDocumentOptions LineOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The transcript of an entry: <c>sessionFile</c> when it names a file in the folder, else <c>&lt;sessionId&gt;.jsonl</c>.</summary>
    /// <returns>The path, or <see langword="null"/> with <paramref name="problem"/> saying why there is none the tool may use.</returns>
    public static string? PathOf(string folder, ScannedEntry entry, out string? problem)
    {
        problem = null;
        if (entry.SessionFile is { Length: > 0 } sessionFile)
        {
            var full = Path.GetFullPath(Path.IsPathRooted(sessionFile) ? sessionFile : Path.Combine(folder, sessionFile));
            if (!string.Equals(Path.GetDirectoryName(full), folder, StringComparison.Ordinal))
            {
                problem = $"its sessionFile {sessionFile} is outside the agent folder";
                return null;
            }

            if (entry.SessionId is null || Path.GetFileName(full) != entry.SessionId + ".jsonl")
            {
                problem = $"its sessionFile {Path.GetFileName(full)} is not named after its sessionId";
                return null;
            }

            return full;
        }

        if (!IsUuid(entry.SessionId))
        {
            problem = entry.SessionId is null ? "it has no sessionId" : $"its sessionId \"{entry.SessionId}\" is not a UUID";
            return null;
        }

        return Path.Combine(folder, entry.SessionId + ".jsonl");
    }

    public static LastReply Read(string path)
    {
        byte[] bytes;
        try
        {
            if (new FileInfo(path).LinkTarget is not null)
            {
                return new LastReply(null, $"its transcript {Path.GetFileName(path)} is a symbolic link");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new LastReply(null, $"its transcript {Path.GetFileName(path)} is missing");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new LastReply(null, $"its transcript {Path.GetFileName(path)} could not be read ({ex.Message})");
        }

        ReadOnlyMemory<byte> content = bytes;
        while (!content.IsEmpty)
        {
            var end = content.Span.LastIndexOf((byte)'\n');
            var line = end < 0 ? content : content[(end + 1)..];
            content = end < 0 ? ReadOnlyMemory<byte>.Empty : content[..end];
            if (TryReadAssistantMessage(line, out var text))
            {
                return text is null ? new LastReply(null, $"the last assistant message in {Path.GetFileName(path)} has no text") : new LastReply(text, null);
            }
        }

        return new LastReply(null, $"its transcript {Path.GetFileName(path)} has no readable assistant message");
    }

    /// <summary>Whether the line is an assistant message; <paramref name="text"/> is its text, or <see langword="null"/> when it has none.</summary>
    private static bool TryReadAssistantMessage(ReadOnlyMemory<byte> line, out string? text)
    {
        text = null;
        var span = line.Span.Trim(" \t\r"u8);
        if (span.IsEmpty || span[0] != (byte)'{' || span.IndexOf("assistant"u8) < 0)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line, LineOptions);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !Is(root, "type", "message"))
            {
                return false;
            }

            // Gateway v3: the message is nested; SessionKinds: role and content on the line itself.
            var message = root.TryGetProperty("message", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : root;
            if (!Is(message, "role", "assistant") || !message.TryGetProperty("content", out var contentElement))
            {
                return false;
            }

            text = ContentText(contentElement);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A string content, or the text parts of a content array joined by line breaks (other parts ignored); <see langword="null"/> without any.</summary>
    private static string? ContentText(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        StringBuilder? builder = null;
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && Is(part, "type", "text") && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            {
                if (builder is null)
                {
                    builder = new StringBuilder();
                }
                else
                {
                    builder.Append('\n');
                }

                builder.Append(t.GetString());
            }
        }

        return builder?.ToString();
    }

    private static bool Is(JsonElement obj, string name, string value) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.ValueEquals(value);

    public static bool IsUuid(string? id)
    {
        if (id is null || id.Length != 36)
        {
            return false;
        }

        for (var i = 0; i < id.Length; i++)
        {
            var ok = i is 8 or 13 or 18 or 23 ? id[i] == '-' : char.IsAsciiHexDigit(id[i]);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
