using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SessionKinds.Testing;

/// <summary>What an entry of a generated store is, so a test knows what compact must do with it.</summary>
internal enum GatewayEntryRole
{
    /// <summary>Main, direct, group, channel and topic chats (kept).</summary>
    User,

    /// <summary>A heartbeat whose last reply is an acknowledgement (removed with its transcript).</summary>
    AckedHeartbeat,

    /// <summary>A heartbeat whose last reply is an alert (kept).</summary>
    AlertHeartbeat,

    /// <summary>A heartbeat whose transcript is missing (kept, and said so).</summary>
    HeartbeatWithoutTranscript,

    /// <summary>A cron run whose last reply is silent (removed).</summary>
    SilentCronRun,

    /// <summary>A cron run with output (kept, unless older than --keep).</summary>
    OutputCronRun,

    /// <summary>A cron job's base session <c>agent:&lt;id&gt;:cron:&lt;job&gt;</c> (kept).</summary>
    CronJob,

    /// <summary>A subagent (kept).</summary>
    Subagent,

    /// <summary>Hooks, nodes, ACP sessions, model-run probes: not a SessionKinds kind (kept, reported as unknown).</summary>
    Unknown,
}

/// <summary>One generated entry: its key, role and session id.</summary>
internal sealed record GatewayEntry(string Key, GatewayEntryRole Role, string SessionId, long UpdatedAt);

/// <summary>
/// Writes agent folders shaped like the gateway's file-era store (see the gateway notes): <c>sessions.json</c> written like
/// <c>JSON.stringify(store, null, 2)</c> with the gateway's entry field names and no <c>kind</c> field, keys in the
/// gateway's shapes, and transcripts in the gateway's session format v3. Chat entries carry every field (87 field names,
/// nested ones included); heartbeat, cron and subagent entries carry the core fields, their kind's own and a skills
/// snapshot, like the stores that grew past 50 MB. The same arguments give the same bytes.
/// </summary>
internal static class GatewayFolders
{
    /// <summary>2026-02-20T00:00:00Z: the newest entry is a little before this.</summary>
    public static readonly DateTimeOffset End = new(2026, 2, 20, 0, 0, 0, TimeSpan.Zero);

    private static readonly JsonWriterOptions StoreOptions = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonWriterOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Channels = ["telegram", "whatsapp", "discord", "slack", "signal"];
    private static readonly string[] Models = ["claude-opus-4-5", "claude-sonnet-4-5", "gpt-5", "gemini-2.5-pro"];
    private static readonly string[] Providers = ["anthropic", "anthropic", "openai", "google"];
    private static readonly string[] Jobs = ["morning-brief", "inbox-digest", "backup-check", "standup-notes", "thread-cleanup"];
    private static readonly string[] Skills = ["weather", "calendar", "gmail", "github", "notion", "summarize", "browser", "obsidian"];
    private static readonly string[] Tools = ["read", "write", "edit", "exec", "process", "browser", "canvas", "nodes", "cron", "message", "sessions_list", "sessions_spawn", "web_search", "web_fetch", "image", "memory_search"];
    private static readonly string[] WorkspaceFiles = ["AGENTS.md", "SOUL.md", "TOOLS.md", "IDENTITY.md", "USER.md", "HEARTBEAT.md", "MEMORY.md"];

    /// <summary>Replies the reply rules take as heartbeat acknowledgements.</summary>
    public static readonly string[] AckReplies = ["HEARTBEAT_OK", "HEARTBEAT_OK.", "**HEARTBEAT_OK**", "HEARTBEAT_OK — inbox is quiet, nothing to report.", "NO_REPLY"];

    /// <summary>Replies the reply rules take as heartbeat alerts.</summary>
    public static readonly string[] AlertReplies =
    [
        "Reminder: your dentist appointment is at 15:00, in 45 minutes. Leave by 14:30 to make it.",
        "Two unread emails from your landlord about the lease renewal; the second one asks for an answer by Friday.",
    ];

    /// <summary>Replies the reply rules take as silent cron runs.</summary>
    public static readonly string[] SilentCronReplies = ["NO_REPLY", "NO_REPLY.", "", "no_reply", "HEARTBEAT_OK"];

    /// <summary>Replies the reply rules take as cron output.</summary>
    public static readonly string[] OutputCronReplies =
    [
        "Morning brief: 3 meetings today (standup 09:30, design review 13:00, 1:1 16:00). Rain from 17:00.",
        "Backup check: last snapshot 02:14, 41.2 GB, verified. Nothing else needs attention.",
    ];

    private static readonly string SkillsPrompt = BuildSkillsPrompt();

    /// <summary>
    /// Writes a folder with <paramref name="entries"/> entries (about 1 KB each: 50,000 make about 50 MB) and their
    /// transcripts; returns the entries in file order.
    /// </summary>
    public static IReadOnlyList<GatewayEntry> Create(string folder, int entries, int seed = 13)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        var generated = new List<GatewayEntry>(entries);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>(entries * 1100 + 1024);
        var spanMs = (long)TimeSpan.FromDays(Math.Max(2, entries / 1600)).TotalMilliseconds;
        using (var writer = new Utf8JsonWriter(buffer, StoreOptions))
        {
            writer.WriteStartObject();
            for (var i = 0; i < entries; i++)
            {
                var updatedAt = End.ToUnixTimeMilliseconds() - spanMs + spanMs * i / Math.Max(1, entries) + random.Next(0, 60_000);
                var (key, role) = Pick(i, random);
                if (!keys.Add(key))
                {
                    continue;
                }

                var sessionId = Uuid(random);
                writer.WritePropertyName(key);
                WriteEntry(writer, random, key, role, sessionId, updatedAt);
                WriteTranscript(folder, random, key, role, sessionId, updatedAt);
                generated.Add(new GatewayEntry(key, role, sessionId, updatedAt));
            }

            writer.WriteEndObject();
        }

        File.WriteAllBytes(Path.Combine(folder, "sessions.json"), buffer.WrittenSpan.ToArray());
        return generated;
    }

    /// <summary>The distinct field names (nested ones as <c>parent.child</c>) of a JSON object, e.g. a chat entry.</summary>
    public static SortedSet<string> FieldNames(JsonElement entry)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        Collect(entry, string.Empty, names);
        return names;

        static void Collect(JsonElement element, string prefix, SortedSet<string> names)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    var name = prefix + property.Name;
                    names.Add(name);
                    Collect(property.Value, name + ".", names);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, prefix, names);
                }
            }
        }
    }

    /// <summary>55% heartbeats, 25% cron runs, 11% chats, 6% subagents, 3% unknown shapes.</summary>
    private static (string Key, GatewayEntryRole Role) Pick(int i, Random r)
    {
        if (i == 0)
        {
            return ("agent:main:main", GatewayEntryRole.User);
        }

        if (i < 1 + Jobs.Length)
        {
            return ($"agent:main:cron:{Jobs[i - 1]}", GatewayEntryRole.CronJob);
        }

        var roll = r.Next(100);
        var channel = Channels[r.Next(Channels.Length)];
        var peer = $"{100_000_000 + i}";
        if (roll < 55)
        {
            var heartbeat = r.Next(100);
            var role = heartbeat < 88 ? GatewayEntryRole.AckedHeartbeat : heartbeat < 99 ? GatewayEntryRole.AlertHeartbeat : GatewayEntryRole.HeartbeatWithoutTranscript;
            return ($"{UserKey(channel, peer, r.Next(5))}:heartbeat", role);
        }

        if (roll < 80)
        {
            var run = r.Next(100);
            var prefix = r.Next(50) == 0 ? string.Empty : "agent:main:";
            return ($"{prefix}cron:{Jobs[r.Next(Jobs.Length)]}:run:{Uuid(r)}", run < 55 ? GatewayEntryRole.SilentCronRun : GatewayEntryRole.OutputCronRun);
        }

        if (roll < 91)
        {
            return (UserKey(channel, peer, r.Next(7)), GatewayEntryRole.User);
        }

        if (roll < 97)
        {
            var child = $"agent:main:subagent:{Uuid(r)}";
            return (r.Next(4) == 0 ? $"{child}:subagent:{Uuid(r)}" : child, GatewayEntryRole.Subagent);
        }

        return r.Next(4) switch
        {
            0 => ($"hook:{Uuid(r)}", GatewayEntryRole.Unknown),
            1 => ($"node-{peer}", GatewayEntryRole.Unknown),
            2 => ($"agent:main:acp:{Uuid(r)}", GatewayEntryRole.Unknown),
            _ => ($"agent:main:explicit:model-run-{Uuid(r)}", GatewayEntryRole.Unknown),
        };
    }

    private static string UserKey(string channel, string peer, int shape) => shape switch
    {
        0 => $"agent:main:dm:{peer}",
        1 => $"agent:main:{channel}:dm:{peer}",
        2 => $"agent:main:{channel}:default:dm:{peer}",
        3 => $"agent:main:{channel}:group:-100{peer}",
        4 => $"agent:main:discord:channel:{peer}",
        5 => $"agent:main:telegram:group:-100{peer}:topic:{peer[^3..]}",
        _ => $"agent:main:slack:channel:c{peer}:thread:{peer[^4..]}.0001",
    };

    private static void WriteEntry(Utf8JsonWriter w, Random r, string key, GatewayEntryRole role, string sessionId, long updatedAt)
    {
        var model = r.Next(Models.Length);
        var channel = Channels[r.Next(Channels.Length)];
        var to = $"{r.Next(100_000_000, 999_999_999)}";
        var input = r.Next(2_000, 180_000);
        var output = r.Next(4, 4_000);
        var full = role is GatewayEntryRole.User;
        var group = key.Contains(":group:", StringComparison.Ordinal) || key.Contains(":channel:", StringComparison.Ordinal);

        w.WriteStartObject();
        w.WriteString("sessionId", sessionId);
        w.WriteNumber("updatedAt", updatedAt);
        w.WriteNumber("sessionStartedAt", updatedAt - r.Next(1_000, 3_600_000));
        w.WriteBoolean("systemSent", true);
        w.WriteBoolean("abortedLastRun", false);
        w.WriteString("chatType", group ? "group" : "direct");
        w.WriteString("lastChannel", channel);
        w.WriteString("lastTo", to);
        w.WriteString("lastAccountId", "default");
        w.WriteStartObject("deliveryContext");
        w.WriteString("channel", channel);
        w.WriteString("to", to);
        w.WriteString("accountId", "default");
        w.WriteEndObject();
        w.WriteString("model", Models[model]);
        w.WriteString("modelProvider", Providers[model]);
        w.WriteNumber("inputTokens", input);
        w.WriteNumber("outputTokens", output);
        w.WriteNumber("totalTokens", input + output);
        w.WriteNumber("contextTokens", 200_000);
        w.WriteNumber("compactionCount", r.Next(0, 4));
        switch (role)
        {
            case GatewayEntryRole.AckedHeartbeat or GatewayEntryRole.AlertHeartbeat or GatewayEntryRole.HeartbeatWithoutTranscript:
                w.WriteString("heartbeatIsolatedBaseSessionKey", key[..^":heartbeat".Length]);
                break;
            case GatewayEntryRole.Subagent:
                w.WriteString("spawnedBy", "agent:main:main");
                w.WriteNumber("spawnDepth", key.Split(":subagent:").Length - 1);
                w.WriteString("subagentRole", "worker");
                w.WriteString("label", "research");
                w.WriteString("status", "done");
                break;
            case GatewayEntryRole.SilentCronRun or GatewayEntryRole.OutputCronRun:
                w.WriteString("bootstrapContextRunKind", "cron");
                w.WriteString("label", $"Cron: {key.Split(':')[^3]}");
                break;
        }

        WriteSkillsSnapshot(w, r, full ? 150 : 0, full ? 3 : 1);
        if (full)
        {
            WriteEveryOtherField(w, r, key, role, channel, to, updatedAt, group, input);
        }

        w.WriteEndObject();
    }

    private static void WriteSkillsSnapshot(Utf8JsonWriter w, Random r, int promptChars, int skills)
    {
        w.WriteStartObject("skillsSnapshot");
        if (promptChars > 0)
        {
            w.WriteString("prompt", SkillsPrompt.AsSpan(0, Math.Min(promptChars, SkillsPrompt.Length)));
        }

        w.WriteStartArray("skills");
        var first = r.Next(Skills.Length);
        for (var s = 0; s < skills; s++)
        {
            w.WriteStartObject();
            w.WriteString("name", Skills[(first + s) % Skills.Length]);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The rest of the gateway's entry fields, for chat entries: 87 field names in all.</summary>
    private static void WriteEveryOtherField(Utf8JsonWriter w, Random r, string key, GatewayEntryRole role, string channel, string to, long updatedAt, bool group, int input)
    {
        w.WriteNumber("lastInteractionAt", updatedAt);
        w.WriteString("sessionFile", string.Empty);
        w.WriteString("channel", channel);
        w.WriteString("groupId", group ? $"-100{to}" : string.Empty);
        w.WriteString("subject", group ? "Family" : string.Empty);
        w.WriteString("space", string.Empty);
        w.WriteString("displayName", $"{channel}:{(group ? "g-family" : to)}");
        w.WriteString("label", role == GatewayEntryRole.Subagent ? "research" : string.Empty);
        w.WriteStartObject("origin");
        w.WriteString("provider", channel);
        w.WriteString("chatType", group ? "group" : "direct");
        w.WriteString("from", $"{channel}:{to}");
        w.WriteString("to", "bot");
        w.WriteString("accountId", "default");
        w.WriteEndObject();
        w.WriteString("lastThreadId", string.Empty);
        w.WriteNull("providerOverride");
        w.WriteNull("modelOverride");
        w.WriteNull("authProfileOverride");
        w.WriteString("thinkingLevel", "low");
        w.WriteString("verboseLevel", "off");
        w.WriteString("reasoningLevel", "off");
        w.WriteString("elevatedLevel", "off");
        w.WriteString("sendPolicy", "allow");
        w.WriteString("queueMode", "collect");
        w.WriteBoolean("totalTokensFresh", true);
        w.WriteNumber("cacheRead", input / 2);
        w.WriteNumber("cacheWrite", input / 10);
        w.WriteNumber("memoryFlushAt", updatedAt - 86_400_000);
        w.WriteNumber("memoryFlushCompactionCount", 1);
        w.WriteString("lastHeartbeatText", "Reminder: dentist at 15:00");
        w.WriteNumber("lastHeartbeatSentAt", updatedAt - 3_600_000);
        w.WriteStartObject("heartbeatTaskState");
        w.WriteNumber("lastRunAt", updatedAt - 1_800_000);
        w.WriteString("lastStatus", "ok-token");
        w.WriteEndObject();
        w.WriteString("spawnedBy", role == GatewayEntryRole.Subagent ? "agent:main:main" : string.Empty);
        w.WriteNumber("spawnDepth", role == GatewayEntryRole.Subagent ? key.Split(":subagent:").Length - 1 : 0);
        w.WriteString("subagentRole", role == GatewayEntryRole.Subagent ? "worker" : string.Empty);
        w.WriteString("subagentControlScope", role == GatewayEntryRole.Subagent ? "children" : string.Empty);
        w.WriteString("parentSessionKey", role == GatewayEntryRole.Subagent ? "agent:main:main" : string.Empty);
        w.WriteString("status", "done");
        w.WriteNumber("startedAt", updatedAt - 60_000);
        w.WriteNumber("endedAt", updatedAt);
        w.WriteNull("acp");
        w.WriteStartObject("cliSessionIds");
        w.WriteEndObject();

        w.WriteStartObject("systemPromptReport");
        w.WriteString("source", "run");
        w.WriteNumber("bootstrapMaxChars", 20_000);
        w.WriteStartObject("systemPrompt");
        w.WriteNumber("chars", r.Next(20_000, 40_000));
        w.WriteEndObject();
        w.WriteStartArray("injectedWorkspaceFiles");
        foreach (var file in WorkspaceFiles.Take(3))
        {
            var chars = r.Next(200, 9_000);
            w.WriteStartObject();
            w.WriteString("name", file);
            w.WriteNumber("rawChars", chars);
            w.WriteBoolean("truncated", false);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("skills");
        w.WriteNumber("promptChars", SkillsPrompt.Length);
        w.WriteStartArray("entries");
        foreach (var skill in Skills.Take(3))
        {
            w.WriteStartObject();
            w.WriteString("name", skill);
            w.WriteNumber("blockChars", r.Next(200, 900));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("tools");
        w.WriteNumber("schemaChars", r.Next(10_000, 30_000));
        w.WriteStartArray("entries");
        foreach (var tool in Tools.Take(3))
        {
            w.WriteStartObject();
            w.WriteString("name", tool);
            w.WriteNumber("schemaChars", r.Next(200, 3_000));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteTranscript(string folder, Random r, string key, GatewayEntryRole role, string sessionId, long updatedAt)
    {
        if (role is GatewayEntryRole.HeartbeatWithoutTranscript)
        {
            return;
        }

        var (prompt, reply) = role switch
        {
            GatewayEntryRole.AckedHeartbeat => (HeartbeatPrompt, AckReplies[r.Next(AckReplies.Length)]),
            GatewayEntryRole.AlertHeartbeat => (HeartbeatPrompt, AlertReplies[r.Next(AlertReplies.Length)]),
            GatewayEntryRole.SilentCronRun => ($"[cron:{key.Split(':')[^3]}] Run the job.", SilentCronReplies[r.Next(SilentCronReplies.Length)]),
            GatewayEntryRole.OutputCronRun => ($"[cron:{key.Split(':')[^3]}] Run the job.", OutputCronReplies[r.Next(OutputCronReplies.Length)]),
            _ => ("When does my train leave tomorrow?", "Your train leaves at 07:34 from platform 4; I set a reminder for 06:45."),
        };

        var start = updatedAt - 4_000;
        var builder = new StringBuilder(1024);
        builder.Append(Line(w =>
        {
            w.WriteString("type", "session");
            w.WriteNumber("version", 3);
            w.WriteString("id", sessionId);
            w.WriteString("timestamp", Iso(start - 10));
            w.WriteString("cwd", "/home/u/.openclaw/workspace");
        }));
        builder.Append(Line(w =>
        {
            w.WriteString("type", "model_change");
            w.WriteString("id", "7f59d586");
            w.WriteNull("parentId");
            w.WriteString("timestamp", Iso(start - 5));
            w.WriteString("provider", "anthropic");
            w.WriteString("modelId", "claude-opus-4-5");
        }));
        var turns = role is GatewayEntryRole.User or GatewayEntryRole.Subagent ? 2 : 1;
        var parent = "7f59d586";
        for (var t = 0; t < turns; t++)
        {
            var userId = $"{r.Next():x8}";
            var assistantId = $"{r.Next():x8}";
            var userParent = parent;
            builder.Append(Line(w =>
            {
                w.WriteString("type", "message");
                w.WriteString("id", userId);
                w.WriteString("parentId", userParent);
                w.WriteString("timestamp", Iso(start));
                w.WriteStartObject("message");
                w.WriteString("role", "user");
                w.WriteStartArray("content");
                w.WriteStartObject();
                w.WriteString("type", "text");
                w.WriteString("text", prompt);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteNumber("timestamp", start);
                w.WriteEndObject();
            }));
            builder.Append(Line(w =>
            {
                w.WriteString("type", "message");
                w.WriteString("id", assistantId);
                w.WriteString("parentId", userId);
                w.WriteString("timestamp", Iso(start + 4_000));
                w.WriteStartObject("message");
                w.WriteString("role", "assistant");
                w.WriteStartArray("content");
                w.WriteStartObject();
                w.WriteString("type", "text");
                w.WriteString("text", reply);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteString("api", "anthropic-messages");
                w.WriteString("provider", "anthropic");
                w.WriteString("model", "claude-opus-4-5");
                w.WriteStartObject("usage");
                w.WriteNumber("input", 1200);
                w.WriteNumber("output", 4);
                w.WriteNumber("cacheRead", 0);
                w.WriteNumber("cacheWrite", 0);
                w.WriteNumber("totalTokens", 1204);
                w.WriteEndObject();
                w.WriteString("stopReason", "stop");
                w.WriteNumber("timestamp", start + 4_000);
                w.WriteEndObject();
            }));
            parent = assistantId;
        }

        File.WriteAllText(Path.Combine(folder, sessionId + ".jsonl"), builder.ToString());
    }

    private const string HeartbeatPrompt =
        "Read HEARTBEAT.md if it exists (workspace context). Follow it strictly. Do not infer or repeat old tasks from prior chats. If nothing needs attention, reply HEARTBEAT_OK.";

    private static string Line(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, LineOptions))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Uuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString("D");
    }

    private static string BuildSkillsPrompt()
    {
        var builder = new StringBuilder("<available_skills>\n");
        foreach (var skill in Skills)
        {
            builder.Append("  <skill><name>").Append(skill).Append("</name><description>Use the ").Append(skill)
                .Append(" skill when the user asks about ").Append(skill).Append("; read its SKILL.md first.</description><location>~/.openclaw/skills/")
                .Append(skill).Append("/SKILL.md</location></skill>\n");
        }

        return builder.Append("</available_skills>").ToString();
    }
}
