using System.Text;
using SessionKinds.Tests.Infrastructure;

namespace SessionKinds.Tests.Store;

/// <summary>A file that does not parse is moved aside with a clear error, never treated as empty and overwritten.</summary>
public class CorruptFileTests
{
    private const string Truncated = """
        {
          "agent:main:main": {"sessionId": "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d", "kind": "user", "updatedAt": 1735700000000},
          "agent:main:other": {"sessionId": "6c1f4b2e-0000-4000-8000-00000000ab
        """;

    [Fact]
    public void A_truncated_sessions_file_is_moved_aside_with_a_clear_error_and_its_bytes_survive()
    {
        using var f = new StoreFixture();
        File.WriteAllText(f.SessionsPath, Truncated);
        var bytes = File.ReadAllBytes(f.SessionsPath);

        var ex = Assert.Throws<AgentStoreCorruptFileException>(() => f.Run(SessionKind.User, "agent:main:main", "hi"));

        var expectedAside = f.SessionsPath + ".corrupt-2025-01-02T03-04-05.678Z";
        Assert.Equal(f.SessionsPath, ex.FilePath);
        Assert.Equal(expectedAside, ex.MovedToPath);
        Assert.Contains(f.SessionsPath, ex.Message, StringComparison.Ordinal);
        Assert.Contains(expectedAside, ex.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(expectedAside));

        // Nothing was written by the failed operation: no new sessions.json and no transcript.
        Assert.Equal([Path.GetFileName(expectedAside)], f.DataFiles());

        // The next write starts a new file; the moved file stays as it was.
        f.Run(SessionKind.User, "agent:main:main", "hi");
        Assert.Single(f.Store.ReadSessions());
        Assert.Equal(bytes, File.ReadAllBytes(expectedAside));
    }

    public static TheoryData<string, byte[]> Unreadable => new()
    {
        { "empty file", [] },
        { "white space only", "  \n"u8.ToArray() },
        { "an array", "[{\"sessionId\": \"x\"}]"u8.ToArray() },
        { "a string", "\"sessions\""u8.ToArray() },
        { "trailing garbage", "{\"a\": {}} {}"u8.ToArray() },
        { "comments", "{ /* no */ \"a\": {} }"u8.ToArray() },
        { "invalid UTF-8", [.. "{\"a\": {\"label\": \""u8, 0xC3, 0x28, .. "\"}}"u8] },
        { "nested 10,000 deep", Encoding.ASCII.GetBytes("{\"a\": " + new string('[', 10_000) + new string(']', 10_000) + "}") },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void Unreadable_sessions_files_are_moved_aside_not_overwritten(string what, byte[] content)
    {
        using var f = new StoreFixture();
        File.WriteAllBytes(f.SessionsPath, content);

        var ex = Assert.Throws<AgentStoreCorruptFileException>(() => f.Run(SessionKind.Subagent, "k", "x"));

        Assert.False(string.IsNullOrEmpty(ex.Problem), what);
        Assert.Equal(content, File.ReadAllBytes(ex.MovedToPath!));
        Assert.False(File.Exists(f.SessionsPath));
    }

    [Fact]
    public void Reading_a_corrupt_file_moves_it_aside_too()
    {
        using var f = new StoreFixture();
        File.WriteAllText(f.SessionsPath, Truncated);

        var ex = Assert.Throws<AgentStoreCorruptFileException>(() => f.Store.ReadSessions());

        Assert.True(File.Exists(ex.MovedToPath));
        Assert.Empty(f.Store.ReadSessions());
    }

    [Fact]
    public void Two_corruptions_in_the_same_millisecond_get_distinct_names()
    {
        using var f = new StoreFixture();
        File.WriteAllText(f.SessionsPath, "{");
        var first = Assert.Throws<AgentStoreCorruptFileException>(() => f.Store.ReadSessions());
        File.WriteAllText(f.SessionsPath, "[");

        var second = Assert.Throws<AgentStoreCorruptFileException>(() => f.Store.ReadSessions());

        Assert.NotEqual(first.MovedToPath, second.MovedToPath);
        Assert.Equal("{", File.ReadAllText(first.MovedToPath!));
        Assert.Equal("[", File.ReadAllText(second.MovedToPath!));
    }

    [Fact]
    public void A_corrupt_heartbeat_state_stops_the_ack_before_anything_is_written()
    {
        using var f = new StoreFixture();
        File.WriteAllText(f.StatePath, "{\"lastAck\": 17");

        var ex = Assert.Throws<AgentStoreCorruptFileException>(() => f.Run<InboxCheck>("hb", "HEARTBEAT_OK"));

        Assert.Equal(f.StatePath, ex.FilePath);
        Assert.False(File.Exists(f.RingPath));
        Assert.Equal("{\"lastAck\": 17", File.ReadAllText(ex.MovedToPath!));
        f.Run<InboxCheck>("hb", "HEARTBEAT_OK");
        Assert.Equal(1, f.Store.ReadHeartbeatState().ConsecutiveOks);
    }

    [Theory]
    [InlineData("{\"maxEntries\": 50, \"entries\": {\"ts\": 1}}")]
    [InlineData("[]")]
    [InlineData("{\"maxEntries\": 50, \"entries\": [")]
    public void A_ring_with_the_wrong_shape_is_moved_aside(string content)
    {
        using var f = new StoreFixture();
        File.WriteAllText(f.RingPath, content);

        var ex = Assert.Throws<AgentStoreCorruptFileException>(() => f.Run<InboxCheck>("hb", "HEARTBEAT_OK"));

        Assert.Equal(f.RingPath, ex.FilePath);
        Assert.Equal(content, File.ReadAllText(ex.MovedToPath!));
        Assert.False(File.Exists(f.StatePath));
    }
}

public class HostileEscapesTests
{
    [Fact]
    public void A_top_level_key_with_an_unpaired_surrogate_escape_is_treated_as_unreadable()
    {
        using var f = new StoreFixture();
        File.WriteAllText(f.SessionsPath, """{"\ud800": {"sessionId": "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d"}}""");

        var ex = Assert.Throws<AgentStoreCorruptFileException>(() => f.Store.ReadSessions());

        Assert.True(File.Exists(ex.MovedToPath));
    }

    [Fact]
    public void Unpaired_surrogate_escapes_inside_entries_are_kept_raw_and_do_not_break_reads()
    {
        using var f = new StoreFixture();
        const string content = """{"a": {"\udc00": 1, "sessionId": "\ud800"}, "b": {"sessionId": "0b0c8f4e-5b7a-4c1e-9d55-8c1f0a2b3c4d", "note": "\ud83d"}}""";
        File.WriteAllText(f.SessionsPath, content);

        var entries = f.Store.ReadSessions();
        var outcome = f.Run(SessionKind.User, "a", "hi");
        f.Run(SessionKind.User, "b", "hi");

        Assert.Equal(2, entries.Count);
        Assert.Null(entries[0].SessionId);
        Assert.False(outcome.ContinuedExistingSession);
        Assert.Contains("\"note\": \"\\ud83d\"", File.ReadAllText(f.SessionsPath), StringComparison.Ordinal);
    }

    [Fact]
    public void Transcript_lines_with_unpaired_surrogate_escapes_are_skipped()
    {
        using var f = new StoreFixture();
        var outcome = f.Run(SessionKind.User, "k", "reply", prompt: null);
        File.AppendAllText(f.Store.TranscriptPath(outcome.SessionId), "{\"type\":\"message\",\"role\":\"user\",\"content\":\"\\ud800\",\"ts\":1}\n");

        var transcript = f.Store.ReadTranscript(outcome.SessionId)!;

        Assert.Equal(1, transcript.SkippedLines);
        Assert.Single(transcript.Messages);
    }

    [Fact]
    public void Heartbeat_files_with_unpaired_surrogate_escapes_do_not_break_acks()
    {
        using var f = new StoreFixture();
        File.WriteAllText(f.StatePath, """{"lastAlertSummary": "\ud800", "consecutiveOKs": 2, "tasks": {"TestAgent.InboxCheck": {"x": "\udfff"}}}""");
        File.WriteAllText(f.RingPath, """{"maxEntries": 50, "entries": [{"ts": 1, "result": "ok", "summary": "\ud800"}]}""");

        f.Run<InboxCheck>("hb", "HEARTBEAT_OK");

        Assert.Equal(3, f.Store.ReadHeartbeatState().ConsecutiveOks);
        Assert.Equal(2, f.Store.ReadHeartbeatRing().Entries.Count);
    }
}
