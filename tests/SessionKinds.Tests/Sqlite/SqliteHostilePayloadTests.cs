using System.Text;
using SessionKinds.Tests.Engines;
using SessionKinds.Tests.Infrastructure;
using TestAgent;

namespace SessionKinds.Tests.Sqlite;

/// <summary>
/// Hostile keys and payloads on the SQLite engine: JSON nested 10,000 deep in a reply message's data, NUL characters in
/// every text, 10 MB replies. Each gets a clear error with nothing written, or is written and reads back exactly (and
/// exactly as the agent-folder engine reads it back); what was stored before is never lost.
/// </summary>
public sealed class SqliteHostilePayloadTests
{
    public static TheoryData<string> Engines => new(["sqlite", "file"]);

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Data_nested_ten_thousand_deep_is_refused_naming_it_and_nothing_is_written(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var kept = await s.RunAsync<ChatTurn>("agent:main:main", "before");
        var before = await s.SnapshotAsync();
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var handle = s.Store.StartSession<ChatTurn>("agent:main:main", "deep");

        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await s.Store.CompleteAsync(handle, new TaskReply("x") { Messages = [new ReplyMessage("tool", "result", deep)] }));

        Assert.Contains("TaskReply.Messages[0].Data is not one JSON value", error.Message, StringComparison.Ordinal);
        Assert.Contains("depth", error.Message, StringComparison.OrdinalIgnoreCase);
        await s.AssertUnchangedSinceAsync(before, "data nested 10,000 deep is refused");
        Assert.False(handle.IsCompleted);

        // As deep as a transcript line may be: written and read back exactly.
        var deepest = new string('[', 255) + "\"\\u0000\"" + new string(']', 255);
        var outcome = await s.Store.CompleteAsync(handle, new TaskReply("x") { Messages = [new ReplyMessage("tool", "result", deepest)] });
        Assert.Equal(deepest, (await s.Store.ReadTranscriptAsync(outcome.SessionId))!.Messages[^1].Data);
        Assert.Equal(kept.SessionId, outcome.SessionId);
        Assert.Equal(["prompt", "before", "result"], (await s.Store.ReadTranscriptAsync(kept.SessionId))!.Messages.Select(m => m.Content));
        if (engine == "sqlite")
        {
            // (The agent-folder audit reads transcript lines with System.Text.Json's default depth of 64, so it would call
            // this valid 256-level line torn; SQLite's json_valid reads it.)
            Assert.Empty(await s.Agent.FindIntegrityProblemsAsync());
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Nul_characters_in_every_text_are_stored_and_read_back_exactly(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        const string Nul = "a\0b\0\0c";

        // A raw NUL inside a JSON string is not JSON: refused before anything is written.
        var before = await s.SnapshotAsync();
        var raw = await Assert.ThrowsAsync<ArgumentException>(async () => await s.Store.CompleteAsync(
            s.Store.StartSession<ChatTurn>("agent:main:nul"), new TaskReply("x") { Messages = [new ReplyMessage("tool", "x", "{\"k\":\"v\0\"}")] }));
        Assert.Contains("Data is not one JSON value", raw.Message, StringComparison.Ordinal);
        await s.AssertUnchangedSinceAsync(before, "data with a raw NUL is refused");

        var chat = await s.Store.CompleteAsync(
            s.Store.StartSession<ChatTurn>("agent:main:nul", "prompt " + Nul),
            new TaskReply("reply " + Nul) { Messages = [new ReplyMessage("user", "prompt " + Nul), new ReplyMessage("tool\0role", "reply " + Nul, "{\"k\\u0000\":\"v\\u0000\"}")] });
        var alert = await s.RunAsync<InboxCheck>("agent:main:hb", "Alert " + Nul);
        var ack = await s.RunAsync<InboxCheck>("agent:main:hb", "HEARTBEAT_OK " + Nul);
        var cron = await s.RunAsync<MorningBrief>("cron:brief", "Brief " + Nul);
        await s.Agent.SeedEntryAsync("agent:main:foreign", "{\"sessionId\":\"6c1f4b2e-0000-4000-8000-00000000abcd\",\"note\":\"x\\u0000y\"}");

        var messages = (await s.Store.ReadTranscriptAsync(chat.SessionId))!.Messages;
        Assert.Equal([("user", "prompt " + Nul, null), ("tool\0role", "reply " + Nul, "{\"k\\u0000\":\"v\\u0000\"}")], messages.Select(m => (m.Role, m.Content, m.Data)));
        Assert.Equal("Alert " + Nul, (await s.Store.ReadTranscriptAsync(alert.SessionId))!.Messages[^1].Content);
        Assert.Equal(["Alert " + Nul, Nul], (await s.Store.ReadHeartbeatRingAsync()).Entries.Select(e => e.Summary));
        Assert.Equal("Alert " + Nul, (await s.Store.ReadHeartbeatStateAsync()).LastAlertSummary);
        Assert.Equal(ReplyVerdict.Ack, ack.Verdict);
        Assert.Equal("Brief " + Nul, Assert.Single((await s.Store.ReadCronRunsAsync()).Runs).Summary);
        Assert.Equal("Brief " + Nul, (await s.Store.ReadTranscriptAsync(cron.SessionId))!.Messages[^1].Content);
        Assert.Contains("x\\u0000y", (await s.Store.FindSessionAsync("agent:main:foreign"))!.Json, StringComparison.Ordinal);
        Assert.Empty(await s.Agent.FindIntegrityProblemsAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Ten_megabyte_replies_are_written_whole_and_nothing_before_them_is_lost(string engine)
    {
        await using var s = StoreUnderTest.Create(engine);
        var first = await s.RunAsync<ChatTurn>("agent:main:main", "small");
        var big = new StringBuilder(10 * 1024 * 1024);
        var random = new Random(10);
        while (big.Length < 10 * 1024 * 1024)
        {
            big.Append("line ").Append(random.Next()).Append(" é😀 \"quoted\" \\ \n");
        }

        var text = big.ToString();
        var data = System.Text.Json.JsonSerializer.Serialize(new { blob = text });

        var chat = await s.Store.CompleteAsync(s.Store.StartSession<ChatTurn>("agent:main:main", "big"), new TaskReply(text) { Messages = [new ReplyMessage("assistant", text, data)] });
        var alert = await s.RunAsync<InboxCheck>("agent:main:hb", text);
        var cron = await s.RunAsync<MorningBrief>("cron:brief", text);

        var messages = (await s.Store.ReadTranscriptAsync(chat.SessionId))!.Messages;
        Assert.Equal(["prompt", "small", text], messages.Select(m => m.Content));
        Assert.Equal(data, messages[^1].Data);
        Assert.Equal(first.SessionId, chat.SessionId);
        Assert.Equal(text, (await s.Store.ReadTranscriptAsync(alert.SessionId))!.Messages[^1].Content);
        Assert.Equal(text, (await s.Store.ReadTranscriptAsync(cron.SessionId))!.Messages[^1].Content);
        Assert.Equal(SessionRoutes.SummaryMaxChars, (await s.Store.ReadHeartbeatRingAsync()).Entries[^1].Summary.Length);
        Assert.Equal(SessionRoutes.SummaryMaxChars, (await s.Store.ReadCronRunsAsync()).Runs[^1].Summary.Length);
        Assert.Equal(3, (await s.Store.ReadSessionsAsync()).Count);
        Assert.Empty(await s.Agent.FindIntegrityProblemsAsync());
    }
}
