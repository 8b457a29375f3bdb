using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SessionKinds.Tests.Import;

/// <summary>
/// Writes an agent folder shaped like the gateway's file-era store: <c>sessions.json</c> as <c>JSON.stringify(store, null, 2)</c>
/// writes it, entries in the gateway's key shapes with dozens of its fields and no <c>kind</c> (a few written by SessionKinds
/// with one), transcripts in the gateway's session format v3 (and SessionKinds lines), and the other files such folders hold.
/// Seeded: the same arguments give the same bytes.
/// </summary>
internal static class GatewayFolder
{
    private static readonly JsonWriterOptions Pretty = new() { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The kind each key shape should be imported as (null: a shape that names no kind).</summary>
    public static readonly (string Shape, SessionKind Kind)[] Shapes =
    [
        ("agent:main:main", SessionKind.User),
        ("agent:main:dm:{0}", SessionKind.User),
        ("agent:main:telegram:dm:{0}", SessionKind.User),
        ("agent:main:telegram:default:dm:{0}", SessionKind.User),
        ("agent:main:telegram:group:-100{0}", SessionKind.User),
        ("agent:main:telegram:group:-100{0}:topic:42", SessionKind.User),
        ("agent:main:discord:channel:{0}:thread:7", SessionKind.User),
        ("agent:main:cron:job-{0}", SessionKind.Cron),
        ("agent:main:cron:nightly:run:{1}", SessionKind.Cron),
        ("agent:main:subagent:{1}", SessionKind.Subagent),
        ("agent:main:subagent:{1}:subagent:{1}", SessionKind.Subagent),
        ("agent:main:main:heartbeat", SessionKind.Heartbeat),
        ("hook:{1}", SessionKind.Unspecified),
        ("node-{0}", SessionKind.Unspecified),
        ("agent:main:acp:{1}", SessionKind.Unspecified),
        ("agent:main:explicit:model-run-{1}", SessionKind.Unspecified),
    ];

    /// <summary>What was written: each key with its kind, and the transcript file of each session id.</summary>
    public sealed record Written(List<(string Key, SessionKind Kind, string SessionId)> Entries, Dictionary<string, string> TranscriptFiles, string TornFile, string OrphanId);

    public static Written Write(string folder, int entries, int seed)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        var written = new List<(string, SessionKind, string)>();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Pretty))
        {
            w.WriteStartObject();
            for (var i = 0; written.Count < entries; i++)
            {
                var (shape, kind) = Shapes[i % Shapes.Length];
                var key = string.Format(CultureInfo.InvariantCulture, shape, i, Uuid(random));
                if (!keys.Add(key))
                {
                    continue;
                }

                var sessionId = Uuid(random);
                var sessionKindsWritten = i % 97 == 3;
                w.WritePropertyName(key);
                WriteEntry(w, random, i, key, sessionId, sessionKindsWritten ? kind : SessionKind.Unspecified);
                written.Add((key, sessionKindsWritten || kind != SessionKind.Unspecified ? kind : SessionKind.Unspecified, sessionId));

                if (i % 5 != 4)
                {
                    var file = key.EndsWith(":topic:42", StringComparison.Ordinal) ? $"{sessionId}-topic-42.jsonl" : $"{sessionId}.jsonl";
                    files[sessionId] = file;
                    File.WriteAllText(Path.Combine(folder, file), Transcript(random, sessionId, key, sessionKindsWritten, crlf: i % 11 == 0));
                }
            }

            w.WriteEndObject();
        }

        File.WriteAllBytes(Path.Combine(folder, "sessions.json"), [.. buffer.ToArray(), (byte)'\n']);

        // A transcript torn by a crash, an orphan transcript, and the other files such folders hold.
        var torn = files.First().Value;
        File.AppendAllText(Path.Combine(folder, torn), "{\"type\":\"message\",\"id\":\"deadbeef\",\"mess");
        var orphan = Uuid(random);
        File.WriteAllText(Path.Combine(folder, orphan + ".jsonl"), Transcript(random, orphan, "agent:main:gone", sessionKinds: false, crlf: false));
        File.WriteAllText(Path.Combine(folder, "heartbeat-state.json"), """
            {
              "lastAck": 1770650000000,
              "consecutiveOKs": 17,
              "lastAlert": 1770640000000,
              "lastAlertSummary": "Reminder: dentist at 15:00",
              "lastChecks": { "email": 1703275200 },
              "tasks": { "MyAgent.InboxCheck": { "lastAck": 1770650000000, "consecutiveOKs": 17, "lastAlert": 1770640000000 } }
            }
            """);
        var ring = new StringBuilder("{\n  \"maxEntries\": 5,\n  \"task\": \"MyAgent.InboxCheck\",\n  \"entries\": [\n");
        for (var e = 0; e < 5; e++)
        {
            ring.Append(CultureInfo.InvariantCulture, $"    {{\"ts\": {1770600000 + e * 1800}, \"result\": \"{(e == 2 ? "alert" : "ok")}\", \"summary\": \"{(e == 2 ? "disk 91%" : "")}\"}}{(e < 4 ? "," : "")}\n");
        }

        File.WriteAllText(Path.Combine(folder, "heartbeat-ring.json"), ring.Append("  ]\n}\n").ToString());
        File.WriteAllText(Path.Combine(folder, "cron-runs.json"), """
            {
              "maxEntries": 100,
              "runs": [
                {"ts": 1770620000, "task": "MyAgent.MorningBrief", "verdict": "silent", "summary": "NO_REPLY", "durationMs": 812},
                {"ts": 1770706400, "task": "MyAgent.MorningBrief", "verdict": "output", "summary": "Brief: 3 meetings", "durationMs": 2310},
                {"ts": 1770706500, "task": "MyAgent.QueuePoll", "verdict": "failed", "summary": "TimeoutException: model", "durationMs": 30000}
              ]
            }
            """);
        File.WriteAllText(Path.Combine(folder, "schedule-claims.json"), "{\"claims\": []}\n");
        File.WriteAllText(Path.Combine(folder, "sessions.json.bak.1770000000000"), "{}\n");
        File.WriteAllText(Path.Combine(folder, "sessions.json.lock"), "");
        File.WriteAllText(Path.Combine(folder, $"{Uuid(random)}.jsonl.deleted.2026-02-10T14-32-05.123Z"), "{}\n");
        File.WriteAllText(Path.Combine(folder, $"{files.First().Key}.trajectory.jsonl"), "{}\n");
        using (var archive = new GZipStream(File.Create(Path.Combine(folder, "sessions-2026-01-05T07-00-00.123Z.json.gz")), CompressionLevel.Fastest))
        {
            archive.Write("{\"agent:main:old\": {\"sessionId\": \"x\"}}"u8);
        }

        return new Written(written, files, torn, orphan);
    }

    private static void WriteEntry(Utf8JsonWriter w, Random random, int i, string key, string sessionId, SessionKind kind)
    {
        var updatedAt = 1770000000000L + (i * 60_000L);
        w.WriteStartObject();
        w.WriteString("sessionId", sessionId);
        w.WriteNumber("updatedAt", updatedAt);
        if (kind != SessionKind.Unspecified)
        {
            w.WriteString("kind", kind.ToString().ToLowerInvariant());
        }

        if (key.EndsWith(":topic:42", StringComparison.Ordinal))
        {
            w.WriteString("sessionFile", $"{sessionId}-topic-42.jsonl");
        }

        w.WriteNumber("sessionStartedAt", updatedAt - 3_600_000);
        w.WriteBoolean("systemSent", i % 2 == 0);
        w.WriteBoolean("abortedLastRun", false);
        w.WriteString("chatType", i % 3 == 0 ? "group" : "direct");
        w.WriteString("channel", "telegram");
        w.WriteString("displayName", $"telegram:g-{i} «Familie» 😀");
        w.WriteString("label", i % 7 == 0 ? "research" : null);
        w.WriteStartObject("origin");
        w.WriteString("label", "Ana é <b>");
        w.WriteString("provider", "telegram");
        w.WriteString("chatType", "direct");
        w.WriteString("from", $"telegram:{100000 + i}");
        w.WriteNumber("threadId", i);
        w.WriteEndObject();
        w.WriteStartObject("deliveryContext");
        w.WriteString("channel", "telegram");
        w.WriteString("to", $"{100000 + i}");
        w.WriteString("accountId", "default");
        w.WriteEndObject();
        w.WriteString("lastChannel", "telegram");
        w.WriteString("lastTo", $"{100000 + i}");
        w.WriteString("model", "claude-opus-4-5");
        w.WriteString("modelProvider", "anthropic");
        w.WriteString("thinkingLevel", "high");
        w.WriteNumber("inputTokens", random.Next(1, 200_000));
        w.WriteNumber("outputTokens", random.Next(1, 5_000));
        w.WriteNumber("totalTokens", random.Next(1, 205_000));
        w.WriteNumber("contextTokens", 200000);
        w.WritePropertyName("cacheWrite");
        w.WriteRawValue("1.50");
        w.WritePropertyName("cacheRead");
        w.WriteRawValue("1e3");
        w.WriteNumber("compactionCount", i % 4);
        w.WriteStartObject("skillsSnapshot");
        w.WriteString("prompt", new string('s', random.Next(100, 600)));
        w.WriteStartArray("skills");
        for (var s = 0; s < 4; s++)
        {
            w.WriteStringValue($"skill-{s}");
        }

        w.WriteEndArray();
        w.WriteEndObject();
        if (key.Contains(":subagent:", StringComparison.Ordinal))
        {
            w.WriteString("spawnedBy", "agent:main:main");
            w.WriteNumber("spawnDepth", key.Split(":subagent:").Length - 1);
            w.WriteString("status", "completed");
        }

        w.WriteString("lastHeartbeatText", i % 9 == 0 ? "Reminder: dentist at 15:00" : null);
        w.WriteEndObject();
    }

    private static string Transcript(Random random, string sessionId, string key, bool sessionKinds, bool crlf)
    {
        var newline = crlf ? "\r\n" : "\n";
        var text = new StringBuilder();
        if (sessionKinds)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"session\",\"sessionId\":\"{sessionId}\",\"key\":{JsonSerializer.Serialize(key)},\"kind\":\"user\",\"ts\":1770000000000}}{newline}");
            text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"message\",\"role\":\"user\",\"content\":\"hi\",\"ts\":1770000000001}}{newline}");
            text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"message\",\"role\":\"assistant\",\"content\":\"hello é 😀\",\"ts\":1770000000002,\"data\":{{\"usage\":{{\"input\":12}}}}}}{newline}");
            return text.ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"session\",\"version\":3,\"id\":\"{sessionId}\",\"timestamp\":\"2026-02-09T09:00:00.000Z\",\"cwd\":\"/home/u/.openclaw/workspace\"}}{newline}");
        var parent = "null";
        for (var m = 0; m < random.Next(2, 8); m++)
        {
            var id = random.Next().ToString("x8", CultureInfo.InvariantCulture);
            var role = m % 2 == 0 ? "user" : "assistant";
            text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"message\",\"id\":\"{id}\",\"parentId\":{parent},\"timestamp\":\"2026-02-09T09:30:0{m}.000Z\",\"message\":{{\"role\":\"{role}\",\"content\":[{{\"type\":\"text\",\"text\":\"line {m} \\u00e9 \\\"q\\\"\"}}],\"timestamp\":{1770629400000 + m}}}}}{newline}");
            if (m == 1)
            {
                text.Append(newline); // a blank line, which readers skip
            }

            parent = $"\"{id}\"";
        }

        return text.ToString();
    }

    private static string Uuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString("D");
    }
}
