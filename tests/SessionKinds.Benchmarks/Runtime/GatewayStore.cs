using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SessionKinds.Benchmarks.Runtime;

/// <summary>
/// Deterministic <c>sessions.json</c> content shaped like a real gateway's store: indented like
/// <c>JSON.stringify(store, null, 2)</c>, keyed by session key (mostly per-run heartbeat and cron keys, as in the stores
/// that blew up), each entry with about two dozen values: ids and times, channel, delivery context and origin objects,
/// model and token usage, a skills snapshot, and in one entry in twenty a system prompt report. About 740 bytes per
/// entry: 2,000 entries are 1,476,517 bytes (1.41 MiB).
/// </summary>
internal static class GatewayStore
{
    public const int DefaultSeed = 20260105;

    /// <summary>2026-01-05T00:00:00Z, the first simulated day.</summary>
    public const long StartMs = 1_767_571_200_000;

    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly string[] Channels = ["telegram", "whatsapp", "discord", "slack", "signal", "webchat"];
    private static readonly string[] Models = ["claude-sonnet-4-5", "claude-opus-4-1", "gpt-5", "gpt-5-mini", "gemini-2.5-pro"];
    private static readonly string[] Providers = ["anthropic", "anthropic", "openai", "openai", "google"];
    private static readonly string[] Skills = ["weather", "calendar", "gmail", "github", "notion", "spotify", "1password", "summarize", "browser", "camsnap", "obsidian", "trello"];
    private static readonly string[] Jobs = ["morning-brief", "thread-cleanup", "inbox-digest", "standup-notes", "backup-check"];
    private static readonly string[] WorkspaceFiles = ["AGENTS.md", "SOUL.md", "TOOLS.md", "IDENTITY.md", "USER.md", "HEARTBEAT.md", "MEMORY.md"];

    /// <summary>The whole store: <paramref name="entries"/> entries, the same bytes for the same arguments.</summary>
    public static byte[] Create(int entries, int seed = DefaultSeed)
    {
        var random = new Random(seed);
        var buffer = new ArrayBufferWriter<byte>(entries * 760 + 16);
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            writer.WriteStartObject();
            for (var i = 0; i < entries; i++)
            {
                writer.WritePropertyName(KeyOf(i, random));
                WriteEntry(writer, random, i, heartbeat: false);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One entry as its own JSON document (indented), for the naive path's "new heartbeat session" entry.</summary>
    public static byte[] CreateEntry(int index, bool heartbeat, int seed = DefaultSeed)
    {
        var random = new Random(seed ^ index);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            WriteEntry(writer, random, index, heartbeat);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The key of entry <paramref name="index"/>: 75% heartbeat runs, 10% cron runs, 10% chats, 5% subagents.</summary>
    private static string KeyOf(int index, Random random)
    {
        var stamp = DateTimeOffset.FromUnixTimeMilliseconds(StartMs + index * 1_800_000L).ToString("yyyyMMdd'T'HHmm", System.Globalization.CultureInfo.InvariantCulture);
        return (index % 10) switch
        {
            0 => $"agent:main:{Channels[random.Next(Channels.Length)]}:direct:+1555{random.Next(1_000_000, 9_999_999)}:{index}",
            1 => $"cron:{Jobs[random.Next(Jobs.Length)]}:{stamp}",
            2 when index % 20 == 2 => $"agent:main:subagent:{Guid(random)}",
            _ => $"agent:main:heartbeat:{stamp}",
        };
    }

    private static void WriteEntry(Utf8JsonWriter w, Random r, int index, bool heartbeat)
    {
        var channel = Channels[r.Next(Channels.Length)];
        var model = r.Next(Models.Length);
        var updatedAt = StartMs + index * 1_800_000L + r.Next(0, 60_000);
        var sessionId = Guid(r);
        var phone = $"+1555{r.Next(1_000_000, 9_999_999)}";
        var input = r.Next(2_000, 180_000);
        var output = r.Next(10, 4_000);

        w.WriteStartObject();
        w.WriteString("sessionId", sessionId);
        w.WriteNumber("updatedAt", updatedAt);
        w.WriteString("kind", heartbeat ? "heartbeat" : (index % 10, index % 20) switch { (0, _) => "user", (1, _) => "cron", (_, 2) => "subagent", _ => "heartbeat" });
        w.WriteBoolean("systemSent", true);
        w.WriteString("chatType", r.Next(5) == 0 ? "group" : "direct");
        w.WriteString("channel", channel);
        w.WriteString("lastTo", phone);

        w.WriteStartObject("deliveryContext");
        w.WriteString("channel", channel);
        w.WriteString("to", phone);
        w.WriteEndObject();

        w.WriteStartObject("origin");
        w.WriteString("provider", channel);
        w.WriteString("from", phone);
        w.WriteEndObject();

        w.WriteString("modelProvider", Providers[model]);
        w.WriteString("model", Models[model]);
        w.WriteNumber("contextTokens", model < 2 ? 200_000 : 400_000);
        w.WriteNumber("inputTokens", input);
        w.WriteNumber("outputTokens", output);
        w.WriteNumber("totalTokens", input + output);
        w.WriteNumber("compactionCount", r.Next(0, 4));

        w.WriteStartObject("skillsSnapshot");
        w.WriteStartArray("skills");
        var first = r.Next(Skills.Length);
        for (var s = 0; s < 2; s++)
        {
            w.WriteStringValue(Skills[(first + s) % Skills.Length]);
        }

        w.WriteEndArray();
        w.WriteEndObject();

        if (r.Next(20) == 0)
        {
            w.WriteStartObject("systemPromptReport");
            w.WriteString("source", "run");
            w.WriteNumber("generatedAt", updatedAt - r.Next(1_000, 30_000));
            w.WriteNumber("bootstrapMaxChars", 20_000);
            w.WriteStartArray("injectedWorkspaceFiles");
            for (var f = 0; f < 2; f++)
            {
                var chars = r.Next(200, 9_000);
                w.WriteStartObject();
                w.WriteString("name", WorkspaceFiles[(f + index) % WorkspaceFiles.Length]);
                w.WriteNumber("rawChars", chars);
                w.WriteBoolean("truncated", false);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static string Guid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new System.Guid(bytes).ToString("D");
    }
}
