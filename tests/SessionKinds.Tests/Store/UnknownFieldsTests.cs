using System.Text;
using System.Text.Json;
using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Store;

/// <summary>Stores written by other tools carry fields this library does not know; every rewrite keeps them.</summary>
public class UnknownFieldsTests
{
    private const string ExistingId = "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d";

    // Formatting, escapes and number spellings a round trip through a DOM would change.
    private const string Foreign = """
        {
          "agent:main:main": {
            "sessionId": "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d",
            "updatedAt": 1735700000000,
            "kind": "user",
            "channel": "telegram",
            "origin": {"label": "Ana \u00e9 <b>", "chatType": "direct", "nested": [1, 2.50, 1e3, {"deep": [true, null]}]},
            "skillsSnapshot": {  "prompt":"x" ,"n":  -0.0 },
            "inputTokens": 12345678901234567890
          },
          "agent:main:telegram:group:-100123": {"sessionId":"6c1f4b2e-0000-4000-8000-00000000abcd","updatedAt":1735600000000,"thinkingLevel":"high","emoji":"\ud83d\ude00"},
          "legacy-entry": "not an object",
          "agent:main:cron:brief": {"sessionId": "not-a-uuid/../../x", "updatedAt": "yesterday", "kind": "cron", "label": "keep me"}
        }
        """;

    [Fact]
    public void Untouched_entries_are_kept_byte_for_byte_and_touched_ones_keep_their_fields()
    {
        using var f = new StoreFixture();
        File.WriteAllText(f.SessionsPath, Foreign);
        var original = RawEntries(Foreign);

        f.Time.Advance(TimeSpan.FromMinutes(1));
        var continued = f.Run(SessionKind.User, "agent:main:main", "hello again");
        var added = f.Run(SessionKind.Subagent, "agent:main:sub:new", "done");

        var text = File.ReadAllText(f.SessionsPath);
        var rewritten = RawEntries(text);

        // Order kept, new key last.
        Assert.Equal([.. original.Keys, "agent:main:sub:new"], rewritten.Keys);

        // Untouched entries: identical bytes, whatever their shape.
        foreach (var key in new[] { "agent:main:telegram:group:-100123", "legacy-entry", "agent:main:cron:brief" })
        {
            Assert.Equal(original[key], rewritten[key]);
        }

        // The touched entry continues its session and keeps every unknown field's raw value.
        Assert.Equal(ExistingId, continued.SessionId);
        var before = RawFields(original["agent:main:main"]);
        var after = RawFields(rewritten["agent:main:main"]);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var name in before.Keys.Except(["updatedAt"]))
        {
            Assert.Equal(before[name], after[name]);
        }

        Assert.Equal(f.Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), after["updatedAt"]);
        Assert.Equal(added.SessionId, f.Store.FindSession("agent:main:sub:new")!.SessionId);
    }

    [Fact]
    public void An_entry_whose_id_is_not_a_uuid_gets_a_new_session_and_keeps_its_other_fields()
    {
        using var f = new StoreFixture();
        File.WriteAllText(f.SessionsPath, Foreign);

        var outcome = f.Run(SessionKind.Cron, "agent:main:cron:brief", "Brief");

        Assert.False(outcome.ContinuedExistingSession);
        Assert.True(Guid.TryParse(outcome.SessionId, out _));
        var fields = RawFields(RawEntries(File.ReadAllText(f.SessionsPath))["agent:main:cron:brief"]);
        Assert.Equal("\"keep me\"", fields["label"]);
        Assert.Equal($"\"{outcome.SessionId}\"", fields["sessionId"]);
        Assert.False(File.Exists(Path.Combine(f.Temp.Root, "x.jsonl")));
    }

    [Fact]
    public void Unknown_fields_survive_rotation_in_the_archive_and_the_live_file()
    {
        using var f = new StoreFixture(o =>
        {
            o.RotateAtBytes = 3_000;
            o.EntriesKeptAfterRotation = 4;
        });
        File.WriteAllText(f.SessionsPath, Foreign);
        var original = RawEntries(Foreign);
        string? archive = null;
        for (var i = 0; archive is null; i++)
        {
            archive = f.Run(SessionKind.User, $"new:{i}", "r").ArchivePath;
        }

        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(archive), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var archived = RawEntries(reader.ReadToEnd());
        foreach (var (key, raw) in original)
        {
            Assert.Equal(raw, archived[key]);
        }
    }

    [Fact]
    public void Duplicate_keys_last_value_wins_at_the_first_position()
    {
        using var f = new StoreFixture();
        File.WriteAllText(f.SessionsPath, """
            {"a": {"sessionId": "11111111-1111-4111-8111-111111111111", "kind": "user", "updatedAt": 1},
             "b": {"sessionId": "22222222-2222-4222-8222-222222222222", "kind": "user", "updatedAt": 2},
             "a": {"sessionId": "33333333-3333-4333-8333-333333333333", "kind": "user", "updatedAt": 3}}
            """);

        var entries = f.Store.ReadSessions();
        var outcome = f.Run(SessionKind.User, "a", "x");

        Assert.Equal(["a", "b"], entries.Select(e => e.Key));
        Assert.Equal("33333333-3333-4333-8333-333333333333", entries[0].SessionId);
        Assert.Equal("33333333-3333-4333-8333-333333333333", outcome.SessionId);
        Assert.Equal(["a", "b"], RawEntries(File.ReadAllText(f.SessionsPath)).Keys);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_accepted()
    {
        using var f = new StoreFixture();
        File.WriteAllBytes(f.SessionsPath, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Foreign)]);

        Assert.Equal(4, f.Store.ReadSessions().Count);
        f.Run(SessionKind.User, "agent:main:main", "hi");
        Assert.Equal(4, f.Store.ReadSessions().Count);
    }

    [Fact]
    public void Heartbeat_state_and_ring_keep_unknown_fields()
    {
        using var f = new StoreFixture();
        File.WriteAllText(f.StatePath, """{"lastAck": 1, "consecutiveOKs": 4, "gatewayVersion": {"v": [1, 2.0]}, "tasks": {"Other.Task": {"consecutiveOKs": 9, "x": 1e2}}}""");
        File.WriteAllText(f.RingPath, """{"maxEntries": 50, "label": "mine", "entries": [{"ts": 5, "result": "ok", "summary": "", "extra": [1,2]}]}""");

        f.Run<InboxCheck>("agent:main:heartbeat", "HEARTBEAT_OK");

        var state = File.ReadAllText(f.StatePath);
        Assert.Contains("\"gatewayVersion\": {\"v\": [1, 2.0]}", state, StringComparison.Ordinal);
        Assert.Contains("\"Other.Task\": {\"consecutiveOKs\": 9, \"x\": 1e2}", state, StringComparison.Ordinal);
        Assert.Equal(5, f.Store.ReadHeartbeatState().ConsecutiveOks);
        var ring = File.ReadAllText(f.RingPath);
        Assert.Contains("\"label\": \"mine\"", ring, StringComparison.Ordinal);
        Assert.Contains("{\"ts\": 5, \"result\": \"ok\", \"summary\": \"\", \"extra\": [1,2]}", ring, StringComparison.Ordinal);
    }

    /// <summary>Each top-level entry's raw JSON text, in order (last duplicate wins).</summary>
    private static Dictionary<string, string> RawEntries(string json)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            result[property.Name] = property.Value.GetRawText();
        }

        return result;
    }

    private static Dictionary<string, string> RawFields(string entryJson) => RawEntries(entryJson);
}
