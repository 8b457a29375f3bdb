using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SessionKinds.Tests.Files;

/// <summary>
/// The gateway read its files with JSON5, so a hand-edited store with comments, trailing commas or a BOM worked there.
/// The file store reads them too (sessions.json, heartbeat state, rings, cron-runs.json), writes strict JSON back on the
/// next rewrite, and moves aside only input that no reader could take.
/// </summary>
public sealed class LenientReadingTests : IDisposable
{
    private const string MainId = "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d";
    private const string GroupId = "6c1f4b2e-0000-4000-8000-00000000ab01";

    // A hand-edited store: a BOM, line and block comments between and inside entries, trailing commas in an object,
    // an array and the top level. The group entry has none of these inside it.
    private static readonly byte[] HandEdited = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes($$"""
        // my agent's sessions (edited by hand)
        {
          /* the main chat */
          "agent:main:main": {
            "sessionId": "{{MainId}}",
            "updatedAt": 1770650000000, // last message
            "label": "main // not a comment, a string",
            "skills": ["weather", "calendar",],
            "origin": { "provider": "telegram", /* inline */ "chatType": "direct", },
          },
          "agent:main:telegram:group:-1001234567890": {
            "sessionId": "{{GroupId}}",
            "updatedAt": 1770640000000,
            "subject": "Family /* also a string */"
          },
        }
        """)];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sk-lenient-" + Guid.NewGuid().ToString("N")[..12]);

    public LenientReadingTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string SessionsPath => Path.Combine(_folder, "sessions.json");

    [Fact]
    public async Task A_store_with_comments_trailing_commas_and_a_BOM_is_read_and_not_moved_aside()
    {
        File.WriteAllBytes(SessionsPath, HandEdited);
        await using var store = new FileSessionStore(_folder);

        var sessions = await store.ReadSessionsAsync();

        Assert.Equal(["agent:main:main", "agent:main:telegram:group:-1001234567890"], sessions.Select(s => s.Key));
        Assert.Equal(MainId, sessions[0].SessionId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1770650000000), sessions[0].UpdatedAt);
        Assert.Equal(GroupId, (await store.FindSessionAsync("agent:main:telegram:group:-1001234567890"))!.SessionId);
        Assert.Equal(HandEdited, File.ReadAllBytes(SessionsPath));
        Assert.Empty(Directory.GetFiles(_folder, "*.corrupt-*"));
    }

    [Fact]
    public async Task The_next_rewrite_is_strict_JSON_that_keeps_every_value_and_copies_clean_entries_byte_for_byte()
    {
        File.WriteAllBytes(SessionsPath, HandEdited);
        await using var store = new FileSessionStore(_folder);

        await store.CompleteAsync(store.StartSession(SessionKind.User, "agent:main:dm:alice", "hi"), "hello");

        var written = File.ReadAllBytes(SessionsPath);
        Assert.False(written.AsSpan().StartsWith("\uFEFF"u8), "no BOM is written");
        using var strict = JsonDocument.Parse(written); // default options: no comments, no trailing commas
        var main = strict.RootElement.GetProperty("agent:main:main");
        Assert.Equal(MainId, main.GetProperty("sessionId").GetString());
        Assert.Equal(1770650000000, main.GetProperty("updatedAt").GetInt64());
        Assert.Equal("main // not a comment, a string", main.GetProperty("label").GetString());
        Assert.Equal(["weather", "calendar"], main.GetProperty("skills").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("direct", main.GetProperty("origin").GetProperty("chatType").GetString());
        Assert.Equal(3, strict.RootElement.EnumerateObject().Count());

        // The entry without comments or trailing commas is copied exactly as it was in the hand-edited file.
        var text = Encoding.UTF8.GetString(written);
        Assert.Contains($$"""
            {
                "sessionId": "{{GroupId}}",
                "updatedAt": 1770640000000,
                "subject": "Family /* also a string */"
              }
            """.ReplaceLineEndings(Environment.NewLine), text, StringComparison.Ordinal);
        Assert.DoesNotContain("last message", text, StringComparison.Ordinal);
        Assert.DoesNotContain("inline", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_keys_keep_the_last_value_in_the_first_position()
    {
        File.WriteAllText(SessionsPath, $$"""
            {
              "a": {"sessionId": "{{MainId}}", "updatedAt": 1, "label": "first"},
              "b": {"sessionId": "{{GroupId}}", "updatedAt": 2},
              "a": {"sessionId": "{{MainId}}", "updatedAt": 3, "label": "last", /* edited */},
            }
            """);
        await using var store = new FileSessionStore(_folder);

        var sessions = await store.ReadSessionsAsync();

        Assert.Equal(["a", "b"], sessions.Select(s => s.Key));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(3), sessions[0].UpdatedAt);
        Assert.Contains("\"last\"", sessions[0].Json, StringComparison.Ordinal);
        Assert.DoesNotContain("edited", sessions[0].Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heartbeat_state_rings_and_the_cron_run_record_are_read_leniently_and_written_strictly()
    {
        File.WriteAllBytes(Path.Combine(_folder, "heartbeat-state.json"), [0xEF, 0xBB, 0xBF, .. """
            {
              // counted by hand
              "lastAck": 1770650000000,
              "consecutiveOKs": 7,
            }
            """u8]);
        File.WriteAllText(Path.Combine(_folder, "heartbeat-ring.json"), """
            {
              "maxEntries": 50,
              "entries": [
                {"ts": 1770650000, "result": "ok", "summary": ""},
                {"ts": 1770651800, "result": "alert", "summary": "disk full", /* noted */},
              ],
            }
            """);
        File.WriteAllText(Path.Combine(_folder, "cron-runs.json"), """
            /* runs */ {"maxEntries": 100, "runs": [{"ts": 1770650000, "task": "MorningBrief", "verdict": "silent", "summary": "", "durationMs": 12},],}
            """);
        await using var store = new FileSessionStore(_folder);

        var state = await store.ReadHeartbeatStateAsync();
        var ring = await store.ReadHeartbeatRingAsync();
        var runs = await store.ReadCronRunsAsync();

        Assert.Equal(7, state.ConsecutiveOks);
        Assert.Equal([HeartbeatResult.Ok, HeartbeatResult.Alert], ring.Entries.Select(e => e.Result));
        Assert.Equal("disk full", ring.Entries[1].Summary);
        Assert.Equal(CronRunVerdict.Silent, Assert.Single(runs.Runs).Verdict);

        // An ack rewrites the state and the ring: strict JSON, the old entries kept.
        await store.CompleteAsync(store.StartSession(SessionKind.Heartbeat, "agent:main:main:heartbeat", "anything?"), "HEARTBEAT_OK");
        using var newState = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_folder, "heartbeat-state.json")));
        using var newRing = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_folder, "heartbeat-ring.json")));
        Assert.Equal(8, newState.RootElement.GetProperty("consecutiveOKs").GetInt32());
        Assert.Equal(3, newRing.RootElement.GetProperty("entries").GetArrayLength());
        Assert.Equal("disk full", newRing.RootElement.GetProperty("entries")[1].GetProperty("summary").GetString());
        Assert.Empty(Directory.GetFiles(_folder, "*.corrupt-*"));
    }

    [Fact]
    public async Task Randomly_placed_comments_and_trailing_commas_never_change_a_value_and_the_rewrite_is_strict()
    {
        var original = JsonNode.Parse($$$"""
            {
              "agent:main:main": {"sessionId": "{{{MainId}}}", "updatedAt": 1770650000000, "label": "a // b /* c */ d, ] } \" e",
                "origin": {"from": "telegram:1", "tags": ["x,", "/*", [], {}, [1, 2.5e3, -0, true, null]]}, "empty": {}},
              "agent:main:telegram:group:-1": {"sessionId": "{{{GroupId}}}", "updatedAt": 1770640000000, "list": [[["deep"]], {"k": {"v": "w"}}]},
              "agent:main:dm:x": {"sessionId": "00000000-0000-4000-8000-000000000009", "note": "ends with a slash /", "n": [0, 1, 2]}
            }
            """)!.AsObject();

        for (var seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            var text = new StringBuilder();
            WriteLeniently(text, original, random);
            File.WriteAllText(SessionsPath, text.ToString());
            await using var store = new FileSessionStore(_folder);

            var sessions = await store.ReadSessionsAsync();

            Assert.Equal(original.Select(p => p.Key), sessions.Select(s => s.Key));
            foreach (var session in sessions)
            {
                Assert.True(JsonNode.DeepEquals(original[session.Key], JsonNode.Parse(session.Json)), $"seed {seed}: {session.Key}\n{text}");
            }

            await store.CompleteAsync(store.StartSession(SessionKind.User, "agent:main:main", "hi"), "hello");
            var rewritten = JsonNode.Parse(File.ReadAllBytes(SessionsPath))!.AsObject(); // strict: throws on a comment or trailing comma
            Assert.True(JsonNode.DeepEquals(original["agent:main:telegram:group:-1"], rewritten["agent:main:telegram:group:-1"]), $"seed {seed}\n{text}");
            Assert.True(JsonNode.DeepEquals(original["agent:main:dm:x"], rewritten["agent:main:dm:x"]), $"seed {seed}\n{text}");
            Assert.Equal(original["agent:main:main"]!["origin"]!.ToJsonString(), rewritten["agent:main:main"]!["origin"]!.ToJsonString());
        }
    }

    /// <summary>Writes <paramref name="node"/> as JSON with comments, blank space and trailing commas in random places.</summary>
    private static void WriteLeniently(StringBuilder text, JsonNode? node, Random random)
    {
        string[] junk = ["", " ", "\n    ", "/* c */", "// line, } ] \"\n", "/* multi\n * line, ] */", "\t"];
        void Junk() => text.Append(junk[random.Next(junk.Length)]);
        switch (node)
        {
            case JsonObject obj:
                text.Append('{');
                var members = obj.ToList();
                for (var i = 0; i < members.Count; i++)
                {
                    Junk();
                    text.Append(JsonSerializer.Serialize(members[i].Key));
                    text.Append(random.Next(2) == 0 ? " " : string.Empty); // System.Text.Json takes no comment before the colon
                    text.Append(':');
                    Junk();
                    WriteLeniently(text, members[i].Value, random);
                    Junk();
                    if (i < members.Count - 1 || random.Next(2) == 0)
                    {
                        text.Append(',');
                    }
                }

                Junk();
                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    Junk();
                    WriteLeniently(text, array[i], random);
                    Junk();
                    if (i < array.Count - 1 || random.Next(2) == 0)
                    {
                        text.Append(',');
                    }
                }

                Junk();
                text.Append(']');
                break;
            default:
                text.Append(node is null ? "null" : node.ToJsonString());
                break;
        }
    }

    public static TheoryData<string, byte[]> NoReaderTakes => new()
    {
        { "truncated", "{ \"a\": {\"sessionId\": \"x\", // cut here\n"u8.ToArray() },
        { "an unterminated block comment", "{ \"a\": {} /* never closed"u8.ToArray() },
        { "a comment only", "// nothing else\n"u8.ToArray() },
        { "not an object", "/* a list */ [ {\"sessionId\": \"x\"}, ]"u8.ToArray() },
        { "two commas", "{ \"a\": {},, }"u8.ToArray() },
        { "a leading comma", "{ , \"a\": {} }"u8.ToArray() },
        { "single quotes (JSON5, but not taken)", "{ 'a': {} }"u8.ToArray() },
        { "invalid UTF-8 in a comment", [.. "{ /* "u8, 0xC3, 0x28, .. " */ \"a\": {} }"u8] },
        { "nested 10,000 deep", Encoding.ASCII.GetBytes("{\"a\": " + new string('[', 10_000) + new string(']', 10_000) + "}") },
    };

    [Theory]
    [MemberData(nameof(NoReaderTakes))]
    public async Task Input_no_reader_takes_is_still_moved_aside(string what, byte[] content)
    {
        File.WriteAllBytes(SessionsPath, content);
        await using var store = new FileSessionStore(_folder);

        var ex = await Assert.ThrowsAsync<SessionStoreCorruptFileException>(async () => await store.ReadSessionsAsync());

        Assert.False(string.IsNullOrEmpty(ex.Problem), what);
        Assert.Equal(content, File.ReadAllBytes(ex.MovedToPath!));
        Assert.False(File.Exists(SessionsPath), what);
    }
}
