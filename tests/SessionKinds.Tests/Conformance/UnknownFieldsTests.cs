using System.Text.Json;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Conformance;

/// <summary>
/// Entries written by other tools carry fields this library does not know. Every engine keeps them byte for byte: entries
/// it does not touch whole, and a continued entry field by field (only <c>sessionId</c>, <c>kind</c>, <c>updatedAt</c> change).
/// </summary>
public sealed class UnknownFieldsTests
{
    private const string ExistingId = "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d";

    // Spacing, escapes and number spellings that a round trip through a DOM or a jsonb column would change.
    private const string Main = """
        {
            "sessionId": "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d",
            "updatedAt": 1735700000000,
            "kind": "user",
            "channel": "telegram",
            "origin": {"label": "Ana \u00e9 <b>", "chatType": "direct", "nested": [1, 2.50, 1e3, {"deep": [true, null]}]},
            "skillsSnapshot": {  "prompt":"x" ,"n":  -0.0 },
            "inputTokens": 12345678901234567890,
            "emoji": "\ud83d\ude00", "broken": "\ud83d"
          }
        """;

    private static readonly (string Key, string Json)[] Foreign =
    [
        ("agent:main:main", Main),
        ("agent:main:telegram:group:-100123", """{"sessionId":"6c1f4b2e-0000-4000-8000-00000000abcd","updatedAt":1735600000000,"thinkingLevel":"high","emoji":"\ud83d\ude00"}"""),
        ("legacy-entry", "\"not an object\""),
        ("agent:main:cron:brief", """{"sessionId": "not-a-uuid/../../x", "updatedAt": "yesterday", "kind": "cron", "label": "keep me"}"""),
        ("types", """{"sessionId": 7, "kind": {"user": true}, "updatedAt": 1.5e300, "label": "keep me too"}"""),
        ("null", "null"),
    ];

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Untouched_entries_keep_every_byte_and_a_continued_one_keeps_every_field_but_its_own_three(string engine)
    {
        await using var s = await SeededAsync(engine);
        s.Time.Advance(TimeSpan.FromMinutes(1));

        var continued = await s.RunAsync(SessionKind.User, "agent:main:main", "hello again");
        var added = await s.RunAsync<Research>("agent:main:sub:new", "done");
        var ack = await s.RunAsync<InboxCheck>("agent:main:telegram:group:-100123", "HEARTBEAT_OK");

        var raw = (await s.Agent.ReadRawEntriesAsync()).ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal(Foreign.Length + 1, raw.Count);
        foreach (var (key, json) in Foreign.Where(f => f.Key != "agent:main:main"))
        {
            Assert.Equal(json, raw[key]);
        }

        // The continued entry: same session, every field it does not own with its raw value, updatedAt bumped.
        Assert.Equal((ExistingId, true), (continued.SessionId, continued.ContinuedExistingSession));
        var before = Fields(Main);
        var after = Fields(raw["agent:main:main"]);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach (var name in before.Keys.Except(["updatedAt"]))
        {
            Assert.Equal(before[name], after[name]);
        }

        Assert.Equal(s.Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), after["updatedAt"]);
        Assert.Equal((added.SessionId, SessionKind.Subagent), ((await s.Store.FindSessionAsync("agent:main:sub:new"))!.SessionId, (await s.Store.FindSessionAsync("agent:main:sub:new"))!.Kind));
        Assert.Equal(ReplyVerdict.Ack, ack.Verdict);
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task Entries_are_read_leniently_and_exactly_as_stored(string engine)
    {
        await using var s = await SeededAsync(engine);

        var entries = (await s.Store.ReadSessionsAsync()).ToDictionary(e => e.Key);

        Assert.Equal(Foreign.Select(f => f.Key).Order(StringComparer.Ordinal), entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((ExistingId, SessionKind.User, DateTimeOffset.FromUnixTimeMilliseconds(1735700000000)), (entries["agent:main:main"].SessionId, entries["agent:main:main"].Kind, entries["agent:main:main"].UpdatedAt));
        foreach (var (key, json) in Foreign)
        {
            Assert.Equal(json, entries[key].Json);
        }

        // Fields of the wrong type read as absent; an id that is not a UUID is still reported as stored.
        Assert.Equal((null, SessionKind.Unspecified, null), (entries["types"].SessionId, entries["types"].Kind, entries["types"].UpdatedAt));
        Assert.Equal(("not-a-uuid/../../x", SessionKind.Cron, null), (entries["agent:main:cron:brief"].SessionId, entries["agent:main:cron:brief"].Kind, entries["agent:main:cron:brief"].UpdatedAt));
        Assert.Equal((null, SessionKind.Unspecified, null), (entries["legacy-entry"].SessionId, entries["legacy-entry"].Kind, entries["legacy-entry"].UpdatedAt));
        Assert.Equal("null", (await s.Store.FindSessionAsync("null"))!.Json);
        Assert.Null(await s.Store.FindSessionAsync("missing"));
    }

    [Theory]
    [MemberData(nameof(StoreEngines.All), MemberType = typeof(StoreEngines))]
    public async Task An_entry_without_a_usable_session_id_gets_a_new_session_and_keeps_its_other_fields(string engine)
    {
        await using var s = await SeededAsync(engine);

        var cron = await s.RunAsync<MorningBrief>("agent:main:cron:brief", "Brief");
        var types = await s.RunAsync(SessionKind.User, "types", "hi");
        var legacy = await s.RunAsync(SessionKind.User, "legacy-entry", "hi");
        var nullEntry = await s.RunAsync(SessionKind.User, "null", "hi");

        var raw = (await s.Agent.ReadRawEntriesAsync()).ToDictionary(e => e.Key, e => e.Value);
        foreach (var (outcome, key) in new[] { (cron, "agent:main:cron:brief"), (types, "types"), (legacy, "legacy-entry"), (nullEntry, "null") })
        {
            Assert.False(outcome.ContinuedExistingSession, key);
            Assert.True(Guid.TryParseExact(outcome.SessionId, "D", out _), key);
            var fields = Fields(raw[key]);
            Assert.Equal($"\"{outcome.SessionId}\"", fields["sessionId"]);
            Assert.Equal((outcome.SessionId, outcome.Kind), ((await s.Store.FindSessionAsync(key))!.SessionId, (await s.Store.FindSessionAsync(key))!.Kind));
            Assert.NotNull(await s.Store.ReadTranscriptAsync(outcome.SessionId));
        }

        Assert.Equal("\"keep me\"", Fields(raw["agent:main:cron:brief"])["label"]);
        Assert.Equal("\"keep me too\"", Fields(raw["types"])["label"]);
        Assert.Equal(["kind", "label", "sessionId", "updatedAt"], Fields(raw["types"]).Keys.Order(StringComparer.Ordinal));

        // The new session is continued from now on.
        Assert.Equal(types.SessionId, (await s.RunAsync(SessionKind.User, "types", "again")).SessionId);
    }

    private static async Task<StoreUnderTest> SeededAsync(string engine)
    {
        var s = StoreUnderTest.Create(engine);
        foreach (var (key, json) in Foreign)
        {
            await s.Agent.SeedEntryAsync(key, json);
        }

        return s;
    }

    /// <summary>Each field's raw JSON text (last duplicate wins).</summary>
    private static Dictionary<string, string> Fields(string entryJson)
    {
        using var document = JsonDocument.Parse(entryJson);
        return document.RootElement.EnumerateObject().GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Last().Value.GetRawText());
    }
}
