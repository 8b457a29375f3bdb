using System.Text;
using System.Text.Json;
using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Reliability;

/// <summary>
/// Issue 7, item 3, the cases the Store tests did not cover yet (see the README's Guarantees for the full mapping):
/// broken heartbeat-state and ring files, documented repairs on them, wrong field types in sessions.json, a transcript
/// line nested 10,000 deep, and extreme numbers. Each gets a clear error naming the file or a documented repair, never
/// a crash, and the bytes saved before survive (moved aside, or intact).
/// </summary>
public class HostileInputTests
{
    private static readonly string Nested10000 = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);

    public static TheoryData<string, string, byte[]> UnreadableHeartbeatFiles => new()
    {
        // (sessions.json: CorruptFileTests.Unreadable; state truncated and ring array/truncated: CorruptFileTests.)
        { "heartbeat-state.json", "empty file", [] },
        { "heartbeat-state.json", "an array instead of an object", "[{\"lastAck\": 1}]"u8.ToArray() },
        { "heartbeat-state.json", "JSON nested 10,000 deep", Encoding.ASCII.GetBytes(Nested10000) },
        { "heartbeat-state.json", "invalid UTF-8", [.. "{\"lastAlertSummary\": \""u8, 0xFF, 0xFE, .. "\", \"consecutiveOKs\": 3}"u8] },
        { "heartbeat-state.json", "not JSON at all", "HEARTBEAT_OK"u8.ToArray() },
        { "heartbeat-ring.json", "empty file", [] },
        { "heartbeat-ring.json", "JSON nested 10,000 deep", Encoding.ASCII.GetBytes(Nested10000) },
        { "heartbeat-ring.json", "entries nested 10,000 deep", Encoding.ASCII.GetBytes("{\"maxEntries\": 50, \"entries\": [" + new string('[', 10_000) + new string(']', 10_000) + "]}") },
        { "heartbeat-ring.json", "invalid UTF-8", [.. "{\"maxEntries\": 50, \"entries\": [{\"ts\": 1, \"result\": \"ok\", \"summary\": \""u8, 0xC3, 0x28, .. "\"}]}"u8] },
        { "heartbeat-ring.json", "truncated inside a string with a BOM", [0xEF, 0xBB, 0xBF, .. "{\"maxEntries\": 50, \"entries\": [{\"ts\": 1, \"result\": \"o"u8] },
    };

    [Theory]
    [MemberData(nameof(UnreadableHeartbeatFiles))]
    public void An_unreadable_heartbeat_file_is_moved_aside_by_name_and_nothing_else_changes(string file, string what, byte[] content)
    {
        using var f = Seeded();
        File.WriteAllBytes(f.Temp.File(file), content);
        var before = FolderSnapshot.Take(f.Temp.AgentFolder);

        var ex = Assert.Throws<AgentStoreCorruptFileException>(() => f.Run<InboxCheck>("agent:main:hb", "HEARTBEAT_OK"));

        Assert.Equal(f.Temp.File(file), ex.FilePath);
        Assert.Contains(f.Temp.File(file), ex.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(ex.Problem), what);
        Assert.Equal(content, File.ReadAllBytes(ex.MovedToPath!));

        // The only change is the rename: every other file is byte for byte what it was, and nothing was added.
        var after = FolderSnapshot.Take(f.Temp.AgentFolder);
        var moved = Path.GetFileName(ex.MovedToPath!);
        Assert.Equal(before.Files.Where(p => p.Key != file), after.Files.Where(p => p.Key != moved));

        // The next ack starts the file again; the moved bytes stay.
        f.Run<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");
        Assert.Equal(content, File.ReadAllBytes(ex.MovedToPath!));
        Assert.Null(FolderAudit.ProblemWithJsonObject(File.ReadAllBytes(f.Temp.File(file))));
    }

    [Fact]
    public void A_bom_on_heartbeat_files_is_accepted_and_not_written_back()
    {
        using var f = new StoreFixture();
        File.WriteAllBytes(f.StatePath, [0xEF, 0xBB, 0xBF, .. """{"lastAck": 1735700000000, "consecutiveOKs": 4, "mine": true}"""u8]);
        File.WriteAllBytes(f.RingPath, [0xEF, 0xBB, 0xBF, .. """{"maxEntries": 50, "entries": [{"ts": 1735700000, "result": "alert", "summary": "before"}]}"""u8]);

        Assert.Equal(4, f.Store.ReadHeartbeatState().ConsecutiveOks);
        Assert.Equal("before", Assert.Single(f.Store.ReadHeartbeatRing().Entries).Summary);
        f.Run<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");

        Assert.Equal(5, f.Store.ReadHeartbeatState().ConsecutiveOks);
        Assert.Equal(["before", ""], f.Store.ReadHeartbeatRing().Entries.Select(e => e.Summary));
        Assert.Equal((byte)'{', File.ReadAllBytes(f.StatePath)[0]);
        Assert.Equal((byte)'{', File.ReadAllBytes(f.RingPath)[0]);
        Assert.Contains("\"mine\": true", File.ReadAllText(f.StatePath), StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_keys_in_heartbeat_files_read_as_the_last_value_like_any_json_reader()
    {
        using var f = new StoreFixture();
        File.WriteAllText(f.StatePath, """{"consecutiveOKs": 100, "lastAck": 1735700000000, "consecutiveOKs": 7}""");
        File.WriteAllText(f.RingPath, """
            {"maxEntries": 50,
             "entries": [{"ts": 1735700000, "result": "ok", "summary": "shadowed"}],
             "task": "TestAgent.InboxCheck",
             "entries": [{"ts": 1735700001, "result": "alert", "summary": "visible"}]}
            """);

        // What System.Text.Json (and JSON.parse in a gateway) sees is what the store sees.
        using (var json = JsonDocument.Parse(File.ReadAllBytes(f.StatePath)))
        {
            Assert.Equal(7, json.RootElement.EnumerateObject().Last(p => p.Name == "consecutiveOKs").Value.GetInt32());
        }

        Assert.Equal(7, f.Store.ReadHeartbeatState().ConsecutiveOks);
        Assert.Equal(["visible"], f.Store.ReadHeartbeatRing().Entries.Select(e => e.Summary));
        f.Run<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");

        // Documented repair: the rewrite keeps each name once, at its first position, with its last value.
        Assert.Equal(8, f.Store.ReadHeartbeatState().ConsecutiveOks);
        Assert.Equal(["visible", ""], f.Store.ReadHeartbeatRing().Entries.Select(e => e.Summary));
        using var ring = JsonDocument.Parse(File.ReadAllBytes(f.RingPath));
        Assert.Equal(["maxEntries", "entries", "task"], ring.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Wrong_field_types_in_sessions_json_are_read_leniently_and_every_untouched_byte_is_kept()
    {
        using var f = new StoreFixture(o =>
        {
            o.RotateAtBytes = 1_500;
            o.EntriesKeptAfterRotation = 3;
        });
        const string content = """
            {
              "number": 42,
              "array": [1, {"sessionId": "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d"}],
              "null": null,
              "types": {"sessionId": 7, "kind": {"user": true}, "updatedAt": "yesterday", "label": "keep me"},
              "more": {"sessionId": ["0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d"], "kind": 1, "updatedAt": 1.5e300},
              "good": {"sessionId": "6c1f4b2e-0000-4000-8000-00000000abcd", "kind": "user", "updatedAt": 1735700000000}
            }
            """;
        File.WriteAllText(f.SessionsPath, content);
        var original = RawEntries(content);

        var entries = f.Store.ReadSessions();
        Assert.Equal(["number", "array", "null", "types", "more", "good"], entries.Select(e => e.Key));
        Assert.All(entries.Take(5), e => Assert.Null(e.SessionId));
        Assert.All(entries.Take(5), e => Assert.Equal(SessionKind.Unspecified, e.Kind));
        Assert.All(entries.Take(5), e => Assert.Null(e.UpdatedAt));
        Assert.Equal(original["types"], f.Store.FindSession("types")!.Json);

        // Completing under a key whose id is not a usable UUID starts a new session there and keeps the other fields.
        var outcome = f.Run(SessionKind.User, "types", "hi");
        Assert.False(outcome.ContinuedExistingSession);
        var rewritten = RawEntries(File.ReadAllText(f.SessionsPath));
        Assert.Contains("\"label\": \"keep me\"", rewritten["types"], StringComparison.Ordinal);
        foreach (var key in new[] { "number", "array", "null", "more", "good" })
        {
            Assert.Equal(original[key], rewritten[key]);
        }

        // A rotation archives every one of them as it was (entries without a valid updatedAt count as the oldest).
        string? archive = null;
        for (var i = 0; archive is null; i++)
        {
            Assert.True(i < 100);
            archive = f.Run(SessionKind.User, $"new:{i}", "r").ArchivePath;
        }

        var archived = RawEntries(Encoding.UTF8.GetString(FolderAudit.Gunzip(File.ReadAllBytes(archive))));
        foreach (var key in new[] { "number", "array", "null", "more", "good" })
        {
            Assert.Equal(original[key], archived[key]);
        }

        Assert.DoesNotContain("number", RawEntries(File.ReadAllText(f.SessionsPath)).Keys);
    }

    [Fact]
    public void A_transcript_line_nested_10000_deep_is_skipped_like_a_torn_line()
    {
        using var f = new StoreFixture();
        var outcome = f.Run(SessionKind.User, "k", "first", prompt: null);
        var path = f.Store.TranscriptPath(outcome.SessionId);
        File.AppendAllText(path, Nested10000 + "\n");

        var transcript = f.Store.ReadTranscript(outcome.SessionId)!;
        f.Run(SessionKind.User, "k", "second", prompt: null);

        Assert.Equal(1, transcript.SkippedLines);
        Assert.Equal(["first", "second"], f.Store.ReadTranscript(outcome.SessionId)!.Messages.Select(m => m.Content));
        Assert.Contains(Nested10000, File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"lastAck": 1e400, "consecutiveOKs": -1e400}""", 1)]
    [InlineData("""{"lastAck": -0, "consecutiveOKs": 0.0000001}""", 1)]
    [InlineData("""{"lastAck": 123456789012345678901234567890123456789012345678901234567890, "consecutiveOKs": 99999999999999999999999999999999999}""", 1)]
    [InlineData("""{"lastAck": 253402300800000, "consecutiveOKs": 2147483646, "lastAlert": -9223372036854775808}""", 2147483647)]
    public void Extreme_numbers_in_heartbeat_state_are_repaired(string content, int expectedCount)
    {
        // HeartbeatStateTests covers the everyday absurd values; these are the extremes of the number grammar.
        using var f = new StoreFixture();
        File.WriteAllText(f.StatePath, content);

        var read = f.Store.ReadHeartbeatState();
        f.Run<InboxCheck>("hb", "HEARTBEAT_OK");

        Assert.InRange(read.ConsecutiveOks, 0, int.MaxValue);
        var state = f.Store.ReadHeartbeatState();
        Assert.Equal(expectedCount, state.ConsecutiveOks);
        Assert.Equal(Clock.Start, state.LastAck);
        Assert.Null(state.LastAlert);
    }

    /// <summary>A store with a session, an alert and an ack: every file the ack path reads exists.</summary>
    private static StoreFixture Seeded()
    {
        var f = new StoreFixture();
        f.Run(SessionKind.User, "agent:main:main", "hello");
        f.Run<InboxCheck>("agent:main:hb", "Disk 97% full");
        f.Run<InboxCheck>("agent:main:hb", "HEARTBEAT_OK");
        return f;
    }

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
}
